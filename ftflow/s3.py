"""S3 plumbing: one well-configured boto3 client, and checksummed idempotent uploads.

``s3://`` URIs (ftflow/s3_uri.py) and the one-line errors (ftflow/s3_errors.py) live apart
and are re-exported here, so callers import this module alone.

Connection settings come from the standard AWS configuration (``AWS_ENDPOINT_URL`` /
``AWS_ENDPOINT_URL_S3``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_DEFAULT_REGION``,
``AWS_PROFILE``, ``AWS_MAX_ATTEMPTS``, ...), read by boto3 itself, or from the Prefect AWS
credentials block the config names (``ftflow.credentials``). ftflow only adds what every S3 user
here needs: retries with backoff, path-style addressing for custom endpoints and SHA-256 checksums.
"""

from __future__ import annotations

import base64
import hashlib
import io
import mimetypes
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TextIO, TypeAlias

import botocore.session
from boto3.exceptions import Boto3Error
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.configprovider import ConfiguredEndpointProvider
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ftflow import credentials
from ftflow.hashing import file_sha256 as file_sha256
from ftflow.s3_errors import DatasetMismatch as DatasetMismatch
from ftflow.s3_errors import StorageError as StorageError
from ftflow.s3_errors import describe
from ftflow.s3_errors import is_access_denied as is_access_denied
from ftflow.s3_uri import GLOB_CHARS as GLOB_CHARS
from ftflow.s3_uri import is_s3_uri as is_s3_uri
from ftflow.s3_uri import join as join
from ftflow.s3_uri import make_uri, parse_uri, select_keys, split_glob

S3Client: TypeAlias = Any  # a botocore S3 client; botocore ships no type stubs
SHA256_METADATA = "sha256"  # user metadata key holding the hex SHA-256 of the whole object
DEFAULT_MAX_ATTEMPTS = 8  # ~3 s of jittered backoff for 5xx/connection errors, more for throttling
_MiB = 1024 * 1024


class SSE(BaseModel):
    """Server-side encryption requested on every write; passed through to S3 untouched."""

    model_config = ConfigDict(frozen=True)

    algorithm: Literal["AES256", "aws:kms"] = "AES256"
    kms_key_id: str | None = None

    @model_validator(mode="after")
    def _key_only_with_kms(self) -> SSE:
        if self.kms_key_id and self.algorithm != "aws:kms":
            raise ValueError("kms_key_id requires algorithm='aws:kms'")
        return self

    def extra_args(self) -> dict[str, str]:
        args: dict[str, str] = {"ServerSideEncryption": self.algorithm}
        if self.kms_key_id:
            args["SSEKMSKeyId"] = self.kms_key_id
        return args


class S3Settings(BaseSettings):
    """ftflow's own S3 knobs (``FTFLOW_S3_*``); connection settings stay the standard AWS ones."""

    model_config = SettingsConfigDict(env_prefix="FTFLOW_S3_")

    sse: Literal["AES256", "aws:kms"] | None = None
    sse_kms_key_id: str | None = None
    multipart_threshold_mb: int = 16
    multipart_chunksize_mb: int = 16
    max_concurrency: int = 4

    def sse_config(self) -> SSE | None:
        return SSE(algorithm=self.sse, kms_key_id=self.sse_kms_key_id) if self.sse else None

    def transfer_config(self) -> TransferConfig:
        return TransferConfig(multipart_threshold=self.multipart_threshold_mb * _MiB,
                              multipart_chunksize=self.multipart_chunksize_mb * _MiB,
                              max_concurrency=self.max_concurrency)  # fmt: skip


@dataclass(frozen=True)
class ObjectInfo:
    uri: str
    size: int
    last_modified: datetime | None = None
    etag: str | None = None
    sha256: str | None = None  # from our metadata: full-object hex digest
    checksum_sha256: str | None = None  # S3's own base64 checksum ("...-N" when multipart)
    sse: str | None = None


@dataclass(frozen=True)
class UploadResult:
    uri: str
    sha256: str
    size: int
    status: Literal["uploaded", "skipped"]


# --- client & errors --------------------------------------------------------------------


def endpoint_url(bs: botocore.session.Session | None = None) -> str | None:
    """The endpoint boto3 itself will use for S3 (same resolver), or None for AWS."""
    bs = bs or botocore.session.get_session()
    if bs.get_config_variable("ignore_configured_endpoint_urls"):
        return None
    provider = ConfiguredEndpointProvider(
        full_config=bs.full_config, scoped_config=bs.get_scoped_config(), client_name="s3"
    )
    return provider.provide()


def client(*, max_attempts: int | None = None, shared: bool = True) -> S3Client:
    """An S3 client from the AWS configuration or credentials block, plus retries and checksums.

    An explicit ``AWS_MAX_ATTEMPTS`` / ``AWS_RETRY_MODE`` (or block config) wins over ftflow's defaults.
    Clients are thread-safe and costly to build (~0.1 s with the first request), so one is shared per
    AWS_* environment and block content; pass ``shared=False`` to register event hooks on your own.
    """
    block = credentials.aws_block()
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("AWS_")))
    if shared:
        return _shared_client(env, max_attempts, block)
    return _new_client(max_attempts, block)


@lru_cache(maxsize=8)
def _shared_client(env: tuple[tuple[str, str], ...], max_attempts: int | None, block: credentials.AwsCredentials | None) -> S3Client:  # fmt: skip
    return _new_client(max_attempts, block)  # a block hashes and compares by content, keys included


def _new_client(max_attempts: int | None, block: credentials.AwsCredentials | None) -> S3Client:
    try:
        session, bs, params = credentials.aws_session(block)
        mode = bs.get_config_variable("retry_mode")
        attempts = max_attempts or bs.get_config_variable("max_attempts") or DEFAULT_MAX_ATTEMPTS
        config = Config(
            retries={"mode": "standard" if mode in (None, "legacy") else mode, "total_max_attempts": attempts},
            connect_timeout=5, read_timeout=60, tcp_keepalive=True, max_pool_connections=16,
            request_checksum_calculation="when_supported", response_checksum_validation="when_supported",
            # Custom endpoints (SeaweedFS, MinIO) rarely resolve virtual-hosted bucket names.
            s3={"addressing_style": "path"} if params.get("endpoint_url") or endpoint_url(bs) else None,
        )  # fmt: skip
        config = config.merge(params.pop("config")) if "config" in params else config  # the block's own wins
        return session.client("s3", config=config, **params)
    except (BotoCoreError, Boto3Error, ClientError) as exc:
        raise describe_error(exc, "s3://", None) from exc


def _endpoint_or_placeholder() -> str:
    try:
        return endpoint_url() or "AWS S3"
    except BotoCoreError:  # e.g. AWS_PROFILE names no profile: report the first error
        return "S3"


def describe_error(exc: BaseException, uri: str, s3: S3Client | None) -> StorageError:
    """Map a boto3/botocore failure to one clear line (never containing credentials)."""
    endpoint = s3.meta.endpoint_url if s3 is not None else _endpoint_or_placeholder()
    attempts = (s3.meta.config.retries or {}).get("total_max_attempts") if s3 is not None else None
    return describe(exc, uri, endpoint, attempts)


@contextmanager
def storage_errors(uri: str, s3: S3Client | None = None) -> Iterator[None]:
    """Turn boto errors raised inside the block into :class:`StorageError`."""
    try:
        yield
    except (BotoCoreError, ClientError, Boto3Error) as exc:
        raise describe_error(exc, uri, s3) from exc


# --- reading ----------------------------------------------------------------------------


def _b64(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode()


def head(uri: str, *, s3: S3Client | None = None) -> ObjectInfo | None:
    """Object metadata, or None if there is no object at ``uri``."""
    s3 = s3 or client()
    bucket, key = parse_uri(uri)
    with storage_errors(uri, s3):
        try:
            r = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
    return ObjectInfo(uri, r["ContentLength"], r.get("LastModified"), r.get("ETag"),
                      r.get("Metadata", {}).get(SHA256_METADATA), r.get("ChecksumSHA256"),
                      r.get("ServerSideEncryption"))  # fmt: skip


def list_objects(uri: str, *, s3: S3Client | None = None) -> list[ObjectInfo]:
    """Every object whose key starts with the URI's key (a raw prefix), paginated."""
    s3 = s3 or client()
    bucket, prefix = parse_uri(uri)
    out: list[ObjectInfo] = []
    with storage_errors(uri, s3):
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            out += [ObjectInfo(make_uri(bucket, o["Key"]), o["Size"], o.get("LastModified"),
                               o.get("ETag")) for o in page.get("Contents", [])]  # fmt: skip
    return out


def expand(uri_or_glob: str, *, s3: S3Client | None = None) -> list[str]:
    """URIs named by an object, a prefix (every object under it) or a glob; [] if none."""
    bucket, key = parse_uri(uri_or_glob)
    prefix, _ = split_glob(key)
    listed = list_objects(make_uri(bucket, prefix), s3=s3)
    return [make_uri(bucket, k) for k in select_keys(key, (parse_uri(o.uri)[1] for o in listed))]


def read_bytes(uri: str, *, s3: S3Client | None = None) -> bytes:
    """Whole object, checked against its ``sha256`` metadata when it has one."""
    s3 = s3 or client()
    bucket, key = parse_uri(uri)
    with storage_errors(uri, s3):
        r = s3.get_object(Bucket=bucket, Key=key)
        data: bytes = r["Body"].read()
    expected = r.get("Metadata", {}).get(SHA256_METADATA)
    if expected and hashlib.sha256(data).hexdigest() != expected:
        raise StorageError(f"corrupt object {uri}: content does not match its sha256 metadata")
    return data


def open_text(uri: str, *, s3: S3Client | None = None, encoding: str = "utf-8") -> TextIO:
    """Stream an object as text (no whole-object check: use :func:`download` for that)."""
    s3 = s3 or client()
    bucket, key = parse_uri(uri)
    with storage_errors(uri, s3):
        body = s3.get_object(Bucket=bucket, Key=key)["Body"]
    return io.TextIOWrapper(body, encoding=encoding)


def download(uri: str, local_path: str | Path, *, s3: S3Client | None = None) -> str:
    """Download atomically (temp file + rename); verify SHA-256 metadata. Returns the digest."""
    s3 = s3 or client()
    bucket, key = parse_uri(uri)
    dest = Path(local_path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.part-{os.getpid()}")
    info = head(uri, s3=s3)
    if info is None:
        raise StorageError(f"no such S3 object: {uri}")
    try:
        with storage_errors(uri, s3):
            s3.download_file(bucket, key, str(tmp), Config=S3Settings().transfer_config())
        digest = file_sha256(tmp)
        if info.sha256 and digest != info.sha256:
            raise StorageError(f"corrupt download of {uri}: sha256 {digest} != {info.sha256}")
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return digest


# --- writing ----------------------------------------------------------------------------


def ensure_bucket(bucket: str, *, create: bool = False, s3: S3Client | None = None) -> bool:
    """Check the bucket exists (a GET, so bad credentials get a precise error code);
    create it only when asked. Returns True if it was created."""
    s3 = s3 or client()
    uri = make_uri(bucket)
    with storage_errors(uri, s3):
        try:
            s3.list_objects_v2(Bucket=bucket, MaxKeys=1)
            return False
        except ClientError as exc:
            if not create or exc.response.get("Error", {}).get("Code") != "NoSuchBucket":
                raise
        region = s3.meta.region_name
        where = {"LocationConstraint": region} if region not in (None, "us-east-1") else None
        s3.create_bucket(Bucket=bucket, **({"CreateBucketConfiguration": where} if where else {}))
    return True


def _content_type(name: str) -> str:
    if name.endswith(".jsonl"):
        return "application/x-ndjson"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _unchanged(info: ObjectInfo | None, sha256: str, size: int, sse: SSE | None) -> bool:
    """Same key, same bytes (by our metadata or S3's own full-object checksum), same SSE."""
    if info is None or info.size != size or (sse is not None and info.sse != sse.algorithm):
        return False
    return info.sha256 == sha256 or info.checksum_sha256 == _b64(sha256)


def _write(
    uri: str, sha256: str, size: int, sse: SSE | None, s3: S3Client, send: Callable[..., object], absent: bool = False
) -> UploadResult:
    """Skip if unchanged, else ``send(**extra_args)`` and verify with a HEAD afterwards.
    ``absent``: the caller has just listed the key as missing, so there is nothing to compare."""
    if not absent and _unchanged(head(uri, s3=s3), sha256, size, sse):
        return UploadResult(uri, sha256, size, "skipped")
    extra = {"Metadata": {SHA256_METADATA: sha256}, "ContentType": _content_type(uri)}
    with storage_errors(uri, s3):
        send(**extra, **(sse.extra_args() if sse else {}))
    after = head(uri, s3=s3)
    if after is None or after.size != size or after.sha256 != sha256:
        raise StorageError(f"upload of {uri} did not verify (size/sha256 differ after write)")
    server = after.checksum_sha256  # computed by S3 itself; "...-N" (multipart) is per part
    if server and "-" not in server and server != _b64(sha256):
        raise StorageError(f"upload of {uri} did not verify (server checksum differs)")
    return UploadResult(uri, sha256, size, "uploaded")


def upload_file(local: str | Path, uri: str, sha256: str | None = None, *,
                s3: S3Client | None = None, sse: SSE | None = None,
                settings: S3Settings | None = None, verified: bool = False, absent: bool = False,
                progress: Callable[[int], object] | None = None) -> UploadResult:  # fmt: skip
    """Upload unless the key already holds the same bytes ("skipped"), then verify.

    The SHA-256 is stored as metadata and S3's checksum algorithm is SHA-256 (the server
    checks every part); multipart above ``multipart_threshold_mb``. ``verified``: the caller
    has just hashed the file to ``sha256``, so it is not read a second time. ``absent``: the
    caller has just listed the key as missing (no HEAD first). ``progress``: called with each chunk's
    byte count as it is sent (negative when a retry starts the chunk again).
    """
    path = Path(local)
    size = path.stat().st_size
    digest = sha256 if verified and sha256 is not None else file_sha256(path)
    if sha256 is not None and sha256 != digest:
        raise DatasetMismatch(f"{path} does not match its expected sha256 (changed after prepare?)")
    s3 = s3 or client()
    settings = settings or S3Settings()
    bucket, key = parse_uri(uri)

    def send(**extra: Any) -> None:
        extra["ChecksumAlgorithm"] = "SHA256"
        s3.upload_file(str(path), bucket, key, ExtraArgs=extra, Config=settings.transfer_config(), Callback=progress)

    return _write(uri, digest, size, sse or settings.sse_config(), s3, send, absent)


def put_bytes(data: bytes, uri: str, *, s3: S3Client | None = None, sse: SSE | None = None,
              content_type: str | None = None) -> UploadResult:  # fmt: skip
    """Small-object twin of :func:`upload_file` (same idempotence and verification)."""
    digest = hashlib.sha256(data).hexdigest()
    s3 = s3 or client()
    bucket, key = parse_uri(uri)

    def send(**extra: Any) -> None:
        extra["ContentType"] = content_type or extra["ContentType"]
        s3.put_object(Bucket=bucket, Key=key, Body=data, ChecksumSHA256=_b64(digest), **extra)

    return _write(uri, digest, len(data), sse or S3Settings().sse_config(), s3, send)


def delete(uri: str, *, s3: S3Client | None = None) -> None:
    s3 = s3 or client()
    bucket, key = parse_uri(uri)
    with storage_errors(uri, s3):
        s3.delete_object(Bucket=bucket, Key=key)


PRESIGN_SECONDS = 7 * 24 * 3600  # the longest a presigned S3 URL may live


def presign(uri: str, seconds: int = PRESIGN_SECONDS) -> str:
    """A GET link a browser can open without credentials, valid ``seconds`` (7 days at most)."""
    bucket, key = parse_uri(uri)
    with storage_errors(uri):
        url: str = client().generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key},
                                                   ExpiresIn=min(seconds, PRESIGN_SECONDS))  # fmt: skip
    return url

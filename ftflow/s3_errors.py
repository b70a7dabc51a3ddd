"""S3 failures as one clear, credential-free line each (boto3/botocore errors mapped)."""

from __future__ import annotations

from boto3.exceptions import Boto3Error, RetriesExceededError
from botocore.exceptions import BotoCoreError, ClientError, ConnectionError, NoCredentialsError

from ftflow import credentials
from ftflow.errors import FtflowError

_CREDENTIAL_CODES = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken"}


class StorageError(FtflowError):
    """One-line, credential-free description of a storage failure (the CLI prints it as is).

    ``transient`` is True when trying again later may help (endpoint down, 5xx, throttling).
    """

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class DatasetMismatch(StorageError):
    """A local file's bytes differ from the hash it was published under: never uploaded."""


def _root_cause(exc: BaseException) -> BaseException:
    """Unwrap boto3's transfer wrappers to the botocore error that says what happened."""
    if isinstance(exc, RetriesExceededError) and exc.last_exception is not None:
        return _root_cause(exc.last_exception)
    inner = exc.__cause__ or exc.__context__
    if isinstance(exc, Boto3Error) and isinstance(inner, BotoCoreError | ClientError):
        return inner
    return exc


def describe(exc: BaseException, uri: str, endpoint: str, attempts: int | None) -> StorageError:
    """Map a boto3/botocore failure to one clear line (never containing credentials)."""
    root = _root_cause(exc)
    after = f" after {attempts} attempts" if attempts else ""
    if isinstance(root, ClientError):
        err = root.response.get("Error", {})
        code = str(err.get("Code", ""))
        status = root.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if code in _CREDENTIAL_CODES:
            keys = credentials.aws_hint("AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_PROFILE")
            return StorageError(f"invalid S3 credentials ({code}) at {endpoint} (check {keys})")
        if code == "AccessDenied" or status == 403:
            return StorageError(f"S3 access denied for {uri} (check {credentials.aws_hint('AWS_ACCESS_KEY_ID')} / permissions)")  # fmt: skip
        if code == "NoSuchBucket":
            bucket = uri[len("s3://") :].split("/", 1)[0]
            return StorageError(f"bucket {bucket!r} does not exist (create it, or pass --create-bucket)")  # fmt: skip
        if code in ("NoSuchKey", "NotFound") or status == 404:
            return StorageError(f"no such S3 object: {uri}")
        if status >= 500 or code in ("SlowDown", "Throttling", "RequestTimeout"):
            msg = f"S3 server error {code or status} for {uri} at {endpoint}{after}"
            return StorageError(msg, transient=True)
        return StorageError(f"S3 error {code or status} for {uri}: {err.get('Message', '')}")
    if isinstance(root, ConnectionError):
        return StorageError(f"cannot reach S3 endpoint {endpoint}{after} ({type(root).__name__})", transient=True)
    if isinstance(root, NoCredentialsError):
        where = credentials.aws_hint("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE")
        return StorageError(f"no S3 credentials found ({where})")
    return StorageError(f"S3 operation on {uri} failed: {type(root).__name__}: {root}")


def is_access_denied(exc: StorageError) -> bool:
    """Whether S3 refused the call for lack of permission (403), e.g. a LIST without s3:ListBucket."""
    root = _root_cause(exc.__cause__) if exc.__cause__ is not None else None
    if not isinstance(root, ClientError):
        return False
    code = root.response.get("Error", {}).get("Code")
    return code == "AccessDenied" or root.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 403

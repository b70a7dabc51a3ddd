"""``s3://`` URIs: parsing, joining and glob selection (no network, no boto3)."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

from ftflow.errors import UriError

GLOB_CHARS = "*?["


def is_s3_uri(value: str) -> bool:
    return value.startswith("s3://")


def parse_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/some/key`` -> ``("bucket", "some/key")``; the key may be empty."""
    if not is_s3_uri(uri):
        raise UriError(f"not an s3:// URI: {uri!r}")
    bucket, _, key = uri[len("s3://") :].partition("/")
    if not bucket:
        raise UriError(f"{uri}: S3 URI has no bucket (expected s3://BUCKET/PREFIX)")
    return bucket, key


def make_uri(bucket: str, key: str = "") -> str:
    return f"s3://{bucket}/{key}"


def join(uri: str, *parts: str) -> str:
    """Join key parts onto a URI with exactly one ``/`` between them."""
    out = uri.rstrip("/")
    for part in parts:
        if part.strip("/"):
            out += "/" + part.strip("/")
    return out


def split_glob(key: str) -> tuple[str, str | None]:
    """Split a key into the literal prefix to list and the fnmatch pattern (None: no glob)."""
    cut = min((key.index(c) for c in GLOB_CHARS if c in key), default=-1)
    return (key, None) if cut < 0 else (key[:cut], key)


def select_keys(key: str, keys: Iterable[str]) -> list[str]:
    """Keys matched by ``key``: itself if it is an object, everything under it as a prefix,
    or fnmatch for globs (``*`` also crosses ``/``). Folder markers (``.../``) never match."""
    keys = [k for k in keys if not k.endswith("/")]
    _, pattern = split_glob(key)
    if pattern is not None:
        return sorted(k for k in keys if fnmatch.fnmatchcase(k, pattern))
    if key in keys:
        return [key]
    folder = key if not key or key.endswith("/") else key + "/"
    return sorted(k for k in keys if k.startswith(folder))

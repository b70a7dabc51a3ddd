"""Byte ranges of an S3 object, for readers that never hold the object whole: a cluster's workers
each read their own range of an input (ranged GETs), and one of them streams the object once for
its SHA-256 (checked against the object's ``sha256`` metadata, as ``s3.read_bytes`` does).

Credentials and endpoint come from the process's standard AWS environment (``AWS_*`` variables,
``~/.aws``), which is what a Dask worker has; ``s3.client()`` is per process.
"""

from __future__ import annotations

import hashlib

from ftflow import s3

CHUNK = 8 << 20  # bytes per read while hashing a whole object


def size(uri: str) -> int:
    info = s3.head(uri)
    if info is None:
        raise s3.StorageError(f"{uri}: no such object")
    return int(info.size)


def read_range(uri: str, lo: int, hi: int) -> bytes:
    """Bytes lo..hi-1 of the object (b"" for an empty range)."""
    if hi <= lo:
        return b""
    client = s3.client()
    bucket, key = s3.parse_uri(uri)
    with s3.storage_errors(uri, client):
        r = client.get_object(Bucket=bucket, Key=key, Range=f"bytes={lo}-{hi - 1}")
        data: bytes = r["Body"].read()
    return data


def sha256(uri: str) -> str:
    """Hex SHA-256 of the whole object, streamed; a mismatch with its ``sha256`` metadata is an error."""
    client = s3.client()
    bucket, key = s3.parse_uri(uri)
    h = hashlib.sha256()
    with s3.storage_errors(uri, client):
        r = client.get_object(Bucket=bucket, Key=key)
        for chunk in r["Body"].iter_chunks(CHUNK):
            h.update(chunk)
    digest = h.hexdigest()
    expected = r.get("Metadata", {}).get(s3.SHA256_METADATA)
    if expected and expected != digest:
        raise s3.StorageError(f"corrupt object {uri}: content does not match its sha256 metadata")
    return digest


class RangeCache:
    """Reads of nearby ranges served from one window fetched at once (a quarantine reads its
    rejected rows' lines in file order: one GET per WINDOW bytes, not one per line)."""

    WINDOW = 4 << 20

    def __init__(self, uri: str) -> None:
        self.uri, self.lo, self.data = uri, 0, b""

    def read(self, lo: int, hi: int) -> bytes:
        if not (self.lo <= lo and hi <= self.lo + len(self.data)):
            self.lo, self.data = lo, read_range(self.uri, lo, max(hi, lo + self.WINDOW))
        return self.data[lo - self.lo : hi - self.lo]

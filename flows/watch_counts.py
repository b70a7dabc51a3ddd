"""Row counts of files waiting in landing/, for watch-landing's `min_rows`, paid for once per file.

- Parquet: from the file's footer (its metadata holds the row count): one ranged GET of the last
  64 KiB (a second, exact one when the footer is larger); the data pages are never downloaded.
- CSV/TSV/JSONL: the object is streamed once and its non-blank lines counted (a CSV's header
  not included).
- Others (XLSX, documents): counting needs a full parse; they count as "enough" and prepare judges.

Counts are kept in S3 beside the seen list (`runs/watch/counts.json`), keyed by URI and ETag: a
file that keeps waiting (too few rows so far, or uploads still going on) is never downloaded
again; a file replaced under the same name has a new ETag and is counted again. The cache holds
only the files waiting when it was last saved (announced or deleted ones drop out then).
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from prefect.exceptions import MissingContextError
from prefect.logging import get_logger, get_run_logger

from ftflow import s3
from ftflow.errors import FtflowError
from ftflow.layout import StorageLayout
from ftflow.tasks.prepare.ingest import FORMATS

UNCOUNTED = 1_000_000  # XLSX and documents: counting needs a parse; let prepare judge
FOOTER_PROBE = 64 * 1024  # one ranged GET reads most Parquet footers whole
_STREAM_CHUNK = 1 << 20


class LandingFileError(FtflowError):
    """A file in landing/ that cannot be what its name says (e.g. a .parquet without a footer)."""


def counts_uri(storage: str) -> str:
    return s3.join(StorageLayout(storage).run("watch"), "counts.json")


def _log() -> Any:
    try:
        return get_run_logger()
    except MissingContextError:  # called outside a flow run
        return get_logger("ftflow.watch")


def _get(uri: str, byte_range: str | None = None) -> bytes:
    client = s3.client()
    bucket, key = s3.parse_uri(uri)
    with s3.storage_errors(uri, client):
        kwargs: dict[str, Any] = {"Range": byte_range} if byte_range else {}
        return client.get_object(Bucket=bucket, Key=key, **kwargs)["Body"].read()


def parquet_rows(uri: str, size: int) -> int:
    """Rows of a Parquet object from its footer, read with ranged GETs (never the data pages)."""
    if size < 12:
        raise LandingFileError(f"{uri}: {size} bytes is too small to be a Parquet file")
    tail = _get(uri, f"bytes=-{min(size, FOOTER_PROBE)}")
    if tail[-4:] != b"PAR1":
        raise LandingFileError(f"{uri}: not a Parquet file (no PAR1 magic at its end)")
    footer_len = struct.unpack("<I", tail[-8:-4])[0]
    if footer_len + 8 > size:
        raise LandingFileError(f"{uri}: Parquet footer of {footer_len} bytes is larger than the file")
    if footer_len + 8 > len(tail):
        tail = _get(uri, f"bytes=-{footer_len + 8}")
    try:
        return pq.read_metadata(pa.BufferReader(tail[-(footer_len + 8) :])).num_rows
    except (OSError, pa.ArrowException) as exc:
        raise LandingFileError(f"{uri}: unreadable Parquet footer: {exc}") from None


def text_rows(uri: str, fmt: str) -> int:
    """Non-blank lines of a CSV/TSV/JSONL object, streamed (the header of a CSV/TSV not counted)."""
    client = s3.client()
    bucket, key = s3.parse_uri(uri)
    lines = 0
    with s3.storage_errors(uri, client):
        body = client.get_object(Bucket=bucket, Key=key)["Body"]
        for line in body.iter_lines(chunk_size=_STREAM_CHUNK):
            if line.strip():
                lines += 1
    return max(lines - 1, 0) if fmt in ("csv", "tsv") else lines


def count_rows(obj: s3.ObjectInfo) -> int:
    """Rows in one landed object (see the module's docstring for how each format is counted)."""
    fmt = FORMATS.get("." + obj.uri.rsplit(".", 1)[-1].lower())
    if fmt == "parquet":
        try:
            return parquet_rows(obj.uri, obj.size)
        except LandingFileError as exc:  # announced anyway: prepare reports the file by name
            _log().warning("%s; counted as enough rows, prepare will judge it", exc)
            return UNCOUNTED
    if fmt in ("csv", "tsv", "jsonl"):
        return text_rows(obj.uri, fmt)
    return UNCOUNTED


def load_counts(storage: str) -> dict[str, dict[str, Any]]:
    """uri -> {"etag": ..., "rows": ...} of files counted by an earlier run."""
    uri = counts_uri(storage)
    if s3.head(uri) is None:
        return {}
    try:
        data = json.loads(s3.read_bytes(uri))
    except ValueError:
        return {}  # a damaged cache only costs a recount
    return data if isinstance(data, dict) else {}


def cached_counts(storage: str, objects: Iterable[s3.ObjectInfo]) -> tuple[dict[str, int], int]:
    """Rows of each object (uri -> rows), counting only those not cached under their current ETag;
    saves the cache (only the given objects: the ones still waiting) when it changed. Returns the
    counts and how many objects were counted now."""
    objects = list(objects)
    cache = load_counts(storage)
    rows: dict[str, int] = {}
    fresh = 0
    for obj in objects:
        hit = cache.get(obj.uri)
        if hit is not None and obj.etag and hit.get("etag") == obj.etag and isinstance(hit.get("rows"), int):
            rows[obj.uri] = hit["rows"]
        else:
            rows[obj.uri] = count_rows(obj)
            fresh += 1
    kept = {o.uri: {"etag": o.etag, "rows": rows[o.uri]} for o in objects if o.etag}
    if kept != cache:
        s3.put_bytes(json.dumps(kept, indent=1, sort_keys=True).encode(), counts_uri(storage),
                     content_type="application/json")  # fmt: skip
    return rows, fresh

"""What ingest does for every file before a reader sees it: read its bytes (a local file, or an
S3 object checked against its stored SHA-256) and settle a text file's encoding."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ftflow.config import PrepareConfig
from ftflow.errors import InputError
from ftflow.tasks.prepare.readers import text_encoding

if TYPE_CHECKING:
    from ftflow.tasks.prepare.ingest import InputFile


def with_encoding(cfg: PrepareConfig, info: InputFile, sample: bytes, *, complete: bool) -> PrepareConfig:
    """The config to read this file with: its encoding, configured or detected, filled in."""
    info.encoding, info.encoding_detected = text_encoding.file_encoding(info.path, sample, cfg.encoding,
                                                                        complete=complete)  # fmt: skip
    return cfg if cfg.encoding == info.encoding else cfg.model_copy(update={"encoding": info.encoding})


def read_source(path: str) -> bytes:
    """A local file, or an S3 object (checked against its stored SHA-256)."""
    if path.startswith("s3://"):
        from ftflow import s3

        return s3.read_bytes(path)
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError([f"{path}: cannot read ({exc.strerror})"]) from None

"""JSONL (.jsonl, .ndjson, .json): one example per line, or, for a .json file holding an array of
records, one per item. A local file is parsed straight from disk in byte ranges on every core
(tasks/prepare/readers/jsonl.py) and hashed on the way, never held whole in this process."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from ftflow.config import PrepareConfig
from ftflow.errors import InputError
from ftflow.tasks.prepare import input_checks
from ftflow.tasks.prepare.readers import Reader, register, text_encoding
from ftflow.tasks.prepare.readers.jsonl import read_jsonl
from ftflow.tasks.prepare.readers.source import read_source, with_encoding
from ftflow.tasks.prepare.readers.tables import add_record
from ftflow.tasks.prepare.row_blocks import Builder, RowBlock

if TYPE_CHECKING:
    from ftflow.tasks.prepare.ingest import InputFile


@register
class JsonlReader(Reader):
    name = "jsonl"
    suffixes = (".jsonl", ".ndjson", ".json")
    text = True
    counts_rows = True

    def read(self, builder: Builder, idx: int, info: InputFile, data: bytes, cfg: PrepareConfig) -> None:
        if read_json_document(builder, idx, info, data, cfg):
            return
        block, _, _ = read_jsonl(data, len(data), cfg)
        add_jsonl_block(builder, idx, info, block)

    def read_path(self, builder: Builder, idx: int, info: InputFile, cfg: PrepareConfig) -> bool:
        """A local path, or an s3:// URI when the executor's workers read S3 themselves (dask)."""
        read_local_jsonl(builder, idx, info, cfg)
        return True


def read_json_document(builder: Builder, idx: int, info: InputFile, data: bytes, cfg: PrepareConfig) -> bool:
    """A .json file holding an array of records: one example per item (`item 3`); False if not one."""
    records = input_checks.json_document(info.path, data, cfg.encoding or "utf-8", Path(info.path).suffix.lower())
    if records is None:
        return False
    for i, record in enumerate(records):
        add_record(builder, idx, i + 1, f"item {i + 1}", record, None, cfg)
    info.rows = builder.finish_file(idx)
    if not info.rows:
        raise InputError([f"{info.path}: holds an empty JSON array"])
    return True


def add_jsonl_block(builder: Builder, idx: int, info: InputFile, block: RowBlock) -> None:
    info.blank_lines = block.blank_lines
    if not len(block.rows):
        raise InputError([f"{info.path}: has only blank lines"])
    builder.add_block(idx, block)
    info.rows = len(block.rows)


def read_local_jsonl(builder: Builder, idx: int, info: InputFile, cfg: PrepareConfig) -> None:
    """A local JSONL file is parsed (and hashed) straight from disk, in parts on every core; an
    s3:// one (the dask executor) straight from S3 by the cluster's workers, a byte range each."""
    path = info.path
    if path.startswith("s3://"):  # on a cluster: the workers read the object by byte range
        from ftflow import s3_ranges

        size = s3_ranges.size(path)
        head = s3_ranges.read_range(path, 0, min(size, text_encoding.SAMPLE_BYTES))
    else:
        try:
            size = Path(path).stat().st_size
            with open(path, "rb") as f:
                head = f.read(text_encoding.SAMPLE_BYTES)
        except OSError as exc:
            raise InputError([f"{path}: cannot read ({exc.strerror})"]) from None
    if not head.strip() and size <= len(head):
        raise InputError([f"{path}: file is empty"])
    input_checks.check_not_binary(path, head, "jsonl")
    cfg = with_encoding(cfg, info, head, complete=size <= len(head))
    if input_checks.may_be_document(head, cfg.encoding or "utf-8"):
        data = read_source(path)
        if read_json_document(builder, idx, info, data, cfg):
            info.sha256, info.bytes = hashlib.sha256(data).hexdigest(), len(data)
            return
    block, all_blank, digest = read_jsonl(path, size, cfg)
    info.sha256, info.bytes = digest or "", size
    if all_blank:
        raise InputError([f"{path}: file is empty"])
    add_jsonl_block(builder, idx, info, block)

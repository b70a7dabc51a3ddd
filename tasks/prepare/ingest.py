"""Ingest: read CSV/TSV, JSONL, Parquet and XLSX files into one table of chat messages.

Every input row becomes one example with its file and line (or row) number. A row
that cannot be understood is kept as an example with a `format_error`, so it reaches
quarantine as `invalid_format` instead of disappearing; a file that cannot be read at
all (empty, header only, no usable columns, binary) is an InputError naming the file.
"""

from __future__ import annotations

import glob
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ftflow import progress
from ftflow.config import PrepareConfig
from ftflow.errors import InputError
from ftflow.tasks.prepare import executors, input_checks, readers
from ftflow.tasks.prepare.documents import DOCUMENT_FORMATS
from ftflow.tasks.prepare.readers.delimited import has_surrogates
from ftflow.tasks.prepare.readers.source import read_source, with_encoding
from ftflow.tasks.prepare.row_blocks import Builder

FORMATS = readers.formats()  # table formats by suffix: one registered reader each (tasks/prepare/readers/)
INPUT_FORMATS = {**FORMATS, **DOCUMENT_FORMATS}  # tables and documents (tasks/prepare/documents/)
MAX_ORIGINAL_CHARS = 20_000  # quarantine keeps at most this much of a rejected row


@dataclass
class InputFile:
    path: str
    format: str
    sha256: str = ""
    bytes: int = 0
    rows: int = 0
    blank_lines: int = 0
    encoding: str | None = None  # text formats: the encoding the file was read with
    encoding_detected: bool = False  # True: found by tasks/prepare/readers/text_encoding.py, not configured


@dataclass
class Ingested:
    """Examples (one per input row) and their messages (one per message, in order)."""

    files: list[InputFile]
    examples: pd.DataFrame  # file (int index into files), row (int), where (str), format_error (str|None)
    messages: pd.DataFrame  # ex, role, content (Arrow-backed text), weight (-1 = absent), name
    originals: Sequence[Any] = field(repr=False, default_factory=list)  # per example: raw line or row dict
    # Examples generated from documents (tasks/prepare/documents/): example -> its source (file, page,
    # section, chunk hash), its split group (the chunk), and why its chunk does not support it.
    sources: dict[int, dict[str, Any]] = field(default_factory=dict)
    split_groups: dict[int, str] = field(default_factory=dict)
    ungrounded: dict[int, str] = field(default_factory=dict)
    documents: dict[str, Any] | None = None  # the documents' report for the manifest

    def original(self, ex: int) -> Any:
        value = _writable(self.originals[ex])
        if isinstance(value, str) and len(value) > MAX_ORIGINAL_CHARS:
            return value[:MAX_ORIGINAL_CHARS] + f"… [{len(value) - MAX_ORIGINAL_CHARS} more characters]"
        return value


def _writable(value: Any) -> Any:
    """A raw row as JSON can hold it: bytes the encoding could not decode (kept as lone
    surrogates by `surrogateescape`) are shown as `\\xe9` escapes instead of failing the write."""
    if isinstance(value, str):
        return value if not has_surrogates(value) else value.encode("utf-8", "surrogateescape").decode(
            "utf-8", "backslashreplace")  # fmt: skip
    if isinstance(value, dict):
        return {_writable(k): _writable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_writable(v) for v in value]
    return value


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Files, directories (every supported file inside) and globs, in a stable order."""
    found, problems = _expand(inputs)
    if problems:
        raise InputError(problems)
    return found


def _expand(inputs: Iterable[str]) -> tuple[list[str], list[str]]:
    """(files found, problems): every input is looked at even when an earlier one is wrong."""
    found: list[str] = []
    problems: list[str] = []
    seen: dict[tuple[int, int], str] = {}  # (device, inode) -> first path: a file reached twice is read once
    for spec in inputs:
        if spec.startswith("s3://"):
            from ftflow import s3  # boto3 only when S3 is used

            matches = [u for u in s3.expand(spec)
                       if Path(u).suffix.lower() in INPUT_FORMATS or not s3.split_glob(spec)[1]]  # fmt: skip
            if not matches:
                problems.append(f"{spec}: matches no input objects")
            found.extend(m for m in matches if m not in found)
            continue
        path = Path(spec)
        if path.is_dir():
            # is_file: a partitioned dataset is a folder named like a file (events.parquet/)
            matches = sorted(str(p) for p in path.rglob("*") if p.suffix.lower() in INPUT_FORMATS and p.is_file())
        elif any(c in spec for c in "*?["):
            matches = sorted(p for p in glob.glob(spec, recursive=True) if Path(p).is_file())
        elif path.is_file():
            matches = [spec]
        else:
            problems.append(f"{spec}: {input_checks.missing(path)}")
            continue
        if not matches:
            problems.append(f"{spec}: matches no input files ({', '.join(sorted(set(INPUT_FORMATS)))})")
        found.extend(m for m in matches if m not in found and input_checks.first_visit(m, seen))
    return found, problems


def ingest(inputs: list[str], cfg: PrepareConfig, reviewer: Any = None) -> Ingested:
    """The ingest stage: expand the inputs and read them all; every problem is reported at once."""
    found, problems = _expand(inputs)
    try:
        result = read_inputs(found, cfg, reviewer)
    except InputError as exc:
        raise InputError(problems + exc.problems) from None
    if problems:
        raise InputError(problems)
    return result


def read_inputs(paths: list[str], cfg: PrepareConfig, reviewer: Any = None) -> Ingested:
    """Read every file; collect all file-level problems before failing, so one run shows them all.
    Documents become generated Q&A rows (tasks/prepare/documents/stage.py), after every file was read."""
    builder = Builder()
    files: list[InputFile] = []
    problems: list[str] = []
    documents: list[tuple[int, str]] = []
    bar = progress.track("ingest", total=_table_bytes(paths), unit="bytes")  # per file read: bytes, rows
    for idx, path in enumerate(paths):
        fmt = FORMATS.get(Path(path).suffix.lower())
        info = InputFile(path=path, format=fmt or DOCUMENT_FORMATS.get(Path(path).suffix.lower(), "unknown"))
        files.append(info)
        if info.format in DOCUMENT_FORMATS.values():
            documents.append((idx, path))
            continue
        if fmt is None:
            problems.append(f"{path}: unsupported file type; use CSV, TSV, JSONL, Parquet, XLSX, or a document "
                            "(PDF, DOCX, PPTX, HTML, Markdown, text, PNG/JPEG/TIFF scans)")  # fmt: skip
            continue
        try:
            _read_file(builder, idx, info, cfg)
        except InputError as exc:
            problems.extend(exc.problems)
            builder.discard()
            continue
        bar.advance(info.bytes, rows=info.rows, files=1)
    bar.close()
    loaded = None
    if documents:
        from ftflow.tasks.prepare.documents import stage

        loaded, doc_problems = stage.load(documents, cfg, read_source)
        problems.extend(doc_problems)
    if problems:
        raise InputError(problems)
    n_tables = sum(len(b.rows) for _, b in builder.blocks)
    added = None
    if loaded is not None:
        from ftflow.llm import openai_client

        added = stage.add_rows(builder, files, loaded, cfg, openai_client, reviewer)
    examples, messages, originals = builder.frames()
    ing = Ingested(files=files, examples=examples, messages=messages, originals=originals)
    if added is not None:
        ing.sources = {n_tables + i: s for i, s in enumerate(added.sources)}
        ing.split_groups = {n_tables + i: g for i, g in enumerate(added.groups)}
        ing.ungrounded = {n_tables + i: why for i, why in added.ungrounded.items()}
        ing.documents = added.report
    return ing


def _table_bytes(paths: list[str]) -> int | None:
    """The size of the table files to read (None when some are on S3: not known without a request)."""
    tables = [p for p in paths if Path(p).suffix.lower() in FORMATS]
    try:
        return None if any(p.startswith("s3://") for p in tables) else sum(Path(p).stat().st_size for p in tables)
    except OSError:  # reported by the reader, with its file name
        return None


def _read_file(builder: Builder, idx: int, info: InputFile, cfg: PrepareConfig) -> None:
    """What every format shares (bytes, hash, empty, binary, encoding), then the format's reader."""
    path, reader = info.path, readers.for_format(info.format)
    # S3 objects are read here whole, unless the executor's workers read them by range (dask)
    by_path = not path.startswith("s3://") or getattr(executors.current(), "reads_s3_ranges", False)
    if by_path and reader.read_path(builder, idx, info, cfg):
        return
    data = read_source(path)
    info.sha256, info.bytes = hashlib.sha256(data).hexdigest(), len(data)
    if not data.strip():
        raise InputError([f"{path}: file is empty"])
    input_checks.check_not_binary(path, data, info.format)
    if reader.text:
        cfg = with_encoding(cfg, info, data, complete=True)
    reader.read(builder, idx, info, data, cfg)
    if not reader.counts_rows:
        info.rows = builder.finish_file(idx)
        if not info.rows:
            raise InputError([f"{path}: has a header but no data rows"])

"""Ingest: read CSV/TSV, JSONL, Parquet and XLSX files into one table of chat messages.

Every input row becomes one example with its file and line (or row) number. A row
that cannot be understood is kept as an example with a `format_error`, so it reaches
quarantine as `invalid_format` instead of disappearing; a file that cannot be read at
all (empty, header only, no usable columns, binary) is an InputError naming the file.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ftflow.config import PrepareConfig
from ftflow.errors import InputError
from ftflow.tasks.prepare import input_checks
from ftflow.tasks.prepare.documents import DOCUMENT_FORMATS
from ftflow.tasks.prepare.readers import text_encoding
from ftflow.tasks.prepare.readers.jsonl import decode_problem, read_jsonl
from ftflow.tasks.prepare.records import (
    FieldPlan,
    FormatProblem,
    describe_missing,
    plan_fields,
    to_messages,
)
from ftflow.tasks.prepare.row_blocks import Builder, RowBlock

FORMATS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
           ".parquet": "parquet", ".xlsx": "xlsx"}  # fmt: skip
INPUT_FORMATS = {**FORMATS, **DOCUMENT_FORMATS}  # tables and documents (tasks/prepare/documents/)
EXTRA_FIELDS = "(fields beyond the header)"  # key of a ragged row's extra cells in its quarantined original
TEXT_FORMATS = frozenset({"csv", "tsv", "jsonl"})
MAX_ORIGINAL_CHARS = 20_000  # quarantine keeps at most this much of a rejected row

csv.field_size_limit(sys.maxsize)  # a 50 MB answer is a row to judge, not a crash


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
        return value if not _has_surrogates(value) else value.encode("utf-8", "surrogateescape").decode(
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
            if fmt == "jsonl" and not path.startswith("s3://"):
                _read_local_jsonl(builder, idx, info, cfg)
            else:
                _read_file(builder, idx, info, cfg)
        except InputError as exc:
            problems.extend(exc.problems)
            builder.discard()
            continue
    loaded = None
    if documents:
        from ftflow.tasks.prepare.documents import stage

        loaded, doc_problems = stage.load(documents, cfg, _read_source)
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


def _read_file(builder: Builder, idx: int, info: InputFile, cfg: PrepareConfig) -> None:
    path, fmt = info.path, info.format
    data = _read_source(path)
    info.sha256, info.bytes = hashlib.sha256(data).hexdigest(), len(data)
    if not data.strip():
        raise InputError([f"{path}: file is empty"])
    input_checks.check_not_binary(path, data, fmt)
    if fmt in TEXT_FORMATS:
        cfg = _with_encoding(cfg, info, data, complete=True)
    if fmt == "jsonl" and _read_json_document(builder, idx, info, data, cfg):
        return
    if fmt == "jsonl":
        block, _, _ = read_jsonl(data, len(data), cfg)
        _add_jsonl_block(builder, idx, info, block)
        return
    reader = {"csv": _read_delimited, "tsv": _read_delimited, "parquet": _read_parquet, "xlsx": _read_xlsx}[fmt]
    reader(builder, idx, info, data, cfg)
    info.rows = builder.finish_file(idx)
    if not info.rows:
        raise InputError([f"{path}: has a header but no data rows"])


def _read_local_jsonl(builder: Builder, idx: int, info: InputFile, cfg: PrepareConfig) -> None:
    """A local JSONL file is parsed (and hashed) straight from disk, in parts on every core."""
    path = info.path
    try:
        size = Path(path).stat().st_size
        with open(path, "rb") as f:
            head = f.read(text_encoding.SAMPLE_BYTES)
    except OSError as exc:
        raise InputError([f"{path}: cannot read ({exc.strerror})"]) from None
    if not head.strip() and size <= len(head):
        raise InputError([f"{path}: file is empty"])
    input_checks.check_not_binary(path, head, "jsonl")
    cfg = _with_encoding(cfg, info, head, complete=size <= len(head))
    if input_checks.may_be_document(head, cfg.encoding or "utf-8"):
        data = _read_source(path)
        if _read_json_document(builder, idx, info, data, cfg):
            info.sha256, info.bytes = hashlib.sha256(data).hexdigest(), len(data)
            return
    block, all_blank, digest = read_jsonl(path, size, cfg)
    info.sha256, info.bytes = digest or "", size
    if all_blank:
        raise InputError([f"{path}: file is empty"])
    _add_jsonl_block(builder, idx, info, block)


def _read_json_document(builder: Builder, idx: int, info: InputFile, data: bytes, cfg: PrepareConfig) -> bool:
    """A .json file holding an array of records: one example per item (`item 3`); False if not one."""
    records = input_checks.json_document(info.path, data, cfg.encoding or "utf-8", Path(info.path).suffix.lower())
    if records is None:
        return False
    for i, record in enumerate(records):
        _add_record(builder, idx, i + 1, f"item {i + 1}", record, None, cfg)
    info.rows = builder.finish_file(idx)
    if not info.rows:
        raise InputError([f"{info.path}: holds an empty JSON array"])
    return True


def _with_encoding(cfg: PrepareConfig, info: InputFile, sample: bytes, *, complete: bool) -> PrepareConfig:
    """The config to read this file with: its encoding, configured or detected, filled in."""
    info.encoding, info.encoding_detected = text_encoding.file_encoding(info.path, sample, cfg.encoding,
                                                                        complete=complete)  # fmt: skip
    return cfg if cfg.encoding == info.encoding else cfg.model_copy(update={"encoding": info.encoding})


def _add_jsonl_block(builder: Builder, idx: int, info: InputFile, block: RowBlock) -> None:
    info.blank_lines = block.blank_lines
    if not len(block.rows):
        raise InputError([f"{info.path}: has only blank lines"])
    builder.add_block(idx, block)
    info.rows = len(block.rows)


def _read_source(path: str) -> bytes:
    """A local file, or an S3 object (checked against its stored SHA-256)."""
    if path.startswith("s3://"):
        from ftflow import s3

        return s3.read_bytes(path)
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError([f"{path}: cannot read ({exc.strerror})"]) from None


def _read_delimited(builder: Builder, idx: int, info: InputFile, data: bytes, cfg: PrepareConfig) -> None:
    text = data.decode(cfg.encoding, errors="surrogateescape").removeprefix("\ufeff")
    delimiter = "\t" if info.format == "tsv" else _sniff_delimiter(text)
    # strict: a quote that is never closed (or closed in the middle of a field) is an error at its
    # line instead of silently swallowing the rows after it into one field
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        header = next(reader)
        plan = _table_plan(info.path, header, cfg)
        start = reader.line_num + 1
        for cells in reader:
            where = f"line {start}"
            row = start
            start = reader.line_num + 1
            _add_cells(builder, idx, info, row, where, header, cells, plan, cfg)
    except StopIteration:
        raise InputError([f"{info.path}: file is empty"]) from None
    except csv.Error as exc:
        hint = ""
        if "expected after" in str(exc) or "end of data" in str(exc):
            hint = ("; a quote opened in the record starting on this line is not closed where the field ends, so "
                    'the rows after it would be read as one field. Close the quote, or double a quote inside a '
                    'quoted field ("")')  # fmt: skip
        raise InputError([f"{info.path} line {start}: {exc}{hint}"]) from None


def _add_cells(builder: Builder, idx: int, info: InputFile, row: int, where: str, header: list[str],
               cells: list[str], plan: FieldPlan, cfg: PrepareConfig) -> None:  # fmt: skip
    """One CSV record: blank, ragged, undecodable, or a row to read."""
    if not any(c.strip() for c in cells):
        info.blank_lines += 1
        return
    record: dict[str, Any] = dict(zip(header, cells, strict=False))
    error = None
    if len(cells) != len(header):
        error = f"invalid_row: {len(cells)} fields where the header has {len(header)}"
        if len(cells) > len(header):
            record[EXTRA_FIELDS] = cells[len(header) :]  # kept in the quarantine's `original`
    elif any("\x00" in c for c in cells):
        error = "invalid_row: NUL byte in a field"
    elif any(_has_surrogates(c) for c in cells):
        raw = next(c for c in cells if _has_surrogates(c)).encode(cfg.encoding, "surrogateescape")
        error = f"invalid_row: {decode_problem(raw, cfg.encoding)} of a field"
    _add_record(builder, idx, row, where, record, plan, cfg, error)


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text) if not text.isascii() else False


def _sniff_delimiter(text: str) -> str:
    """The stdlib sniffer respects quoting ("notes, remarks" is one cell); ',' when unsure."""
    try:
        return csv.Sniffer().sniff(text[:65536], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _table_plan(path: str, header: list[str], cfg: PrepareConfig) -> FieldPlan:
    names = [str(h).strip().lower() for h in header]
    twice = sorted({h for h in names if h and names.count(h) > 1})
    if twice:
        where = "; ".join(f"{h!r} in columns {', '.join(str(i + 1) for i, n in enumerate(names) if n == h)}"
                          for h in twice)  # fmt: skip
        raise InputError([f"{path}: the header names a column twice ({where}); rename one so no column is "
                          "silently ignored"])  # fmt: skip
    plan = plan_fields([str(h) for h in header], cfg.columns)
    if plan.ambiguity is not None:
        raise InputError([f"{path}: {plan.ambiguity}"])
    if plan.messages is None and not plan.is_pair:
        raise InputError([f"{path}: " + describe_missing([str(h) for h in header], cfg.columns)])
    return plan


def _add_record(builder: Builder, idx: int, row: int, where: str, record: dict[str, Any], plan: FieldPlan,
                cfg: PrepareConfig, error: str | None = None) -> None:  # fmt: skip
    messages = None
    if error is None:
        try:
            messages = to_messages(record, plan, cfg.columns, cfg.system_prompt)
        except FormatProblem as exc:
            error = str(exc)
    builder.add(row, where, record, messages, error)


def _read_parquet(builder: Builder, idx: int, info: InputFile, data: bytes, cfg: PrepareConfig) -> None:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises several types for corrupt files
        raise InputError([f"{info.path}: not a readable Parquet file ({exc})"]) from None
    _read_frame_rows(
        builder,
        idx,
        info,
        table.column_names,
        table.to_pylist(),
        cfg,
        lambda i: (i + 1, f"row {i + 1}"),
    )


def _read_xlsx(builder: Builder, idx: int, info: InputFile, data: bytes, cfg: PrepareConfig) -> None:
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, keep_default_na=False)
    except Exception as exc:  # openpyxl raises several types for corrupt files
        raise InputError([f"{info.path}: not a readable XLSX file ({exc})"]) from None
    wanted = cfg.sheets or [name for name, df in sheets.items() if len(df.columns)]
    missing = [name for name in wanted if name not in sheets]
    if missing:
        raise InputError([f"{info.path}: no sheet named {', '.join(map(repr, missing))}; it has {list(sheets)}"])
    if not wanted:
        raise InputError([f"{info.path}: every sheet is empty"])
    for name in wanted:
        df = sheets[name]
        # Spreadsheet row numbers: the header is row 1, so data row i is row i + 2.
        _read_frame_rows(builder, idx, info, [str(c) for c in df.columns], df.to_dict("records"), cfg,
                         lambda i, name=name: (i + 2, f"sheet {name!r} row {i + 2}"), f"sheet {name!r}",
                         skip_blank=True)  # fmt: skip


def _read_frame_rows(builder: Builder, idx: int, info: InputFile, columns: list[str], rows: list[dict[str, Any]],
                     cfg: PrepareConfig, locate: Any, part: str = "", skip_blank: bool = False) -> None:  # fmt: skip
    plan = _table_plan(f"{info.path} {part}".strip(), columns, cfg)
    for i, record in enumerate(rows):
        if skip_blank and all(isinstance(v, str) and not v.strip() for v in record.values()):
            info.blank_lines += 1  # an empty spreadsheet row, like a blank CSV line
            continue
        row, where = locate(i)
        _add_record(builder, idx, row, where, record, plan, cfg)

"""CSV and TSV: the physical line where each record starts is its place (header = line 1)."""

from __future__ import annotations

import csv
import io
import sys
from typing import TYPE_CHECKING, Any

from ftflow.config import PrepareConfig
from ftflow.errors import InputError
from ftflow.tasks.prepare.readers import Reader, register
from ftflow.tasks.prepare.readers.jsonl import decode_problem
from ftflow.tasks.prepare.readers.tables import add_record, table_plan
from ftflow.tasks.prepare.records import FieldPlan
from ftflow.tasks.prepare.row_blocks import Builder

if TYPE_CHECKING:
    from ftflow.tasks.prepare.ingest import InputFile

EXTRA_FIELDS = "(fields beyond the header)"  # key of a ragged row's extra cells in its quarantined original

csv.field_size_limit(sys.maxsize)  # a 50 MB answer is a row to judge, not a crash


@register
class CsvReader(Reader):
    name = "csv"
    suffixes = (".csv",)
    text = True

    def read(self, builder: Builder, idx: int, info: InputFile, data: bytes, cfg: PrepareConfig) -> None:
        read_delimited(builder, idx, info, data, cfg)


@register
class TsvReader(CsvReader):
    name = "tsv"
    suffixes = (".tsv",)


def read_delimited(builder: Builder, idx: int, info: InputFile, data: bytes, cfg: PrepareConfig) -> None:
    text = data.decode(cfg.encoding, errors="surrogateescape").removeprefix("\ufeff")
    delimiter = "\t" if info.format == "tsv" else _sniff_delimiter(text)
    # strict: a quote that is never closed (or closed in the middle of a field) is an error at its
    # line instead of silently swallowing the rows after it into one field
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        header = next(reader)
        plan = table_plan(info.path, header, cfg)
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
    elif any(has_surrogates(c) for c in cells):
        raw = next(c for c in cells if has_surrogates(c)).encode(cfg.encoding, "surrogateescape")
        error = f"invalid_row: {decode_problem(raw, cfg.encoding)} of a field"
    add_record(builder, idx, row, where, record, plan, cfg, error)


def has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text) if not text.isascii() else False


def _sniff_delimiter(text: str) -> str:
    """The stdlib sniffer respects quoting ("notes, remarks" is one cell); ',' when unsure."""
    try:
        return csv.Sniffer().sniff(text[:65536], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","

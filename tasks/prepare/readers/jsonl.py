"""JSONL input: one example per line, parsed into columns, on every core for big files.

A large file is cut at line boundaries into one part per core; each part is parsed in
its own process and comes back as compact columns (an Arrow string array for the
texts, numpy arrays for the rest), so no per-row Python object crosses a process
boundary. Within a part, blocks of plain chat lines are read by Arrow's JSON reader
(tasks/prepare/readers/jsonl_arrow.py) and everything else by `parse_line`. The raw lines are not
kept: a rejected row's original is read back from the file (or the in-memory S3
object) by its byte span when the quarantine is written.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
import pyarrow as pa

from ftflow.config import PrepareConfig
from ftflow.hashing import file_sha256
from ftflow.tasks.prepare import executors, parallel
from ftflow.tasks.prepare.readers import jsonl_arrow
from ftflow.tasks.prepare.records import ROLES, FormatProblem, Message, to_messages
from ftflow.tasks.prepare.row_blocks import RowBlock, concat

BOM = b"\xef\xbb\xbf"  # Notepad and PowerShell add one
MIN_PARALLEL_BYTES = 16 << 20  # smaller files are parsed in this process
WINDOW_BYTES = 32 << 20  # raw bytes a part holds at once (a longer line makes a longer window)
HASH_DISCOUNT = 0.8  # hashing the file costs about a fifth of parsing a part of it
_ROLE_CODE = {role: np.int8(i) for i, role in enumerate(ROLES)}


class LineSource(Sequence[str]):
    """Lines of a file or buffer by byte span, decoded on access (a quarantine reads few of them)."""

    def __init__(self, source: bytes | str, starts: np.ndarray, ends: np.ndarray, encoding: str) -> None:
        self.source, self.starts, self.ends, self.encoding = source, starts, ends, encoding
        self._fd: int | None = None
        self._ranges: Any = None  # an s3_ranges.RangeCache for an s3:// source

    def __del__(self) -> None:
        if self._fd is not None:
            os.close(self._fd)

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        lo, hi = int(self.starts[i]), int(self.ends[i])
        if isinstance(self.source, bytes):
            raw = self.source[lo:hi]
        elif self.source.startswith("s3://"):  # read by a cluster's workers: a rejected row's line, by range
            if self._ranges is None:
                from ftflow import s3_ranges  # boto3 only when S3 is used

                self._ranges = s3_ranges.RangeCache(self.source)
            raw = self._ranges.read(lo, hi)
        else:
            if self._fd is None:
                self._fd = os.open(self.source, os.O_RDONLY)
            raw = os.pread(self._fd, hi - lo, lo)
        return raw.decode(self.encoding, errors="replace")


def decode_problem(raw: bytes, encoding: str) -> str | None:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError as exc:
        return f"not valid {encoding}: byte 0x{raw[exc.start]:02x} at column {exc.start + 1}"
    return None


def parse_line(raw: bytes, cfg: PrepareConfig, utf8: bool) -> tuple[str | None, list[Message] | None]:
    """(format error, messages) of one non-blank line, `\\r` already removed."""
    if b"\x00" in raw:
        return f"invalid_json: NUL byte at column {raw.index(0) + 1}", None
    try:
        record = orjson.loads(raw if utf8 else raw.decode(cfg.encoding, errors="replace"))
        return None, to_messages(record, None, cfg.columns, cfg.system_prompt)
    except orjson.JSONDecodeError as exc:
        return "invalid_json: " + (decode_problem(raw, cfg.encoding) or str(exc)), None
    except FormatProblem as exc:
        return str(exc), None


@dataclass
class _Part:
    n_lines: int
    all_blank: bool
    block: RowBlock
    starts: np.ndarray
    ends: np.ndarray


def read_jsonl(source: bytes | str, size: int, cfg: PrepareConfig) -> tuple[RowBlock, bool, str | None]:
    """Parse a whole JSONL file: its block, whether it is all blank, and (for a path) its sha256.

    `source` is the file's bytes, a local path, or (on a cluster) an ``s3://`` URI that the
    workers read by byte range. A path or URI is also hashed, by the process that parses the
    last part (a little smaller for it), so the file is never held in this process's memory
    as a whole.
    """
    n_parts = parallel.workers_for(size, MIN_PARALLEL_BYTES)
    hashing = isinstance(source, str)
    cuts = _cut_points(source, size, n_parts, last_share=HASH_DISCOUNT if hashing and n_parts > 1 else 1.0)
    spans = list(itertools.pairwise(cuts))

    with parallel.no_gc():
        results = executors.current().map(_parse_span, (source, spans, cfg, hashing), range(len(spans)))
    parts = [part for part, _ in results]
    return _merge(parts, source, cfg), all(p.all_blank for p in parts), results[-1][1]


def _parse_span(shared: tuple[bytes | str, list[tuple[int, int]], PrepareConfig, bool], k: int
                ) -> tuple[_Part, str | None]:  # fmt: skip
    """Parse the k-th byte range; the process parsing the last one also hashes a file path."""
    source, spans, cfg, hashing = shared
    part = _parse_part(source, spans[k], cfg)
    if not (hashing and k == len(spans) - 1):
        return part, None
    if _on_s3(source):
        from ftflow import s3_ranges

        return part, s3_ranges.sha256(source)  # type: ignore[arg-type]
    return part, file_sha256(source)  # type: ignore[arg-type]


def _on_s3(source: bytes | str) -> bool:
    return isinstance(source, str) and source.startswith("s3://")


def _read_span(source: bytes | str, lo: int, hi: int) -> bytes:
    if isinstance(source, bytes):
        return source[lo:hi]
    if _on_s3(source):  # a cluster's worker reads its own range of the object
        from ftflow import s3_ranges

        return s3_ranges.read_range(source, lo, hi)  # type: ignore[arg-type]
    with open(source, "rb") as f:
        return os.pread(f.fileno(), hi - lo, lo)


def _cut_points(source: bytes | str, size: int, n_parts: int, last_share: float = 1.0) -> list[int]:
    """Part boundaries just after a newline, so that no line is split; the last part gets
    `last_share` of an even share (its process has other work too)."""
    even = size / (n_parts - 1 + last_share) if n_parts > 1 else size
    cuts = [0]
    for k in range(1, n_parts):
        target = max(int(even * k), cuts[-1])
        while target < size:
            window = _read_span(source, target, min(size, target + (1 << 16)))
            nl = window.find(b"\n")
            if nl >= 0:
                target += nl + 1
                break
            target += len(window)
        if cuts[-1] < target < size:
            cuts.append(target)
    return [*cuts, size]


def _parse_part(source: bytes | str, span: tuple[int, int], cfg: PrepareConfig) -> _Part:
    """Parse the lines in bytes lo..hi of `source`, a window of about WINDOW_BYTES at a time
    (so the part's raw lines are never all in memory at once)."""
    utf8 = cfg.encoding.lower().replace("_", "-") in ("utf-8", "utf8")
    plain = jsonl_arrow.applies(cfg, utf8)
    all_blank, n_lines, blank = True, 0, 0
    rows: list[np.ndarray] = []
    starts: list[np.ndarray] = []
    ends: list[np.ndarray] = []
    errors: dict[int, str] = {}
    columns: list[dict[str, Any]] = []
    n_examples = 0
    for base, window in _windows(source, *span):
        if base == 0 and window.startswith(BOM):
            window, base = window[len(BOM) :], len(BOM)
        all_blank = all_blank and (not window or window.isspace())  # as bytes.strip() sees it, without copying
        lines = window.split(b"\n")
        del window
        if lines and lines[-1] == b"":  # the window ends with a newline (or the file does)
            lines.pop()
        lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
        line_starts = base + np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64)
        kept: list[int] = []
        cr: list[bool] = []
        raws: list[bytes] = []
        for k, raw in enumerate(lines):
            has_cr = raw.endswith(b"\r")
            if has_cr:
                raw = raw[:-1]
            if not raw or raw.isspace():
                blank += 1
                continue
            kept.append(k)
            cr.append(has_cr)
            raws.append(raw)
        del lines
        for lo in range(0, len(raws), jsonl_arrow.BLOCK_LINES):
            block_raws = raws[lo : lo + jsonl_arrow.BLOCK_LINES]
            fast = jsonl_arrow.read_block(block_raws) if plain else None
            columns.append(_block_messages(block_raws, n_examples + lo, fast, cfg, utf8, errors))
        local = np.asarray(kept, dtype=np.int64)
        rows.append(local + n_lines + 1)
        starts.append(line_starts[local])
        ends.append(line_starts[local] + lengths[local] - np.asarray(cr, dtype=np.int64))
        n_lines += len(lengths)
        n_examples += len(raws)
    block = RowBlock(rows=concat(rows, np.int64), where=None, errors=errors, originals=(), **_concat_columns(columns),
                     blank_lines=blank)  # fmt: skip
    return _Part(
        n_lines=n_lines, all_blank=all_blank, block=block, starts=concat(starts, np.int64), ends=concat(ends, np.int64)
    )


def _windows(source: bytes | str, lo: int, hi: int) -> Iterator[tuple[int, bytes]]:
    """(offset, bytes) pieces of source[lo:hi], each ending just after a newline (or at hi)."""
    pos = lo
    while pos < hi:
        size = WINDOW_BYTES
        while True:
            window = _read_span(source, pos, min(hi, pos + size))
            end = pos + len(window)
            nl = window.rfind(b"\n")
            if end >= hi or nl >= 0:
                break
            size *= 2  # a line longer than the window
        if end < hi:
            window = window[: nl + 1]
        yield pos, window
        pos += len(window)


def _block_messages(raws: list[bytes], first: int, fast: jsonl_arrow.ArrowMessages | None, cfg: PrepareConfig, utf8: bool,
                    errors: dict[int, str]) -> dict[str, Any]:  # fmt: skip
    """Message columns of examples first..first+len(raws)-1: Arrow's for the rows its fast path
    accepted, the line parser's (with its errors) for the others, in example order."""
    slow = range(len(raws)) if fast is None else np.flatnonzero(~fast.ok).tolist()
    parsed: list[list[Message]] = []
    parsed_ex: list[int] = []
    for k in slow:
        error, messages = parse_line(raws[k], cfg, utf8)
        if error is not None:
            errors[first + k] = error
        elif messages:
            parsed.append(messages)
            parsed_ex.append(first + k)
    python = _message_columns(parsed, parsed_ex)
    if fast is None:
        return python
    arrow = fast.columns(first)
    if not parsed:
        return arrow
    order = np.argsort(np.concatenate((arrow["msg_ex"], python["msg_ex"])), kind="stable")
    content = pa.concat_arrays([arrow["msg_content"], python["msg_content"]]).take(pa.array(order))
    names = {**arrow["msg_names"], **{len(arrow["msg_ex"]) + i: n for i, n in python["msg_names"].items()}}
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    return {
        "msg_ex": np.concatenate((arrow["msg_ex"], python["msg_ex"]))[order],
        "msg_role": np.concatenate((arrow["msg_role"], python["msg_role"]))[order],
        "msg_content": content,
        "msg_weight": np.concatenate((arrow["msg_weight"], python["msg_weight"]))[order],
        "msg_names": {int(position[i]): n for i, n in names.items()},
    }


def _concat_columns(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    names: dict[int, str] = {}
    offset = 0
    for b in blocks:
        names.update({offset + i: n for i, n in b["msg_names"].items()})
        offset += len(b["msg_ex"])
    return {
        "msg_ex": concat([b["msg_ex"] for b in blocks], np.int64),
        "msg_role": concat([b["msg_role"] for b in blocks], np.int8),
        # chunks as they are: concatenating would copy every text
        "msg_content": pa.chunked_array([b["msg_content"] for b in blocks], type=pa.large_string()),
        "msg_weight": concat([b["msg_weight"] for b in blocks], np.int8),
        "msg_names": names,
    }


def _chunks(arr: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    return arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]


def _message_columns(parsed: list[list[Message]], parsed_ex: list[int]) -> dict[str, Any]:
    """The RowBlock message columns of the parsed examples, built column-wise (not per message)."""
    counts = np.fromiter(map(len, parsed), dtype=np.int64, count=len(parsed))
    flat = list(itertools.chain.from_iterable(parsed))
    roles, contents, weights, names = zip(*flat, strict=True) if flat else ((), (), (), ())
    weight = np.fromiter((-1 if w is None else w for w in weights), dtype=np.int8, count=len(flat))
    return {
        "msg_ex": np.repeat(np.asarray(parsed_ex, dtype=np.int64), counts),
        "msg_role": np.fromiter(map(_ROLE_CODE.__getitem__, roles), dtype=np.int8, count=len(flat)),
        "msg_content": pa.array(contents, type=pa.large_string()),
        "msg_weight": weight,
        "msg_names": {i: n for i, n in enumerate(names) if n is not None},
    }


def _merge(parts: list[_Part], source: bytes | str, cfg: PrepareConfig) -> RowBlock:
    """One block from the parts: line numbers, example and message indices continue across parts."""
    line_offset = ex_offset = msg_offset = 0
    rows, msg_ex, errors, names = [], [], {}, {}
    for p in parts:
        b = p.block
        rows.append(b.rows + line_offset)
        msg_ex.append(b.msg_ex + ex_offset)
        errors.update({ex + ex_offset: e for ex, e in b.errors.items()})
        names.update({m + msg_offset: n for m, n in b.msg_names.items()})
        line_offset += p.n_lines
        ex_offset += len(b.rows)
        msg_offset += len(b.msg_ex)
    starts = np.concatenate([p.starts for p in parts])
    ends = np.concatenate([p.ends for p in parts])
    return RowBlock(
        rows=np.concatenate(rows),
        where=None,
        errors=errors,
        originals=LineSource(source, starts, ends, cfg.encoding),
        msg_ex=np.concatenate(msg_ex),
        msg_role=np.concatenate([p.block.msg_role for p in parts]),
        msg_content=pa.chunked_array([c for p in parts for c in _chunks(p.block.msg_content)], type=pa.large_string()),
        msg_weight=np.concatenate([p.block.msg_weight for p in parts]),
        msg_names=names,
        blank_lines=sum(p.block.blank_lines for p in parts),
    )

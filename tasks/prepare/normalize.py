"""Normalize: make equal texts equal bytes before any rule looks at them.

HTML entities are decoded, text is put in Unicode NFC, control characters go, and odd
whitespace is tidied while line structure and indentation (lists, code) survive. Then
personal data is redacted with typed placeholders, or only detected when the config
asks to quarantine such rows instead.

Most texts need none of this: one vectorised check picks the rows that some step would
change, and only those go through the steps (on every core for a big dataset).
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ftflow.tasks.prepare import encoding_repair, executors, parallel, pii, pii_national
from ftflow.tasks.prepare.ingest import Ingested
from ftflow.tasks.prepare.textcol import replace_in_chunks, replace_rows, text_arrow, text_series

# Control and invisible characters; tab and newline are kept.
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x{200b}\x{200c}\x{200d}\x{2060}\x{feff}]"
BLOCK = 100_000  # texts a worker normalizes at once: bounds its temporaries
_SPACES = r"[\x{00a0}\x{2000}-\x{200a}\x{202f}\x{205f}\x{3000}]"
# An ASCII text matching none of these is left unchanged by every step of _normalize_all
# (ASCII is already NFC, and the other steps only act on these characters); the trim
# step's ASCII whitespace outside RE2's \s (\v, \x1c-\x1f) is in the control class.
_MAY_CHANGE_ASCII = r"[&\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|[ \t]\n|\S[ \t][ \t]|\n\n\n|^\s|\s$"


def normalize_texts(texts: Sequence[str]) -> list[str]:
    """Unescape HTML entities, NFC, drop control characters, tidy whitespace."""
    return normalize_array(pa.array(texts, type=pa.large_string())).to_pylist()


def normalize_array(arr: pa.Array) -> pa.Array:
    """`normalize_texts` on an Arrow array, running the steps only on rows they may change."""
    return _normalize_candidates(arr)[1]


def _normalize_candidates(arr: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """(rows the steps may change, `arr` with those rows normalized)."""
    may_change = pc.or_(pc.invert(pc.string_is_ascii(arr)), pc.match_substring_regex(arr, _MAY_CHANGE_ASCII))
    mask = may_change.fill_null(False).to_numpy(zero_copy_only=False)
    if not mask.any():
        return mask, arr
    return mask, replace_rows(arr, mask, _normalize_all(arr.filter(pa.array(mask))))


def _normalize_all(arr: pa.Array) -> pa.Array:
    has_entity = pc.match_substring(arr, "&").to_numpy(zero_copy_only=False)
    if has_entity.any():
        values = arr.to_pylist()
        for i in np.flatnonzero(has_entity):
            # Twice: exports often escape twice ("&amp;nbsp;").
            values[i] = html.unescape(html.unescape(values[i]))
        arr = pa.array(values, type=pa.large_string())
    arr = pc.replace_substring_regex(arr, r"\r\n?", "\n")
    arr = pc.utf8_normalize(arr, form="NFC")
    arr = pc.replace_substring_regex(arr, _CONTROL, "")
    arr = pc.replace_substring_regex(arr, _SPACES, " ")
    arr = pc.replace_substring_regex(arr, r"[ \t]+\n", "\n")  # trailing blanks on a line
    arr = pc.replace_substring_regex(arr, r"(\S)[ \t]{2,}", r"\1 ")  # runs inside a line, not indentation
    arr = pc.replace_substring_regex(arr, r"\n{3,}", "\n\n")
    return pc.utf8_trim_whitespace(arr)


@dataclass
class Normalized:
    contents: Sequence[str]
    pii_found: np.ndarray  # per message: number of PII matches
    pii_by_type: dict[str, int]
    encoding_repaired: int = 0  # messages whose mojibake ftfy repaired


def normalize_contents(contents: Sequence[str], pii_mode: str,
                       regions: Sequence[str] = pii_national.DEFAULT_REGIONS) -> Normalized:  # fmt: skip
    """Repair mojibake, normalize every message; redact PII unless `pii_mode` is 'quarantine' or 'off'."""
    try:
        fixed = encoding_repair.repair_texts(contents)
        contents, repaired = fixed.texts, fixed.repaired
    except UnicodeEncodeError:  # lone surrogates: Arrow cannot hold them, nor is it mojibake
        repaired = 0
    texts = normalize_texts(contents)
    found = np.zeros(len(texts), dtype=np.int64)
    totals: Counter[str] = Counter()
    if pii_mode != "off":
        redacted, counts = pii.redact_many(texts)
        try:
            arr, national = pii_national.redact_array(pa.array(redacted, type=pa.large_string()), regions)
            if national:
                redacted = arr.to_pylist()
        except UnicodeEncodeError:  # lone surrogates: no Arrow, every text checked in Python
            national = {}
            for i, t in enumerate(redacted):
                redacted[i], c = pii_national.redact_national(t, regions)
                if c:
                    national[i] = c
        for i, c in national.items():
            counts[i] = dict(Counter(counts[i]) + Counter(c))
        for i, c in enumerate(counts):
            if c:
                found[i] = sum(c.values())
                totals.update(c)
        if pii_mode == "redact":
            texts = redacted
    return Normalized(contents=texts, pii_found=found, pii_by_type=dict(sorted(totals.items())),
                      encoding_repaired=repaired)  # fmt: skip


def normalize_examples(ing: Ingested, pii_mode: str,
                       regions: Sequence[str] = pii_national.DEFAULT_REGIONS) -> Normalized:  # fmt: skip
    """The normalize stage: replace every message's content with its normalized form."""
    content = ing.messages["content"]
    if not isinstance(content.dtype, pd.ArrowDtype):  # texts Arrow cannot hold (lone surrogates)
        norm = normalize_contents(content.tolist(), pii_mode, regions)
        ing.messages["content"] = pd.Series(norm.contents, dtype=object, index=content.index)
        return norm
    arr = text_arrow(content)
    sizes = pc.binary_length(arr).to_numpy(zero_copy_only=False) if len(arr) else np.zeros(0)
    spans = parallel.split_even(sizes, parallel.workers_for(len(arr)))
    with parallel.no_gc():
        parts = executors.current().map(_normalize_span, (arr, pii_mode, tuple(regions)), spans)
    found = np.concatenate([p.pii_found for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    totals: Counter[str] = Counter()
    for p in parts:
        totals.update(p.pii_by_type)
    rows = np.concatenate([p.rows for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    values = pa.concat_arrays([p.values for p in parts]) if parts else pa.array([], type=pa.large_string())
    ing.messages["content"] = text_series([replace_in_chunks(arr, rows, values)]).set_axis(content.index)
    return Normalized(ing.messages["content"], found, dict(sorted(totals.items())), sum(p.repaired for p in parts))


@dataclass
class _PartChanges:
    """What normalizing a range of texts changed: few rows, so little to send back and merge."""

    rows: np.ndarray  # indices into the whole column, ascending
    values: pa.Array  # their new texts
    pii_found: np.ndarray  # per text of the range: PII matches
    pii_by_type: Counter[str]
    repaired: int = 0  # texts whose mojibake was repaired


class _Window:
    """Texts lo..hi-1 of a column, addressed by their indices in the whole column (what a remote
    worker is sent instead of the column; `_normalize_part` only slices it)."""

    def __init__(self, arr: pa.ChunkedArray, lo: int, hi: int) -> None:
        # combined: a pickled slice would carry its parent's whole buffers
        self.texts, self.lo = pa.chunked_array([arr.slice(lo, hi - lo).combine_chunks()], type=arr.type), lo

    def slice(self, start: int, length: int) -> pa.ChunkedArray:
        return self.texts.slice(start - self.lo, length)


def _span_window(shared: tuple[pa.ChunkedArray, str, tuple[str, ...]], span: tuple[int, int]
                 ) -> tuple[tuple[_Window, str, tuple[str, ...]], tuple[int, int]]:  # fmt: skip
    arr, pii_mode, regions = shared
    return (_Window(arr, *span), pii_mode, regions), span


@executors.sliced_by(_span_window)
def _normalize_span(shared: tuple[pa.ChunkedArray | _Window, str, tuple[str, ...]], span: tuple[int, int]
                    ) -> _PartChanges:  # fmt: skip
    arr, pii_mode, regions = shared
    return _normalize_part(arr, *span, pii_mode, regions)


def _normalize_part(
    arr: pa.ChunkedArray | _Window, lo: int, hi: int, pii_mode: str, regions: Sequence[str]
) -> _PartChanges:
    """Changes to texts lo..hi-1, BLOCK texts at a time (bounded temporaries)."""
    rows: list[np.ndarray] = []
    values: list[pa.Array] = []
    found = np.zeros(hi - lo, dtype=np.int64)
    totals: Counter[str] = Counter()
    repaired = 0
    for start in range(lo, hi, BLOCK):
        block = arr.slice(start, min(BLOCK, hi - start)).combine_chunks()
        block, fixed = encoding_repair.repair_array(block)
        repaired += int(fixed.sum())
        changed, out = _normalize_candidates(block)
        changed |= fixed
        if pii_mode != "off":
            redacted, counts = pii.redact_array(out)
            redacted, national = pii_national.redact_array(redacted, regions)
            for i, c in national.items():
                counts[i] = dict(Counter(counts.get(i, {})) + Counter(c))
            for i, c in counts.items():
                found[start - lo + i] = sum(c.values())
                totals.update(c)
            if pii_mode == "redact" and counts:
                changed[list(counts)] = True
                out = redacted
        rows.append(np.flatnonzero(changed) + start)
        values.append(out.filter(pa.array(changed)))
    empty = pa.array([], type=pa.large_string())
    return _PartChanges(np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64),
                        pa.concat_arrays(values) if values else empty, found, totals, repaired)  # fmt: skip

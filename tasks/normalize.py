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

from tasks import parallel, pii
from tasks.ingest import Ingested
from tasks.textcol import replace_rows, text_arrow, text_series

# Control and invisible characters; tab and newline are kept.
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x{200b}\x{200c}\x{200d}\x{2060}\x{feff}]"
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
    may_change = pc.or_(pc.invert(pc.string_is_ascii(arr)), pc.match_substring_regex(arr, _MAY_CHANGE_ASCII))
    mask = may_change.fill_null(False).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(mask)
    if not len(rows):
        return arr
    return replace_rows(arr, mask, _normalize_all(arr.take(pa.array(rows))))


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


def normalize_contents(contents: Sequence[str], pii_mode: str) -> Normalized:
    """Normalize every message; redact PII unless `pii_mode` is 'quarantine' or 'off'."""
    texts = normalize_texts(contents)
    found = np.zeros(len(texts), dtype=np.int64)
    totals: Counter[str] = Counter()
    if pii_mode != "off":
        redacted, counts = pii.redact_many(texts)
        for i, c in enumerate(counts):
            if c:
                found[i] = sum(c.values())
                totals.update(c)
        if pii_mode == "redact":
            texts = redacted
    return Normalized(contents=texts, pii_found=found, pii_by_type=dict(sorted(totals.items())))


def normalize_examples(ing: Ingested, pii_mode: str) -> Normalized:
    """The normalize stage: replace every message's content with its normalized form."""
    content = ing.messages["content"]
    if not isinstance(content.dtype, pd.ArrowDtype):  # texts Arrow cannot hold (lone surrogates)
        norm = normalize_contents(content.tolist(), pii_mode)
        ing.messages["content"] = pd.Series(norm.contents, dtype=object, index=content.index)
        return norm
    arr = text_arrow(content)
    sizes = pc.binary_length(arr).to_numpy(zero_copy_only=False) if len(arr) else np.zeros(0)
    spans = parallel.split_even(sizes, parallel.workers_for(len(arr)))
    with parallel.no_gc():
        parts = parallel.fork_map(lambda span: _normalize_part(arr.slice(span[0], span[1] - span[0]), pii_mode), spans)
    found = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    totals: Counter[str] = Counter()
    for p in parts:
        totals.update(p[2])
    ing.messages["content"] = text_series([p[0] for p in parts]).set_axis(content.index)
    return Normalized(ing.messages["content"], found, dict(sorted(totals.items())))


def _normalize_part(chunk: pa.ChunkedArray, pii_mode: str) -> tuple[pa.Array, np.ndarray, Counter[str]]:
    """Normalized texts of one part, PII matches per text and per type."""
    arr = normalize_array(chunk.combine_chunks() if len(chunk) else pa.array([], type=pa.large_string()))
    found = np.zeros(len(arr), dtype=np.int64)
    totals: Counter[str] = Counter()
    if pii_mode != "off":
        redacted, counts = pii.redact_array(arr)
        for i, c in counts.items():
            found[i] = sum(c.values())
            totals.update(c)
        if pii_mode == "redact":
            arr = redacted
    return arr, found, totals

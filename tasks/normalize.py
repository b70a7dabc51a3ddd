"""Normalize: make equal texts equal bytes before any rule looks at them.

HTML entities are decoded, text is put in Unicode NFC, control characters go, and odd
whitespace is tidied while line structure and indentation (lists, code) survive. Then
personal data is redacted with typed placeholders, or only detected when the config
asks to quarantine such rows instead.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tasks import pii
from tasks.ingest import Ingested

# Control and invisible characters; tab and newline are kept.
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x{200b}\x{200c}\x{200d}\x{2060}\x{feff}]"
_SPACES = r"[\x{00a0}\x{2000}-\x{200a}\x{202f}\x{205f}\x{3000}]"


def normalize_texts(texts: Sequence[str]) -> list[str]:
    """Unescape HTML entities, NFC, drop control characters, tidy whitespace."""
    arr = pa.array(texts, type=pa.large_string())
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
    arr = pc.utf8_trim_whitespace(arr)
    return arr.to_pylist()


@dataclass
class Normalized:
    contents: list[str]
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
    norm = normalize_contents(ing.messages["content"].tolist(), pii_mode)
    ing.messages["content"] = norm.contents
    return norm

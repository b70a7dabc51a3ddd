"""Repair mojibake (UTF-8 text once decoded as Latin-1 / cp1252: "CafÃ© â€” donâ€™t") with ftfy.

Only texts ftfy judges broken (``ftfy.badness.is_bad``) are touched, and only its encoding fix
runs on them (no quote uncurling, no other cleanup), so good text is never rewritten. An RE2
prefilter picks the rows that hold one of the lead characters mojibake starts with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ftflow.tasks.prepare.textcol import replace_rows

# UTF-8 lead bytes (0xC2-0xF4) seen as cp1252 / Latin-1 characters.
PREFILTER_RE2 = r"[\x{00c2}-\x{00f4}][\x{0080}-\x{00bf}\x{0152}\x{0153}\x{0160}\x{0161}\x{0178}\x{017d}\x{017e}\x{0192}\x{02c6}\x{02dc}\x{2013}\x{2014}\x{2018}-\x{201e}\x{2020}-\x{2022}\x{2026}\x{2030}\x{2039}\x{203a}\x{20ac}\x{2122}]"


@dataclass
class Repaired:
    texts: list[str]
    repaired: int


def repair_text(text: str) -> str | None:
    """The repaired text, or None when ftfy does not judge `text` broken (or cannot improve it)."""
    from ftfy import fix_encoding
    from ftfy.badness import is_bad

    if not is_bad(text):
        return None
    fixed = fix_encoding(text)
    return fixed if fixed != text else None


def repair_texts(texts: Sequence[str]) -> Repaired:
    out = list(texts)
    n = 0
    for i in np.flatnonzero(candidates(pa.array(out, type=pa.large_string()))).tolist():
        fixed = repair_text(out[i])
        if fixed is not None:
            out[i] = fixed
            n += 1
    return Repaired(out, n)


def candidates(arr: pa.Array) -> np.ndarray:
    return pc.match_substring_regex(arr, PREFILTER_RE2).fill_null(False).to_numpy(zero_copy_only=False)


def repair_array(arr: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """`arr` with broken rows repaired, and the mask of repaired rows."""
    mask = candidates(arr)
    changed = np.zeros(len(arr), dtype=bool)
    if not mask.any():
        return arr, changed
    rows = np.flatnonzero(mask)
    new = []
    for row, text in zip(rows.tolist(), arr.take(pa.array(rows)).to_pylist(), strict=True):
        fixed = repair_text(text)
        if fixed is not None:
            changed[row] = True
            new.append(fixed)
    return (replace_rows(arr, changed, new) if new else arr), changed

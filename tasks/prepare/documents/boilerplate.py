"""Headers, footers and page numbers: lines a paged document repeats on most of its pages.

A line is boilerplate when, with its digits blanked (so "Page 3 of 9" matches "Page 4 of 9"),
it appears on at least `min_pages` pages and on at least half of them, in the top or bottom
few lines of each page. A lone page number at the top or bottom of a page goes too.
"""

from __future__ import annotations

import re
from collections import Counter

EDGE_LINES = 3  # headers and footers sit within this many lines of a page's top or bottom
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:page|p\.|pág\.?|página)\s*)?\d{1,4}(?:\s*(?:/|of|de)\s*\d{1,4})?(?:\s*[-–—])?\s*$",
    re.IGNORECASE,
)


def shape(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split()).lower())


def _edges(lines: list[str]) -> set[int]:
    n = len(lines)
    return set(range(min(EDGE_LINES, n))) | set(range(max(0, n - EDGE_LINES), n))


def drop_boilerplate(pages: list[list[str]], min_pages: int) -> tuple[list[list[bool]], int]:
    """For each page, which of its lines to keep; and how many were dropped."""
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({shape(lines[i]) for i in _edges(lines) if lines[i].strip()})
    threshold = max(min_pages, (len(pages) + 1) // 2)
    repeated = {s for s, count in seen.items() if count >= threshold}
    keep: list[list[bool]] = []
    dropped = 0
    for lines in pages:
        edges = _edges(lines)
        flags = []
        for i, line in enumerate(lines):
            drop = i in edges and line.strip() != "" and (shape(line) in repeated or bool(_PAGE_NUMBER.match(line)))
            flags.append(not drop)
            dropped += drop
        keep.append(flags)
    return keep, dropped

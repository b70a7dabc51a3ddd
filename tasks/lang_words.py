"""Word frequencies of one language (wordfreq's lists, read offline from its wheel).

Used where tasks/vocabulary.py (English only) cannot help: is a word a real word of the
language or the start of a longer one ("farmac" of "farmacia"), and which words are the
language's most frequent ones (the function words a cut answer often ends on).
"""

from __future__ import annotations

import bisect
import gzip
import importlib.util
import re
from functools import lru_cache
from pathlib import Path

KNOWN_ZIPF = 3.0  # a word this frequent is known outright
COMPLETION_ZIPF = 2.0  # a fragment must begin a word at least this frequent ...
COMPLETION_MARGIN = 1.0  # ... and 10x more frequent than the fragment itself
TOP_WORDS = 100  # "most frequent words" of a language: its function words and a few others
_WORD = re.compile(r"^[^\W\d_]+$")


def _buckets(lang: str) -> list[list[str]] | None:
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        return None
    data_dir = Path(spec.origin).parent / "data"
    for size in ("large", "small"):
        path = data_dir / f"{size}_{lang}.msgpack.gz"
        if path.exists():
            import msgpack  # type: ignore[import-untyped]  # a wordfreq dependency

            with gzip.open(path) as f:
                data = msgpack.load(f, raw=False)
            if data and data[0] == {"format": "cB", "version": 1}:
                return list(data[1:])
    return None


class LanguageWords:
    """Zipf frequencies of one language's words; `available` is False when wordfreq lacks it."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        buckets = _buckets(lang) or []
        self.available = bool(buckets)
        self.zipf: dict[str, float] = {}
        self.top: list[str] = []
        for i, bucket in enumerate(buckets):
            for w in bucket:
                if w not in self.zipf and _WORD.match(w):
                    self.zipf[w] = 9.0 - i / 100
                    if len(self.top) < TOP_WORDS:
                        self.top.append(w)
        self.top_rank = {w: i + 1 for i, w in enumerate(self.top)}
        self._completions = sorted(w for w, z in self.zipf.items() if z >= COMPLETION_ZIPF)
        self._zs = [self.zipf[w] for w in self._completions]

    def known(self, word: str) -> bool:
        return self.zipf.get(word, 0.0) >= KNOWN_ZIPF

    def completion(self, word: str) -> str | None:
        """The most frequent longer word `word` begins, if `word` looks like a cut piece of it."""
        if len(word) < 2 or self.known(word):
            return None
        lo = bisect.bisect_right(self._completions, word)
        hi = bisect.bisect_left(self._completions, word + "\U0010ffff", lo)
        if lo == hi:
            return None
        best = max(range(lo, hi), key=self._zs.__getitem__)
        if self._zs[best] >= max(COMPLETION_ZIPF, self.zipf.get(word, 0.0) + COMPLETION_MARGIN):
            return self._completions[best]
        return None


@lru_cache(maxsize=16)
def words_for(lang: str) -> LanguageWords:
    return LanguageWords(lang)

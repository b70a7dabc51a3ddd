"""Word frequencies of one language (wordfreq's lists, read offline from its wheel).

Used where tasks/prepare/checks/vocabulary.py (English only) cannot help: is a word a real word of the
language or the start of a longer one ("farmac" of "farmacia"), and which words are the
language's most frequent ones (the function words a cut answer often ends on).
"""

from __future__ import annotations

import bisect
import gzip
import importlib.util
import re
from functools import cached_property, lru_cache
from pathlib import Path

# wordfreq's lists come partly from chat and social media, so common cut-offs are listed too
# ("aunq" 3.0, "tien" 3.0 in Spanish): a word is known outright only at this frequency ...
KNOWN_ZIPF = 4.0
COMPLETION_ZIPF = 2.0  # ... a fragment must begin a word at least this frequent ...
COMPLETION_MARGIN = 1.5  # ... and ~30x more frequent than the fragment itself
KNOWN_MARGIN = 2.0  # ... or ~100x when the fragment is a listed word itself
LETTER_WORD_ZIPF = 6.0  # single letters this frequent are words ("a", "y", "o"; "a", "i")
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
    """Zipf frequencies of one language's words; `available` is False when wordfreq lacks it.

    The frequency table and the prefix index are built on first use (a second or so for a
    large list); the most frequent words alone are cheap.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._buckets = _buckets(lang) or []
        self.available = bool(self._buckets)
        self.top: list[str] = []
        for bucket in self._buckets:
            self.top += [w for w in bucket if _WORD.match(w)][: TOP_WORDS - len(self.top)]
            if len(self.top) >= TOP_WORDS:
                break
        self.top_rank = {w: i + 1 for i, w in enumerate(self.top)}

    @cached_property
    def zipf(self) -> dict[str, float]:
        out: dict[str, float] = {}  # rarer words than COMPLETION_ZIPF are left out: they count as 0
        for i, bucket in enumerate(self._buckets[: int((9.0 - COMPLETION_ZIPF) * 100) + 1]):
            for w in bucket:
                if w not in out and _WORD.match(w):
                    out[w] = 9.0 - i / 100
        return out

    @cached_property
    def _index(self) -> tuple[list[str], list[float]]:
        completions = sorted(w for w, z in self.zipf.items() if z >= COMPLETION_ZIPF)
        return completions, [self.zipf[w] for w in completions]

    def letter_word(self, letter: str) -> bool:
        """Is the single letter a word of the language, not just an initial or a fragment?"""
        return self.zipf.get(letter, 0.0) >= LETTER_WORD_ZIPF

    def listed(self, word: str) -> bool:
        """Is the word in the language's list at all (at least COMPLETION_ZIPF)?"""
        return word in self.zipf

    def known(self, word: str) -> bool:
        return self.zipf.get(word, 0.0) >= KNOWN_ZIPF

    def completion(self, word: str, *, known_too: bool = False) -> str | None:
        """The most frequent longer word `word` begins, if `word` looks like a cut piece of it.

        A known word ("pa", "th", listed because chat writes them) counts only with `known_too`
        (the caller saw it nowhere else in its corpus) and a completion KNOWN_MARGIN more frequent."""
        if len(word) < 2 or (self.known(word) and not known_too):
            return None
        completions, zs = self._index
        lo = bisect.bisect_right(completions, word)
        hi = bisect.bisect_left(completions, word + "\U0010ffff", lo)
        if lo == hi:
            return None
        best = max(range(lo, hi), key=zs.__getitem__)
        margin = KNOWN_MARGIN if self.known(word) else COMPLETION_MARGIN
        if zs[best] >= max(COMPLETION_ZIPF, self.zipf.get(word, 0.0) + margin):
            return completions[best]
        return None


@lru_cache(maxsize=16)
def words_for(lang: str) -> LanguageWords:
    return LanguageWords(lang)

"""Known English words, for telling a finished last word from a cut one ("pharm" of "pharmacy").

A frequency list (wordfreq) and a dictionary (english-words, Webster's 2nd), both read
offline from their wheels, plus the words a corpus uses mid-text (its domain terms).
"""

from __future__ import annotations

import bisect
import gzip
import importlib.util
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

# Base-list words at or above this Zipf frequency are known outright. The web-derived list also
# holds common cut fragments ("pharm" 2.4, "recomm" 1.3), so rarer entries must earn it.
KNOWN_ZIPF = 3.0
# A fragment is cut only if it begins a word at least this frequent ...
COMPLETION_ZIPF = 2.0
# ... and at least this much (10x) more frequent than the fragment itself.
COMPLETION_MARGIN = 1.0

# Shorter dictionary entries are mostly obscure words that double as common cut fragments.
DICTIONARY_MIN_LEN = 4


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Lowercase abbreviations below KNOWN_ZIPF that would otherwise look like cuts ("env", "auth").
_ABBREVIATIONS = _words(
    "excl misc mcg qty pkg intl natl tbd ecg ekg dob ssn ssl tls json yaml config env auth sdk"
    " cli kph repo admin dev prod async dict param params func impl args kwargs init sys obj req"
    " calc exe prev inst assoc collab edu strat phys ack tues thurs stdin stdout stderr redis"
)
# Two-letter words that legitimately end a text. wordfreq rates web junk like "sl", "ca" and "di"
# as common, so other two-letter endings are judged as fragments.
_TWO_LETTER = _words(
    "am an as at be by do go he hi if in is it me my no of oh ok on or ox so to up us we ya ye"
    " yo ah aw eh uh um hm ha ex ad id tv pc vs eg ie mg ml kg km cm mm ft lb oz pm hr hz gb mb"
    " kb tb ms ns mi yd qt pt fl dr mr st rd ii iv vi ai ui ux os io db rx dx tx hx sx fx px np ty"
)
_LOWER_WORDS = re.compile(r"^[a-z]+$", re.MULTILINE)


def _frequency_buckets() -> list[list[str]]:
    """wordfreq's large English list: bucket i holds words at frequency 10 ** (-i / 100).

    Read straight from the wheel's data file, because importing wordfreq itself (ftfy,
    langcodes, regex) costs more than the load; fall back to its API if the format changes.
    """
    spec = importlib.util.find_spec("wordfreq")
    if spec is not None and spec.origin is not None:
        path = Path(spec.origin).parent / "data" / "large_en.msgpack.gz"
        if path.exists():
            import msgpack  # type: ignore[import-untyped]  # a wordfreq dependency

            with gzip.open(path) as f:
                data = msgpack.load(f, raw=False)
            if data and data[0] == {"format": "cB", "version": 1}:
                return list(data[1:])
    import wordfreq

    return list(wordfreq.get_frequency_list("en", "large"))


@lru_cache(maxsize=1)
def _base_words() -> tuple[dict[str, float], list[str], list[float]]:
    """Zipf frequency per lowercase ASCII word, plus the frequent ones sorted for prefix search.

    Cached: ~0.2 s the first time, offline (the data ships inside the wordfreq wheel).
    """
    buckets = _frequency_buckets()
    zipf: dict[str, float] = {}
    # Rarest first, so a word listed twice keeps its higher frequency. Zipf = log10 per billion.
    for i in range(len(buckets) - 1, -1, -1):
        if buckets[i]:
            zipf.update(dict.fromkeys(_LOWER_WORDS.findall("\n".join(buckets[i])), 9.0 - i / 100))
    completions = sorted(w for w, z in zipf.items() if z >= COMPLETION_ZIPF)
    return zipf, completions, [zipf[w] for w in completions]


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """Webster's 2nd (english-words): real but rare words ("toddle", "supple") that a frequency
    list alone would mistake for fragments of common words ("toddler", "supplement")."""
    from english_words import get_english_words_set  # type: ignore[import-untyped]

    words = _LOWER_WORDS.findall("\n".join(get_english_words_set(["web2"])))
    return frozenset(w for w in words if len(w) >= DICTIONARY_MIN_LEN)


def preload() -> None:
    """Load the word lists now (cached), e.g. before forking workers that will all need them."""
    _base_words()
    _dictionary()


class Vocabulary:
    """Known words: frequent base-list English words plus words seen mid-text in the corpus.

    Corpus words make domain terms ("metformin", product names) count as complete even when the
    base list lacks them or lists them as rare. Words are lowercase ASCII.
    """

    def __init__(self, corpus_words: Iterable[str] = ()) -> None:
        self.corpus_words: set[str] = {w.lower() for w in corpus_words}

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        """Collect every lowercase word that occurs before the last word of some text.

        The last word is skipped because that is where a cut fragment would sit.
        """
        vocab = cls()
        words = vocab.corpus_words
        find = re.compile(r"[a-z]+").findall
        for text in texts:
            found = find(text.lower())
            words.update(found[:-1])
        return vocab

    def add(self, words: Iterable[str]) -> None:
        self.corpus_words.update(w.lower() for w in words)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if len(word) <= 2:
            return word in _TWO_LETTER or word in self.corpus_words
        return (
            word in self.corpus_words
            or word in _ABBREVIATIONS
            or _base_words()[0].get(word, 0.0) >= KNOWN_ZIPF
            or word in _dictionary()
        )

    def __len__(self) -> int:
        return len(self.corpus_words)

    def looks_cut(self, word: str) -> bool:
        """True if `word` is unknown but begins a markedly more common word ("pharm" -> "pharmacy")."""
        if len(word) < 2 or word in self:
            return False
        zipf, completions, zs = _base_words()
        lo = bisect.bisect_right(completions, word)
        hi = bisect.bisect_left(completions, word + "{", lo)  # "{" sorts right after "z"
        return hi > lo and max(zs[lo:hi]) >= zipf.get(word, 0.0) + COMPLETION_MARGIN

"""Content words per answer, per language: the short-answer rule that characters cannot make.

"No, no es así, y no lo es para nada de lo que se ha dicho." is 58 characters, past any
character minimum, and says nothing: every word is one of Spanish's most frequent words. An
answer's content words are those outside the TOP_WORDS most frequent words (wordfreq's lists,
tasks/prepare/checks/lang_words.py) of the languages of the dataset's answers (detected on a sample
with tasks/prepare/checks/language.py; a language with wordfreq data and at least LANGUAGE_SHARE of
the sample counts). Only answers up to MAX_CHARS are counted (a longer one is taken to have
enough); an example's value is its fewest, NaN for invalid rows or when no language qualifies.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ftflow.tasks.prepare.checks import language
from ftflow.tasks.prepare.checks.lang_words import words_for
from ftflow.tasks.prepare.records import ROLES
from ftflow.tasks.prepare.textcol import take_rows, text_arrow

if TYPE_CHECKING:
    from ftflow.config import PrepareConfig
    from ftflow.tasks.prepare.ingest import Ingested

MAX_CHARS = 160  # longer answers are not counted (they have content, or other rules judge them)
SAMPLE = 2_000  # answers the languages are detected on
LANGUAGE_SHARE = 0.05  # a language this common in the sample lends its frequent words
ENOUGH = 99.0  # the value of an answer too long to count
TOP_NOTE = "100 most frequent words"  # how the explanation names the common words
_ASSISTANT = ROLES.index("assistant")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def function_words(sample: list[str]) -> tuple[frozenset[str], list[str]]:
    """The most frequent words of the sample's languages, and those languages (most common first)."""
    counts = Counter(lang for lang in language.detect_languages(sample) if lang != language.UNKNOWN)
    total = sum(counts.values())
    langs = [lang for lang, n in counts.most_common() if n >= LANGUAGE_SHARE * total and words_for(lang).available]
    words: set[str] = set()
    for lang in langs:
        words.update(words_for(lang).top)
    return frozenset(words), langs


def count(text: str, common: frozenset[str]) -> int:
    """Words of `text` that are not among `common` (case folded; numbers are not words)."""
    return sum(w not in common for w in _WORD.findall(text.lower()))


def compute(ing: Ingested, cfg: PrepareConfig) -> pd.Series:
    """Per example: the fewest content words of its trained assistant answers (see module doc)."""
    msgs = ing.messages
    n = len(ing.examples)
    out = np.full(n, np.nan)
    if not len(msgs) or cfg.quality.min_content_words <= 0:  # off: nothing counted, nothing rejected
        return pd.Series(out)
    contents = text_arrow(msgs["content"])
    lengths = pc.utf8_length(contents).fill_null(0).to_numpy(zero_copy_only=False)
    trained = (msgs["role"].cat.codes.to_numpy() == _ASSISTANT) & (msgs["weight"].to_numpy() != 0)
    rows = np.flatnonzero(trained)
    if not len(rows):
        return pd.Series(out)
    step = max(1, len(rows) // SAMPLE)
    common, langs = function_words(take_rows(contents, rows[::step]).to_pylist())
    if not langs:
        return pd.Series(out)
    ex = msgs["ex"].to_numpy()
    values = np.full(len(msgs), ENOUGH)
    short = rows[lengths[rows] <= MAX_CHARS]
    values[short] = [count(t or "", common) for t in take_rows(contents, short).to_pylist()]
    fewest = np.full(n, np.inf)
    np.minimum.at(fewest, ex[rows], values[rows])
    valid = ing.examples["format_error"].isna().to_numpy()
    return pd.Series(np.where(valid & np.isfinite(fewest), fewest, np.nan))

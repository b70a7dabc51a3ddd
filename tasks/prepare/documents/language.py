"""The language of a chunk, so its pairs are written in it: English or Spanish by their most
common function words (enough for the two the OCR reads); anything else is left to the model."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_EN = (
    "the of and to in is are was for on with that this it be by as at or from an your you can not have has "
    "will which their they we our if when how what"
)
_ES = (
    "el la los las de del y en que es son un una para por con su sus se al lo como más pero sin sobre este "
    "esta cuando cómo qué puede pueden usted"
)
STOP_WORDS = {"en": frozenset(_EN.split()), "es": frozenset(_ES.split())}
NAMES = {"en": "English", "es": "Spanish"}


def detect(text: str) -> str:
    """'en', 'es', or 'und' when neither is clear."""
    words = [w.lower() for w in _WORD.findall(text[:5000])]
    scores = {lang: sum(w in stop for w in words) for lang, stop in STOP_WORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < 2 or scores[best] < 1.5 * min(scores.values()):
        return "und"
    return best


def name(code: str) -> str:
    return NAMES.get(code, "the same language as the passage")

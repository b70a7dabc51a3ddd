"""Is a generated answer supported by its chunk? A lexical check, plus an optional judge model.

Lexical support: the share of the answer's content words (stop words of English and Spanish
left out, accents folded, words matched on their first letters so "devoluciones" meets
"devolución" and "refunds" meets "refund") that occur in the chunk; every number in the
answer must occur in the chunk as well. A pair below `grounding_threshold`, or with a number
the chunk does not have, is `ungrounded`; so is one the judge calls unsupported.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field

from ftflow.tasks.prepare.documents.language import STOP_WORDS

STEM_CHARS = 6  # words agreeing on this many first letters count as the same word
MIN_PREFIX = 4  # ... or a shorter answer word (at least this long) that begins a chunk word
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# A capitalized word that does not start a sentence, a line or a list item: a name (a product, a
# place, a disease, a person). Swapping one is the classic error a word-share check misses.
_NAME = re.compile(r"(?<![.!?:¿¡»\n\-•*|(\[\"'«“])(?<![.!?:¿¡]\s)(?<=\s)([A-ZÁÉÍÓÚÑÜ][\w'’-]+)")
_STOP = frozenset(w for words in STOP_WORDS.values() for w in words) | frozenset(
    ["also", "do", "does", "did", "i", "me", "my", "yes", "no", "si", "sí", "ya", "les", "le", "nos", "muy", "hay"]
)

JUDGE_SCHEMA = {
    "name": "grounding_verdict",
    "strict": True,
    "schema": {
        "type": "object",
        "properties": {"supported": {"type": "boolean"}, "reason": {"type": "string"}},
        "required": ["supported", "reason"],
        "additionalProperties": False,
    },
}
JUDGE_SYSTEM = (
    "You check training data. Given a passage and a question/answer pair written from it, say whether "
    "every claim of the answer is stated in or directly implied by the passage. Anything the passage "
    "does not support (an invented number, name, step or condition) makes the answer unsupported."
)


@dataclass
class Support:
    score: float  # share of the answer's content words found in the chunk
    missing: list[str]  # content words (and numbers) of the answer the chunk lacks
    missing_numbers: list[str]
    missing_names: list[str] = field(default_factory=list)  # capitalized words mid-sentence the chunk lacks

    def supported(self, threshold: float) -> bool:
        return self.score >= threshold and not self.missing_numbers and not self.missing_names

    def describe(self, threshold: float) -> str:
        if self.missing_numbers:
            return f"number(s) not in the chunk: {', '.join(self.missing_numbers)}"
        if self.missing_names:
            return f"name(s) not in the chunk: {', '.join(self.missing_names)}"
        shown = ", ".join(self.missing[:8]) + (" …" if len(self.missing) > 8 else "")
        return f"only {self.score:.0%} of the answer's content words are in the chunk (minimum {threshold:.0%}); missing: {shown}"


def fold(text: str) -> str:
    """Lower case without accents (OCR and writers disagree on them)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if w not in _STOP and not w.isdigit() and len(w) > 1]


def _stem(word: str) -> str:
    return word[:STEM_CHARS]


def _numbers(text: str) -> set[str]:
    return {n.replace(",", ".").rstrip(".") for n in _NUMBER.findall(text)}


class ChunkIndex:
    """A chunk's words and numbers, built once for all the pairs checked against it."""

    def __init__(self, chunk_text: str) -> None:
        words = content_words(chunk_text)
        # A short answer word also matches a longer chunk word it begins ("email" in "emailed").
        self.stems = {w[:k] for w in words for k in range(MIN_PREFIX, STEM_CHARS + 1)} | set(words)
        self.numbers = _numbers(fold(chunk_text))
        self.words = set(_WORD.findall(fold(chunk_text)))

    def support(self, answer: str) -> Support:
        words = content_words(answer)
        missing = [w for w in words if _stem(w) not in self.stems]
        score = 1.0 - len(missing) / len(words) if words else 0.0
        missing_numbers = sorted(_numbers(fold(answer)) - self.numbers)
        names = [n for n in _NAME.findall(answer) if fold(n) not in _STOP and len(n) > 1]
        missing_names = [n for n in dict.fromkeys(names) if not self._has_name(n)]
        return Support(score, list(dict.fromkeys(missing)), missing_numbers, missing_names)

    def _has_name(self, name: str) -> bool:
        parts = _WORD.findall(fold(name))
        return all(p in self.words or any(w.startswith(p[:STEM_CHARS]) for w in self.words) for p in parts)


def lexical_support(answer: str, chunk_text: str) -> Support:
    return ChunkIndex(chunk_text).support(answer)


def judge_messages(chunk_text: str, question: str, answer: str) -> list[dict[str, str]]:
    user = f"[Passage]\n{chunk_text}\n\n[Question]\n{question}\n\n[Answer]\n{answer}\n\nIs the answer fully supported?"
    return [{"role": "system", "content": JUDGE_SYSTEM}, {"role": "user", "content": user}]


def parse_judge(content: str | None) -> tuple[bool | None, str]:
    """(supported, reason); None when the reply is not the asked JSON."""
    try:
        data = json.loads(content or "")
        return bool(data["supported"]), str(data.get("reason", ""))
    except (ValueError, KeyError, TypeError):
        return None, f"judge reply not in the asked format: {(content or '')[:200]!r}"

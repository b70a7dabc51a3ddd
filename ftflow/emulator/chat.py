"""Answers without a model: generic text for base models, recall for fine-tuned ones.

A fine-tuned model answers with the assistant turn of the training example whose user turn
is nearest (TF-IDF cosine over words) to the last user message. That is crude, but it gives
an evaluation something real to measure: the tuned model wins on questions close to its
training data and the base model, which ignores the domain, does not.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

GENERIC_ANSWERS = (
    "Thanks for your question. In general, the right answer depends on your specific "
    "situation, so I'd recommend checking the official documentation or contacting the "
    "relevant support team for details.",
    "That's a good question. Without more context I can only give general guidance: review "
    "the available documentation, and reach out to a specialist if anything is unclear.",
    "I'm happy to help. Generally speaking, it's best to consult the provider's help pages "
    "or customer support, as the details can vary from case to case.",
)

_WORD = re.compile(r"\w+", re.UNICODE)
_STOP_WORDS = (
    "a an the and or but if of to in on at for from by with about as is are was were be been "
    "do does did i me my we our you your it its this that these those what which who how can "
    "could would should will shall may might there their they them so not no yes please"
)
_STOP = frozenset(_STOP_WORDS.split())


def terms(text: str) -> list[str]:
    """Lower-cased words without stop words, crudely stemmed so 'passwords' meets 'password'."""
    out = []
    for word in _WORD.findall(text.lower()):
        if word in _STOP:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if len(word) > len(suffix) + 3 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        out.append(word)
    return out


@dataclass
class Match:
    index: int
    score: float


class RecallIndex:
    """TF-IDF vectors of the training questions; nearest neighbours by cosine."""

    def __init__(self, pairs: list[dict[str, str]]) -> None:
        self.pairs = pairs
        docs = [Counter(terms(p["q"])) for p in pairs]
        df: Counter[str] = Counter()
        for doc in docs:
            df.update(doc.keys())
        n = len(docs)
        self.idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
        self.vectors = [self._vector(doc) for doc in docs]

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        vec = {t: (1 + math.log(c)) * self.idf.get(t, 0.0) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items() if v}

    def search(self, text: str) -> list[Match]:
        """All examples, best first (ties keep file order)."""
        query = self._vector(Counter(terms(text)))
        scores = [sum(w * vec.get(t, 0.0) for t, w in query.items()) for vec in self.vectors]
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
        return [Match(i, scores[i]) for i in order]


def last_user_text(messages: list[dict[str, Any]]) -> str:
    from ftflow.emulator.validation import content_text

    for msg in reversed(messages):
        if msg.get("role") == "user":
            return content_text(msg.get("content"))
    return ""


def generic_answer(rng: random.Random, temperature: float) -> str:
    """A polite answer that ignores the question; temperature 0 always gives the first."""
    if temperature <= 0:
        return GENERIC_ANSWERS[0]
    return rng.choice(GENERIC_ANSWERS)


def recalled_answer(index: RecallIndex, question: str, rng: random.Random,
                    temperature: float) -> str | None:  # fmt: skip
    """The nearest example's answer; with temperature > 0, sometimes a near tie instead.

    None when no training question shares a word with ``question``: the tuned model then
    falls back to the generic style, as a real one would on an off-domain question.
    """
    matches = index.search(question)
    if not matches or matches[0].score <= 0:
        return None
    best = matches[0].score
    if temperature > 0:
        close = [m for m in matches if m.score > 0 and m.score >= best - 0.05 * temperature]
        return index.pairs[rng.choice(close).index]["a"]
    return index.pairs[matches[0].index]["a"]


# --- moderation ------------------------------------------------------------------------

CATEGORIES = (
    "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit",
    "illicit/violent", "self-harm", "self-harm/instructions", "self-harm/intent", "sexual",
    "sexual/minors", "violence", "violence/graphic",
)  # fmt: skip
_IMAGE_CATEGORIES = frozenset({"self-harm", "self-harm/instructions", "self-harm/intent",
                               "sexual", "violence", "violence/graphic"})  # fmt: skip


def moderate(text: str, flag_words: dict[str, str], has_image: bool = False) -> dict[str, Any]:
    """omni-moderation's result shape; a category is flagged when one of its words occurs."""
    words = set(_WORD.findall(text.lower()))
    hits = {category for word, category in flag_words.items() if word in words}
    rng = random.Random(text)  # tiny, stable background scores
    scores = {c: (0.93 + 0.05 * rng.random()) if c in hits else round(rng.uniform(1e-6, 2e-3), 6)
              for c in CATEGORIES}  # fmt: skip
    applied = {c: ["text", "image"] if has_image and c in _IMAGE_CATEGORIES else ["text"]
               for c in CATEGORIES}  # fmt: skip
    return {
        "flagged": bool(hits),
        "categories": {c: c in hits for c in CATEGORIES},
        "category_scores": scores,
        "category_applied_input_types": applied,
    }

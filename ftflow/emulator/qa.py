"""Structured outputs for document pairs: deterministic, extractive Q&A from a chunk, and a
grounding verdict. A stand-in, not a model: it lets `ftflow prepare docs/` run offline.

`qa_pairs` (the schema tasks/prepare/documents/generation.py asks for): sentences of the passage with
at least six words, in order, each grown to at least 60 characters with the next one, become
answers; the question names the section and the sentence's first content words, in the
passage's language (English or Spanish). Like a real model it sometimes invents: in one chunk
of four (by a hash of its text) the last pair's answer adds a claim the passage does not make,
so the grounding check has something to catch.

`grounding_verdict`: supported when most of the answer's content words are in the passage (the
stand-in's own, coarser rule; ftflow's check is stricter, so the two can disagree).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
INVENTED = {
    "en": " This also applies to orders placed before 1998 at no extra cost in every country.",
    "es": " Esto también se aplica a los pedidos anteriores a 1998 sin coste adicional en todos los países.",
}


def schema_name(body: dict[str, Any]) -> str | None:
    fmt = body.get("response_format")
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        return str((fmt.get("json_schema") or {}).get("name") or "")
    return None


def structured_reply(name: str, body: dict[str, Any], user_text: str) -> str | None:
    """The JSON text for a known schema name; None for schemas the emulator cannot fill."""
    if name == "qa_pairs":
        items = body["response_format"]["json_schema"]["schema"]["properties"]["pairs"]
        return json.dumps({"pairs": qa_pairs(user_text, int(items.get("maxItems") or 3))}, ensure_ascii=False)
    if name == "grounding_verdict":
        return json.dumps(verdict(user_text), ensure_ascii=False)
    return None


def _split_passage(text: str) -> tuple[str, str]:
    head, sep, body = text.partition("\n\n")
    if sep and len(head) <= 200 and not head.rstrip().endswith((".", ":", "!", "?")):
        return head.split(" › ")[-1].strip(), body
    return "", text


_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)
_ES_WORDS = frozenset(
    [
        "el",
        "la",
        "los",
        "las",
        "de",
        "del",
        "y",
        "en",
        "que",
        "es",
        "son",
        "un",
        "una",
        "para",
        "por",
        "con",
        "su",
        "sus",
        "se",
        "al",
        "lo",
        "como",
        "más",
        "pero",
    ]
)
_EN_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "are",
        "was",
        "for",
        "on",
        "with",
        "that",
        "this",
        "it",
        "be",
        "by",
        "as",
        "at",
        "or",
        "from",
        "an",
        "your",
        "you",
    ]
)


def _language(text: str) -> str:
    """The stand-in's own guess (English unless Spanish function words win): a model of its own,
    not ftflow's detector, so ftflow's checks are tested against something that can disagree."""
    words = [w.lower() for w in _WORDS.findall(text[:5000])]
    return "es" if sum(w in _ES_WORDS for w in words) > sum(w in _EN_WORDS for w in words) else "en"


def _content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORDS.findall(text) if len(w) > 3 and w.lower() not in _ES_WORDS | _EN_WORDS}


def qa_pairs(text: str, count: int) -> list[dict[str, str]]:
    section, body = _split_passage(text)
    lang = _language(text)
    sentences = [" ".join(s.lstrip("-|* ").split()) for s in _SENTENCE.split(body)]
    sentences = [s for s in sentences if len(s.split()) >= 3]
    pairs: list[dict[str, str]] = []
    i = 0
    while i < len(sentences) and len(pairs) < count:
        if len(sentences[i].split()) < 6:
            i += 1
            continue
        answer, j = sentences[i], i + 1
        while len(answer) < 60 and j < len(sentences):
            answer, j = f"{answer} {sentences[j]}", j + 1
        topic_words = [w for w in sentences[i].split() if _content_words(w)][:4]
        topic = " ".join(w.strip(".,;:()«»\"'") for w in topic_words) or "this"
        if lang == "es":
            question = (
                f"Según «{section}», ¿qué se indica sobre {topic}?" if section else f"¿Qué se indica sobre {topic}?"
            )
        else:
            question = (
                f"According to '{section}', what is said about {topic}?" if section else f"What is said about {topic}?"
            )
        pairs.append({"question": question, "answer": answer})
        i = j
    if len(pairs) >= 2 and int(hashlib.sha256(body.encode()).hexdigest(), 16) % 4 == 0:
        pairs[-1]["answer"] += INVENTED[lang]
    return pairs


def verdict(text: str) -> dict[str, Any]:
    """The stand-in judge: supported when at least 80 % of the answer's content words are in the
    passage (its own rule, coarser than ftflow's lexical check, which also checks numbers and names)."""
    passage = text.partition("[Passage]\n")[2].partition("\n\n[Question]")[0]
    answer = text.partition("[Answer]\n")[2].partition("\n\nIs the answer")[0]
    words = _content_words(answer)
    missing = sorted(words - _content_words(passage))
    ok = not words or len(missing) <= 0.2 * len(words)
    return {
        "supported": ok,
        "reason": "every claim is in the passage" if ok else f"not in the passage: {', '.join(missing[:8])}",
    }

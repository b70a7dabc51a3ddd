"""An LLM judge comparing two answers to the same question, asked twice with the answers'
positions swapped so a preference for "the first answer" cancels out.

Per item the candidate's score is its share of the two verdicts (a tie counts half), so it
is one of 0, 0.25, 0.5, 0.75, 1; 0.5 means no preference. A verdict the judge did not give
in the asked format counts as a tie and is reported.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from ftflow.messages import text_of as text_of

Verdict = Literal["A", "B", "tie", "invalid"]

SYSTEM = (
    "You are an impartial judge of answers given by support assistants. Compare two answers to the "
    "user's question against the reference answer written by the company: prefer the answer that is "
    "correct and complete with respect to the reference, then the more helpful and concise one. Ignore "
    "the order in which the answers are shown and their length as such. Explain briefly, then end with "
    "exactly one of [[A]], [[B]] or [[C]] for a tie."
)
_VERDICT = re.compile(r"\[\[\s*([ABC])\s*\]\]")


def conversation_text(messages: list[dict[str, Any]]) -> str:
    """The prompt the models saw, without the system message (the judge has its own)."""
    return "\n".join(f"{m.get('role', 'user')}: {text_of(m.get('content'))}" for m in messages
                     if m.get("role") != "system")  # fmt: skip


def judge_messages(prompt: list[dict[str, Any]], reference: str, first: str, second: str) -> list[dict[str, str]]:
    user = (
        f"[Conversation]\n{conversation_text(prompt)}\n\n[Reference answer]\n{reference}\n\n"
        f"[Answer A]\n{first}\n\n[Answer B]\n{second}\n\nWhich answer is better? End with [[A]], [[B]] or [[C]]."
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def parse_verdict(text: str | None) -> Verdict:
    """The last [[A]]/[[B]]/[[C]] in the judge's reply."""
    found = _VERDICT.findall(text or "")
    if not found:
        return "invalid"
    return {"A": "A", "B": "B", "C": "tie"}[found[-1]]  # type: ignore[return-value]


def candidate_score(candidate_first: Verdict, candidate_second: Verdict) -> float:
    """The candidate's share of wins over both orders: it was A in the first, B in the second."""

    def points(verdict: Verdict, position: str) -> float:
        if verdict == position:
            return 1.0
        return 0.5 if verdict in ("tie", "invalid") else 0.0

    return (points(candidate_first, "A") + points(candidate_second, "B")) / 2

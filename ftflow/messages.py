"""Chat messages as the OpenAI format writes them (shared by training and evaluation)."""

from __future__ import annotations

from typing import Any


def text_of(content: Any) -> str:
    """A message's text: the string itself, or its text parts joined."""
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return "" if content is None else str(content)

"""Pluggable content moderation: rows a moderator flags are quarantined as `flagged_content`.

The default asks OpenAI's moderation endpoint through the openai SDK, so it works against
the real API and against any OpenAI-compatible server at OPENAI_BASE_URL.
"""

from __future__ import annotations

from typing import Any, Protocol

from ftflow.tasks.prepare.ingest import Ingested


class Moderator(Protocol):
    def flag(self, ing: Ingested) -> list[str | None]:
        """Per example: the flagged categories joined by ', ', or None when clean."""
        ...


class OpenAIModerator:
    """Sends user and assistant messages in batches to `/moderations`."""

    def __init__(self, client: Any = None, model: str = "omni-moderation-latest", batch_size: int = 32):
        if client is None:  # the same key rules (Secret block or environment) as every OpenAI call
            from ftflow.llm import openai_client

            client = openai_client(max_retries=5)
        self.client, self.model, self.batch_size = client, model, batch_size

    def flag(self, ing: Ingested) -> list[str | None]:
        msgs = ing.messages
        out: list[str | None] = [None] * len(ing.examples)
        rows = msgs.index[msgs["role"].astype(str) != "system"].tolist()
        contents = msgs["content"].tolist()
        ex = msgs["ex"].tolist()
        for lo in range(0, len(rows), self.batch_size):
            batch = rows[lo : lo + self.batch_size]
            texts = [contents[i] for i in batch]
            response = self.client.moderations.create(model=self.model, input=texts)
            for i, result in zip(batch, response.results, strict=True):
                if result.flagged:
                    cats = sorted(k for k, v in result.categories.model_dump().items() if v)
                    previous = out[ex[i]]
                    merged = sorted(set((previous or "").split(", ") + cats) - {""})
                    out[ex[i]] = ", ".join(merged)
        return out

"""Which OpenAI-compatible server answers for which model during an evaluation.

Models listed in ``evaluate.endpoints`` (model name -> base URL, e.g. a vLLM or `transformers
serve` server with a LoRA candidate and its open-weights base) are asked through an openai SDK
client with that ``base_url``; every other model goes to the standard client (OpenAI, Azure
OpenAI or the emulator). One code path: the same SDK, the same retries, the same cache.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

import openai

API_KEY_ENV = "FTFLOW_SERVE_API_KEY"  # the key a self-hosted server expects (vLLM --api-key); none: "EMPTY"


def endpoint_clients(endpoints: Mapping[str, str], max_retries: int = 8) -> dict[str, openai.OpenAI]:
    """One SDK client per base URL, keyed by model name."""
    key = os.environ.get(API_KEY_ENV) or "EMPTY"
    by_url = {url: openai.OpenAI(base_url=url, api_key=key, max_retries=max_retries) for url in set(endpoints.values())}
    return {model: by_url[url] for model, url in endpoints.items()}


def needs_default_client(models: Iterable[str | None], endpoints: Mapping[str, str]) -> bool:
    """True when some model is not served by a listed endpoint (so the standard client is needed)."""
    return any(m is not None and m not in endpoints for m in models)

"""The one LLM-client seam: every stage that talks to a model gets its client from here.

Training (files, fine-tuning jobs), evaluation (chat completions, the judge), moderation and
document Q&A generation all use the official openai SDK. Production points it at
api.openai.com (or Azure OpenAI); the demo and tests point it at the local emulator; an
open-weights model served by an OpenAI-compatible server (vLLM, ...) is one more ``base_url``.
Stages take the client as an argument (injected, as Dagster's ``OpenAIResource``) and call
:func:`openai_client` only when none is given; no stage builds a client of its own.
"""

from __future__ import annotations

import os

import openai

from ftflow import credentials
from ftflow.errors import FtflowError


class LLMConfigError(FtflowError):
    """No usable credentials for the model endpoint; the message says what to set."""


def openai_client(max_retries: int = 8, *, base_url: str | None = None, api_key: str | None = None) -> openai.OpenAI:
    """The SDK client from the standard variables (OPENAI_API_KEY, OPENAI_BASE_URL), or Azure
    OpenAI when AZURE_OPENAI_ENDPOINT is set. A Secret block named in credentials.openai_api_key_block
    supplies the key instead of the environment. ``base_url`` (with an optional ``api_key``) names
    another OpenAI-compatible endpoint, e.g. a vLLM server of an open-weights model. The key is
    never logged."""
    if base_url:
        return openai.OpenAI(base_url=base_url, api_key=api_key or credentials.openai_api_key() or "none",
                             max_retries=max_retries)  # fmt: skip
    if os.environ.get("AZURE_OPENAI_ENDPOINT"):
        return openai.AzureOpenAI(api_key=credentials.openai_api_key("AZURE_OPENAI_API_KEY"), max_retries=max_retries,
                                  api_version=os.environ.get("OPENAI_API_VERSION", "2024-10-21"))  # fmt: skip
    key = credentials.openai_api_key()
    if not key:
        raise LLMConfigError("OPENAI_API_KEY is not set and credentials.openai_api_key_block names no Secret block "
                             '(for the local emulator: eval "$(ftflow devstack env)")')  # fmt: skip
    return openai.OpenAI(api_key=key, max_retries=max_retries)

"""Evaluation prices: what answering the test split costs, online or through the Batch API.

Part of the one typed configuration (ftflow/config.py `EvaluateConfig.pricing`).
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from ftflow.config_base import _Section


class InferencePrice(_Section):
    """USD per 1M tokens of one model, online (the Batch API takes `batch_discount` off both)."""

    input: float = Field(ge=0, description="USD per 1M prompt tokens.")
    output: float = Field(ge=0, description="USD per 1M completion tokens.")


def _default_prices() -> dict[str, InferencePrice]:
    # OpenAI's pricing page, copied 2025-06-01 (standard tier). "ft:" = a fine-tune of that base.
    table = {
        "gpt-4.1-2025-04-14": (2.0, 8.0), "ft:gpt-4.1-2025-04-14": (3.0, 12.0),
        "gpt-4.1-mini-2025-04-14": (0.4, 1.6), "ft:gpt-4.1-mini-2025-04-14": (0.8, 3.2),
        "gpt-4.1-nano-2025-04-14": (0.1, 0.4), "ft:gpt-4.1-nano-2025-04-14": (0.2, 0.8),
        "gpt-4o-2024-08-06": (2.5, 10.0), "ft:gpt-4o-2024-08-06": (3.75, 15.0),
        "gpt-4o-mini-2024-07-18": (0.15, 0.6), "ft:gpt-4o-mini-2024-07-18": (0.3, 1.2),
        "gpt-3.5-turbo-0125": (0.5, 1.5), "ft:gpt-3.5-turbo-0125": (3.0, 6.0),
    }  # fmt: skip
    return {name: InferencePrice(input=i, output=o) for name, (i, o) in table.items()}


class EvalPricing(_Section):
    """Chat prices of the models an evaluation asks, for its cost estimate (report and log)."""

    as_of: date = Field(date(2025, 6, 1), description="Date the prices were copied.")
    per_1m_tokens: dict[str, InferencePrice] = Field(
        default_factory=_default_prices,
        description="Model -> online USD per 1M input/output tokens. A fine-tune `ft:BASE:…` is priced as "
        "'ft:BASE'; a name is matched by its longest listed prefix (gpt-4o-mini -> gpt-4o-mini-2024-07-18).",
    )
    batch_discount: float = Field(
        0.5, ge=0, lt=1, description="Share the Batch API takes off online prices (OpenAI: 50 %)."
    )

"""What an evaluation's answers cost: estimated before sending, then from the usage the API reported.

Prices come from ``evaluate.pricing`` (USD per 1M input/output tokens, dated); in ``mode: batch``
the Batch API's discount (50 %) is taken off both. A fine-tune ``ft:BASE:org:suffix:id`` (and its
checkpoints, ``…:ckpt-step-N``) is priced as ``ft:BASE``. Models without a listed price (an
open-weights model on our own server) are named in ``unpriced`` rather than counted as free.
The judge's requests are not included.
"""

from __future__ import annotations

from pydantic import BaseModel

from ftflow.config_eval import EvalPricing, InferencePrice


class EvalCost(BaseModel):
    mode: str  # online | batch
    prices_as_of: str
    discount: float  # share taken off online prices (0 online)
    estimated_usd: float | None  # before sending: counted prompts + expected answer lengths
    usd: float | None  # from the token usage the API reported for these answers
    per_role: dict[str, float | None]  # role -> usd
    unpriced: list[str]  # models with no price listed


def price_of(model: str, pricing: EvalPricing) -> InferencePrice | None:
    """The listed price of a model: exact, ``ft:BASE`` for a fine-tune, else the longest matching prefix."""
    table = pricing.per_1m_tokens
    name = model
    if model.startswith("ft:") and len(model.split(":")) > 2:
        name = "ft:" + model.split(":")[1]
    if name in table:
        return table[name]
    fine_tuned = name.startswith("ft:")
    matches = [k for k in table if k.startswith("ft:") == fine_tuned and (k.startswith(name) or name.startswith(k))]
    return table[max(matches, key=len)] if matches else None


def usd(model: str, prompt_tokens: float, completion_tokens: float, pricing: EvalPricing, mode: str) -> float | None:
    price = price_of(model, pricing)
    if price is None:
        return None
    factor = 1 - pricing.batch_discount if mode == "batch" else 1.0
    return (prompt_tokens * price.input + completion_tokens * price.output) / 1e6 * factor


def cost_of(roles: dict[str, str], tokens: dict[str, tuple[float, float]], pricing: EvalPricing, mode: str,
            estimated: dict[str, tuple[float, float]] | None = None) -> EvalCost:  # fmt: skip
    """``tokens`` / ``estimated``: role -> (prompt tokens, completion tokens)."""
    per_role = {role: usd(model, *tokens.get(role, (0, 0)), pricing, mode) for role, model in roles.items()}
    unpriced = sorted({roles[r] for r, v in per_role.items() if v is None})
    est = None
    if estimated is not None:
        values = [usd(roles[r], *t, pricing, mode) for r, t in estimated.items()]
        est = round(sum(v for v in values if v is not None), 4)
    known = [v for v in per_role.values() if v is not None]
    return EvalCost(mode=mode, prices_as_of=pricing.as_of.isoformat(),
                    discount=pricing.batch_discount if mode == "batch" else 0.0, estimated_usd=est,
                    usd=round(sum(known), 4) if known else None,
                    per_role={r: None if v is None else round(v, 4) for r, v in per_role.items()},
                    unpriced=unpriced)  # fmt: skip


def describe(cost: EvalCost) -> str:
    """One line for the log and the report."""
    where = "Batch API, " + f"{cost.discount:.0%} off" if cost.mode == "batch" else "online prices"
    parts = [f"mode: {cost.mode} ({where}, prices of {cost.prices_as_of})"]
    if cost.estimated_usd is not None:
        parts.append(f"estimated ${cost.estimated_usd:,.4f}")
    if cost.usd is not None:
        parts.append(f"answers cost ${cost.usd:,.4f} by reported usage")
    if cost.unpriced:
        parts.append(f"no price for {', '.join(cost.unpriced)}")
    return "; ".join(parts)

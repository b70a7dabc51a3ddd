"""`too_long`: over the model's per-example training context (OpenAI would truncate it)."""

from ftflow.tasks.prepare.checks import Check, register
from ftflow.tokens import example_token_limit

CHECK = register(Check(
    reason="too_long",
    column="n_tokens",
    params={"max_example_tokens": lambda cfg: example_token_limit(cfg.model)},
    explain=lambda d: f"{int(d.value('n_tokens'))} tokens, over the {d.token_limit}-token limit of {d.cfg.model}",
))  # fmt: skip

"""`too_short`: the shortest trained assistant answer is below `prepare.quality.min_answer_chars`."""

from ftflow.tasks.prepare.checks import Check, register

CHECK = register(Check(
    reason="too_short",
    column="answer_chars",
    params={"min_answer_chars": lambda cfg: cfg.quality.min_answer_chars},
    explain=lambda d: f"answer has {int(d.value('answer_chars'))} characters, minimum {d.cfg.quality.min_answer_chars}",
))  # fmt: skip

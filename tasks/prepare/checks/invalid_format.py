"""`invalid_format`: rows OpenAI would reject (the cookbook's format checks, tasks/prepare/records.py)."""

from ftflow.tasks.prepare.checks import Check, register

CHECK = register(Check(
    reason="invalid_format",
    column="format_error",
    explain=lambda d: str(d.value("format_error")),
))  # fmt: skip

"""`truncated`: a trained assistant answer looks cut off (the signals: checks/truncation.py)."""

from ftflow.tasks.prepare.checks import Check, register

CHECK = register(Check(
    reason="truncated",
    column="truncation",
    explain=lambda d: f"answer looks cut off: {d.value('truncation')}"
    + (f": {why}" if (why := d.why("truncation")) else ""),
))  # fmt: skip

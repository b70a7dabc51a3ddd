"""`duplicate`: the same conversation as an earlier row (checks/dedup.py); the first is kept."""

from ftflow.tasks.prepare.checks import Check, register

CHECK = register(Check(
    reason="duplicate",
    column="duplicate_of",
    explain=lambda d: f"same as {d.place(int(d.value('duplicate_of')))}",
))  # fmt: skip

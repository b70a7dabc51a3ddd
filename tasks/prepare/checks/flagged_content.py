"""`flagged_content`: flagged by the moderation endpoint (checks/moderation.py), when
`prepare.quality.moderation` is on; the column names the categories."""

from ftflow.tasks.prepare.checks import Check, register

CHECK = register(Check(
    reason="flagged_content",
    column="flagged",
    explain=lambda d: f"moderation flagged: {d.value('flagged')}",
))  # fmt: skip

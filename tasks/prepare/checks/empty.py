"""`empty`: a message with no text after normalization."""

from ftflow.tasks.prepare.checks import Check, register

CHECK = register(Check(
    reason="empty",
    column="empty_messages",
    explain=lambda d: f"{int(d.value('empty_messages'))} message(s) with no text",
))  # fmt: skip

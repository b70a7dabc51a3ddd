"""`ungrounded`: a question/answer pair generated from a document whose answer its source chunk does
not support (tasks/prepare/documents/grounding.py computes the column)."""

from ftflow.tasks.prepare.checks import Check, register

CHECK = register(Check(
    reason="ungrounded",
    column="ungrounded",
    explain=lambda d: f"answer not supported by its source chunk: {d.value('ungrounded')}",
))  # fmt: skip

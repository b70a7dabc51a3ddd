"""`pii`: personal data found (tasks/prepare/pii.py); a quarantine reason only with
`prepare.quality.pii: quarantine` (otherwise it is redacted and counted)."""

from ftflow.tasks.prepare.checks import Check, register

CHECK = register(Check(
    reason="pii",
    column="pii_found",
    suite="pii",
    enabled=lambda cfg: cfg.quality.pii == "quarantine",
    explain=lambda d: f"{int(d.value('pii_found'))} personal data match(es)",
))  # fmt: skip

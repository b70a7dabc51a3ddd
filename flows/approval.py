"""A person approves the spend before an expensive fine-tune (a Prefect pause with a form)."""

from __future__ import annotations

from prefect import get_run_logger, pause_flow_run
from prefect.input import RunInput
from pydantic import Field

from ftflow.config import FinetuneConfig
from ftflow.tasks.train.openai import FinetuneError
from ftflow.tokens import CostEstimate

APPROVAL_TIMEOUT_S = 24 * 3600


class SpendApproval(RunInput):
    """The form shown in the Prefect UI when the run pauses."""

    approve: bool = Field(False, description="Spend this amount on the fine-tune.")
    note: str = Field("", description="Why (kept in the run's log).")


def approve_spend(cost: CostEstimate, cfg: FinetuneConfig) -> None:
    """Pause for approval when the estimate is above `approval_above_usd`; refuse when declined."""
    if cfg.approval_above_usd is None or cost.usd is None or cost.usd <= cfg.approval_above_usd:
        return
    log = get_run_logger()
    description = (
        f"## Approve fine-tuning spend\n\nEstimated **${cost.usd:,.2f}** for `{cost.model}`: "
        f"{cost.billed_tokens:,} billed tokens ({cost.epochs} epochs × {cost.billed_tokens_per_epoch:,}), "
        f"prices as of {cost.prices_as_of}. Above the approval threshold of ${cfg.approval_above_usd:,.2f}."
    )
    log.info("waiting for approval of $%.2f", cost.usd)
    answer = pause_flow_run(
        wait_for_input=SpendApproval.with_initial_data(description=description, approve=False),
        timeout=APPROVAL_TIMEOUT_S,
    )
    if not answer.approve:
        raise FinetuneError(f"fine-tune not approved (estimate ${cost.usd:,.2f}): {answer.note or 'no reason given'}")
    log.info("spend approved: %s", answer.note or "no note")

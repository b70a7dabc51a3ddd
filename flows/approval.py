"""A person approves the spend before an expensive fine-tune (a Prefect form on the run's page).

A deployment run (the `retrain` deployment) is **suspended**: its process exits while it waits,
so it holds no worker process and no slot of the deployment's `concurrency_limit: 1` (other
retrains run meanwhile). Answering the form (Resume on the run's page) reschedules the run; a
worker starts it again from the top, the finished steps come back from their cached results,
and this function returns the answer instead of suspending a second time (the `key` marks the
approval as given). A run started in-process (`ftflow retrain`, tests) has no deployment to
restart it from, so it is **paused** instead: the process waits for the answer.

Unanswered for `APPROVAL_TIMEOUT_S` (24 h), the run fails: Prefect's server fails an expired
suspended run ("The flow was paused and never resumed."); a paused one fails in its process.
"""

from __future__ import annotations

from prefect import get_run_logger, pause_flow_run, suspend_flow_run
from prefect.context import FlowRunContext
from prefect.input import RunInput
from pydantic import Field

from ftflow.config import FinetuneConfig
from ftflow.tasks.train.openai import FinetuneError
from ftflow.tokens import CostEstimate

APPROVAL_TIMEOUT_S = 24 * 3600
APPROVAL_KEY = "spend-approval"  # one approval per run: a resumed run finds its answer under this key


class SpendApproval(RunInput):
    """The form shown in the Prefect UI when the run waits for approval."""

    approve: bool = Field(False, description="Spend this amount on the fine-tune.")
    note: str = Field("", description="Why (kept in the run's log).")


def wait_for_answer(description: str, timeout_s: int = APPROVAL_TIMEOUT_S) -> SpendApproval:
    """Suspend a deployment run (its process exits; resuming starts it again), else pause in-process."""
    form = SpendApproval.with_initial_data(description=description, approve=False)
    context = FlowRunContext.get()
    if context is not None and context.flow_run is not None and context.flow_run.deployment_id:
        return suspend_flow_run(wait_for_input=form, timeout=timeout_s, key=APPROVAL_KEY)
    return pause_flow_run(wait_for_input=form, timeout=timeout_s, key=APPROVAL_KEY)


def approve_spend(cost: CostEstimate, cfg: FinetuneConfig) -> None:
    """Wait for approval when the estimate is above `approval_above_usd`; refuse when declined."""
    if cfg.approval_above_usd is None or cost.usd is None or cost.usd <= cfg.approval_above_usd:
        return
    log = get_run_logger()
    description = (
        f"## Approve fine-tuning spend\n\nEstimated **${cost.usd:,.2f}** for `{cost.model}`: "
        f"{cost.billed_tokens:,} billed tokens ({cost.epochs} epochs × {cost.billed_tokens_per_epoch:,}), "
        f"prices as of {cost.prices_as_of}. Above the approval threshold of ${cfg.approval_above_usd:,.2f}."
    )
    log.info("waiting for approval of $%.2f", cost.usd)
    answer = wait_for_answer(description)
    if not answer.approve:
        raise FinetuneError(f"fine-tune not approved (estimate ${cost.usd:,.2f}): {answer.note or 'no reason given'}")
    log.info("spend approved: %s", answer.note or "no note")

"""The spend approval: above the threshold the flow run pauses with a form; a person's answer
resumes it (approved: go on; declined: the run fails and nothing is submitted)."""

import threading
import time

import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.flow_runs import resume_flow_run
from prefect.states import StateType

from ftflow.config import FinetuneConfig
from ftflow.flows.approval import approve_spend
from ftflow.tokens import CostEstimate

COST = CostEstimate(model="gpt-4o-mini-2024-07-18", epochs=3, billed_tokens_per_epoch=1_000_000,
                    billed_tokens=3_000_000, usd_per_1m_tokens=3.0, usd=9.0, prices_as_of="2025-06-01")  # fmt: skip


@flow
def spend(threshold: float | None) -> str:
    approve_spend(COST, FinetuneConfig(approval_above_usd=threshold))
    return "submitted"


def _run_and_answer(answer: dict | None):
    """Start the flow in a thread; when it pauses, resume it with `answer`."""
    result: dict = {}
    thread = threading.Thread(target=lambda: result.setdefault("state", spend(9.0 - 1, return_state=True)))
    thread.start()
    deadline = time.monotonic() + 60
    paused = None
    while time.monotonic() < deadline and paused is None:
        with get_client(sync_client=True) as client:
            runs = client.read_flow_runs()
        paused = next((r for r in runs if r.state and r.state.type == StateType.PAUSED), None)
        time.sleep(0.5)
    assert paused is not None, "the flow did not pause for approval"
    assert answer is not None
    resume_flow_run(paused.id, run_input=answer)
    thread.join(60)
    return result["state"]


def test_below_threshold_no_pause(prefect_harness):
    assert spend(10.0) == "submitted"
    assert spend(None) == "submitted"


def test_approved_spend_goes_on(prefect_harness):
    state = _run_and_answer({"approve": True, "note": "budgeted for Q4"})
    assert state.is_completed()
    assert state.result() == "submitted"


def test_declined_spend_fails_the_run_with_the_reason(prefect_harness):
    state = _run_and_answer({"approve": False, "note": "too expensive this month"})
    assert state.is_failed()
    with pytest.raises(Exception, match=r"not approved \(estimate \$9\.00\): too expensive this month"):
        state.result()

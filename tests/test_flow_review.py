"""The review of generated pairs: the flow run pauses with a form listing them; a person's
decisions (approve, edit, reject) come back to the prepare stage."""

import threading
import time

from prefect import flow
from prefect.client.orchestration import get_client
from prefect.flow_runs import resume_flow_run
from prefect.states import StateType

from ftflow.flows.review import review_pairs

ITEMS = [
    {"id": 0, "file": "docs/a.md", "where": "line 3, section 'Returns'", "grounded": True,
     "question": "How long do I have to return an item?", "answer": "30 days from delivery."},
    {"id": 1, "file": "docs/a.md", "where": "line 9, section 'Refunds'", "grounded": False,
     "question": "How are refunds paid?", "answer": "In cash at any store."},
]  # fmt: skip


@flow
def reviewing() -> list[dict]:
    return review_pairs(ITEMS)


def test_pairs_are_reviewed_through_a_paused_run(prefect_harness):
    result: dict = {}
    thread = threading.Thread(target=lambda: result.setdefault("state", reviewing(return_state=True)))
    thread.start()
    paused = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and paused is None:
        with get_client(sync_client=True) as client:
            runs = client.read_flow_runs()
        paused = next((r for r in runs if r.state and r.state.type == StateType.PAUSED), None)
        time.sleep(0.5)
    assert paused is not None, "the flow did not pause for the review"
    decisions = [
        {"id": 0, "decision": "approve", "question": ITEMS[0]["question"], "answer": ITEMS[0]["answer"]},
        {"id": 1, "decision": "reject", "question": ITEMS[1]["question"], "answer": ITEMS[1]["answer"]},
    ]
    resume_flow_run(paused.id, run_input={"pairs": decisions, "note": "checked against the handbook"})
    thread.join(60)
    state = result["state"]
    assert state.is_completed()
    got = state.result()
    assert [(d["id"], d["decision"]) for d in got] == [(0, "approve"), (1, "reject")]

"""The spend-approval step of the retrain flow, as a deployment of its own (served by a Runner with a
concurrency limit of 1, like the retrain deployment's `concurrency_limit: 1`), for
tests/integration/test_notify_and_wait.py. The flow is named `retrain` so the automations of
`ftflow notify` (which watch ftflow's flows by name) cover it; its approval is the real one
(ftflow.flows.approval.approve_spend)."""

from __future__ import annotations

import os
from pathlib import Path

from prefect import flow

from ftflow.config import FinetuneConfig
from ftflow.flows.approval import approve_spend
from ftflow.tokens import CostEstimate

COST = CostEstimate(model="gpt-4o-mini-2024-07-18", epochs=3, billed_tokens_per_epoch=1_000_000,
                    billed_tokens=3_000_000, usd_per_1m_tokens=3.0, usd=9.0, prices_as_of="2025-06-01")  # fmt: skip


@flow(name="retrain", persist_result=True)
def spend(threshold: float | None = 1.0, pids: str = "") -> str:
    """Record this process's id in `pids` (one line per process that ran the flow), then ask for approval."""
    if pids:
        with Path(pids).open("a") as f:
            f.write(f"{os.getpid()}\n")
    approve_spend(COST, FinetuneConfig(approval_above_usd=threshold))
    return "submitted"


if __name__ == "__main__":
    spend.serve(name="spend", global_limit=1)

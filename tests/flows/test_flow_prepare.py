"""The prepare flow on a real (temporary) Prefect server: every sub-stage is a task run."""

import asyncio

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

from ftflow.config import PrepareConfig, QualityConfig
from ftflow.errors import QualityGateError
from ftflow.flows.prepare import prepare


async def _task_runs(flow_run_id):
    async with get_client() as client:
        runs = await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
        return {r.name.rsplit("-", 1)[0]: r.state.type.value for r in runs}


def test_flow_runs_each_sub_stage_as_a_task_and_returns_a_reference(prefect_harness, labelled, tmp_path):
    state = prepare(inputs=[str(labelled / "examples.jsonl")], out=str(tmp_path), return_state=True)
    assert state.is_completed()
    result = state.result()
    assert set(result) == {"dataset_dir", "dataset_sha256", "counts", "cost_estimate"}
    assert len(result["dataset_sha256"]) == 64
    tasks = asyncio.run(_task_runs(state.state_details.flow_run_id))
    assert tasks == dict.fromkeys(
        ["ingest", "normalize", "features", "quality gate", "split", "cost", "write"], "COMPLETED"
    )


def test_gate_refusal_fails_the_flow_run_with_the_reason(prefect_harness, labelled, tmp_path):
    cfg = PrepareConfig(quality=QualityConfig(max_rejected_share=0.01))
    state = prepare(inputs=[str(labelled / "examples.jsonl")], out=str(tmp_path), config=cfg, return_state=True)
    assert state.is_failed()
    assert "quality gate" in state.message
    with pytest.raises(QualityGateError):
        state.result()

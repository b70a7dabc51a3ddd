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


async def _logs(flow_run_id):
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    async with get_client() as client:
        logs = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
        names = {r.id: r.name.rsplit("-", 1)[0] for r in await client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))}  # fmt: skip
        return [(names.get(log.task_run_id), log.message) for log in logs]


def test_progress_lines_reach_the_run_logs_under_their_task(prefect_harness, labelled, tmp_path):
    from prefect.logging.handlers import APILogHandler

    state = prepare(inputs=[str(labelled / "examples.jsonl")], out=str(tmp_path), return_state=True)
    assert state.is_completed()
    APILogHandler().flush()  # the run's logs are sent in batches: send what is queued
    logs = asyncio.run(_logs(state.state_details.flow_run_id))
    ingest = [m for task, m in logs if m.startswith("ingest: ")]
    assert len(ingest) == 1  # a short run: only the final line
    assert ingest[0].startswith("ingest: done, ")
    assert "1,500 rows · 1 file (in " in ingest[0]
    assert ("ingest", ingest[0]) in logs  # logged by the ingest task run, so the UI shows it there

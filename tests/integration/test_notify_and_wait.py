"""Notifications and waits on a real Prefect server (`prefect server start`, with its trigger and
action services): every kind `ftflow notify` covers reaches a webhook, and the spend approval of a
deployment run suspends it (its process exits, the deployment's concurrency slot is free for
another run) and resumes it when the form is answered."""

from __future__ import annotations

import contextvars
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
from prefect.flow_runs import resume_flow_run
from prefect.states import Crashed, Running, StateType

from ftflow import devstack, devstack_prefect
from ftflow.config import FinetuneConfig
from ftflow.flows.approval import approve_spend
from ftflow.flows.rollback import announce
from ftflow.store import Root
from ftflow.tasks.evaluate.registry import RegistryEvent
from tests.helpers import prefect_api, webhook_receiver

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    sd = tmp_path_factory.mktemp("notify-stack")
    try:
        svc = devstack_prefect.start_server(sd, port=0, timeout=240)  # a loaded CI machine is slow
        api = svc.env["PREFECT_API_URL"]
        with prefect_api(api):
            yield api
    finally:
        devstack.stop_all(sd)


@pytest.fixture(scope="module")
def webhook(server: str) -> Iterator[list[str]]:
    """A local receiver, registered through `ftflow notify`'s setup."""
    with webhook_receiver() as (url, received):
        yield from _registered(url, received)


def _registered(url: str, received: list[str]) -> Iterator[list[str]]:
    from ftflow.notify import setup_all

    names = [name for name, _ in setup_all(url)]
    assert len(names) == 4
    setup_all(url)  # again: replaced, not doubled
    from prefect.automations import Automation

    for name in names:
        assert Automation.read(name=name) is not None
    with get_client(sync_client=True) as client:
        assert sorted(a.name for a in client.read_automations()) == sorted(names)
    yield received


def wait_for_message(received: list[str], *texts: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for body in received:
            if all(t in body for t in texts):
                return body
        time.sleep(0.3)
    raise AssertionError(f"no notification containing {texts!r}; got {received}")


@flow(name="retrain")
def failing_retrain() -> None:
    raise RuntimeError("quality gate refused the batch: 3 of 10 rows rejected")


@flow(name="watch-landing", timeout_seconds=1)
def slow_watch() -> None:
    time.sleep(3)


@flow(name="retrain")
def waiting_retrain() -> str:
    approve_spend(_cost(), FinetuneConfig(approval_above_usd=1.0))
    return "submitted"


def _cost():
    from tests.integration.spend_flow import COST

    return COST


def test_failed_and_timed_out_runs_are_posted_with_their_reason(webhook):
    failed = failing_retrain(return_state=True)
    assert failed.is_failed()
    wait_for_message(webhook, "ended Failed", "quality gate refused the batch")
    timed_out = slow_watch(return_state=True)
    assert timed_out.name == "TimedOut"
    wait_for_message(webhook, "of watch-landing ended TimedOut", "exceeded timeout of 1.0 second")


def test_a_crashed_run_is_posted(webhook):
    """A run whose process died: the worker (or the engine) reports it Crashed."""
    with get_client(sync_client=True) as client:
        flow_id = client.create_flow(failing_retrain)
        run = client.create_flow_run(failing_retrain, name=f"crash-{uuid.uuid4().hex[:6]}", state=Running())
        assert run.flow_id == flow_id
        client.set_flow_run_state(run.id, Crashed(message="Flow run process exited with status code -9"), force=True)
    wait_for_message(webhook, f"Flow run {run.name} of retrain ended Crashed", "status code -9")


def test_a_run_paused_for_approval_is_posted_and_resumes(webhook):
    """In-process (no deployment) the approval pauses; the message links to the run's page."""
    result: dict = {}
    run = contextvars.copy_context().run  # the thread talks to this module's server (temporary_settings)
    thread = threading.Thread(
        target=run, args=(lambda: result.setdefault("state", waiting_retrain(return_state=True)),)
    )
    thread.start()
    body = wait_for_message(webhook, "waits for a person (Paused)")
    assert "/runs/flow-run/" in body
    assert "press Resume" in body
    assert "Unanswered before its timeout, the run fails" in body
    with get_client(sync_client=True) as client:
        (paused,) = [r for r in client.read_flow_runs() if r.state and r.state.type == StateType.PAUSED]
    resume_flow_run(paused.id, run_input={"approve": True, "note": "fine"})
    thread.join(60)
    assert result["state"].is_completed()


def test_promotions_and_rollbacks_are_posted(webhook, tmp_path):
    root = Root(str(tmp_path))
    evaluated = _registry_event(kind="evaluation", model="ft:gpt-4o-mini:acme::new", previous="ft:gpt-4o-mini:acme::old",
                                by=None, reason="rougeL +0.0400 [+0.0100, +0.0700] over the champion")  # fmt: skip
    assert announce(evaluated, root)
    wait_for_message(webhook, "Promoted: the champion of dataset is now ft:gpt-4o-mini:acme::new",
                     "(was ft:gpt-4o-mini:acme::old), by evaluation (evaluation): rougeL +0.0400")  # fmt: skip
    by_hand = _registry_event(kind="rollback", model="ft:gpt-4o-mini:acme::old", previous="ft:gpt-4o-mini:acme::new",
                              by="alice", reason="answers in the wrong language")  # fmt: skip
    assert announce(by_hand, root)
    wait_for_message(webhook, "Rolled back: the champion of dataset is now ft:gpt-4o-mini:acme::old",
                     "by alice (rollback): answers in the wrong language")  # fmt: skip
    rejected = evaluated.model_copy(update={"decision": "rejected"})
    with pytest.raises(ValueError, match="changed no champion"):
        announce(rejected, root)


def _registry_event(*, kind: str, model: str, previous: str | None, by: str | None, reason: str) -> RegistryEvent:
    return RegistryEvent(event_id=f"20261204T000000.000000Z-{uuid.uuid4().hex[:8]}", recorded_at="2026-12-04T00:00:00",
                         kind=kind, name="dataset", dataset_sha256="0" * 64, dataset_uri="s3://b/datasets/dataset/v1",
                         job_id=None, model=model, base_model="gpt-4o-mini-2024-07-18", reference_role="champion",
                         reference_model=previous or "gpt-4o-mini-2024-07-18", previous_champion=previous, run_id="r",
                         run_uri="s3://b/runs/r", primary="rougeL", metrics={}, decision="promoted", reasons=[reason],
                         by=by)  # fmt: skip


# --- the spend approval of a deployment run: suspended, slot freed, resumed by the answer ---------


@pytest.fixture(scope="module")
def served(server: str, tmp_path_factory) -> Iterator[Path]:
    """tests/integration/spend_flow.py served as a deployment with a concurrency limit of 1."""
    log = tmp_path_factory.mktemp("runner") / "runner.log"
    env = {**os.environ, "PREFECT_API_URL": server, "PREFECT_RUNNER_POLL_FREQUENCY": "1",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "tests/integration/spend_flow.py"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)  # fmt: skip
    try:
        yield log
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _deployment_id(log: Path, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with get_client(sync_client=True) as client:
            found = [d for d in client.read_deployments() if d.name == "spend"]
        if found:
            assert found[0].global_concurrency_limit
            assert found[0].global_concurrency_limit.limit == 1
            return found[0].id
        time.sleep(0.5)
    raise AssertionError(f"the spend deployment was not served in {timeout:g}s:\n{log.read_text()[-3000:]}")


def _wait_state(run_id, names: set[str], log: Path, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with get_client(sync_client=True) as client:
            run = client.read_flow_run(run_id)
        if run.state and run.state.name in names:
            return run
        if run.state and run.state.is_final():
            raise AssertionError(f"run ended {run.state.name}: {run.state.message}\n{log.read_text()[-3000:]}")
        time.sleep(0.3)
    raise AssertionError(f"run not in {names} after {timeout:g}s: {run.state}\n{log.read_text()[-3000:]}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


@pytest.mark.timeout(300)
def test_a_suspended_approval_frees_the_slot_and_resumes_when_answered(webhook, served, tmp_path):
    deployment_id = _deployment_id(served)
    pids_a, pids_b = tmp_path / "a.pids", tmp_path / "b.pids"
    with get_client(sync_client=True) as client:
        a = client.create_flow_run_from_deployment(deployment_id, parameters={"threshold": 1.0, "pids": str(pids_a)})
    suspended = _wait_state(a.id, {"Suspended"}, served)
    assert suspended.state.type == StateType.PAUSED
    body = wait_for_message(webhook, f"Flow run {a.name} of retrain waits for a person (Suspended)")
    assert "press Resume" in body
    # The process that ran A until the approval has exited: nothing is held while a person decides.
    (first_pid,) = [int(p) for p in pids_a.read_text().split()]
    deadline = time.monotonic() + 30
    while _alive(first_pid) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert not _alive(first_pid), "the suspended run's process is still running"

    # The deployment allows one run at a time; A waits for approval, so B gets the slot and finishes.
    with get_client(sync_client=True) as client:
        b = client.create_flow_run_from_deployment(deployment_id, parameters={"threshold": None, "pids": str(pids_b)})
    done_b = _wait_state(b.id, {"Completed"}, served)
    assert done_b.state.is_completed()
    with get_client(sync_client=True) as client:
        assert client.read_flow_run(a.id).state.name == "Suspended"  # still waiting for the person

    # The answer resumes A: a new process runs it again; the approval step returns the answer.
    resume_flow_run(a.id, run_input={"approve": True, "note": "budgeted for Q4"})
    done_a = _wait_state(a.id, {"Completed"}, served)
    assert done_a.state.is_completed()
    pids = [int(p) for p in pids_a.read_text().split()]
    assert len(pids) == 2
    assert pids[0] != pids[1]
    with get_client(sync_client=True) as client:
        assert client.read_flow_run(a.id).state.result(raise_on_failure=True) == "submitted"
    assert _wait_for_log(a.id, "spend approved: budgeted for Q4")


def _wait_for_log(run_id, text: str, timeout: float = 30) -> bool:
    """Logs reach the server in batches, shortly after the run's state: poll for them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with get_client(sync_client=True) as client:
            logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
        if any(text in log.message for log in logs):
            return True
        time.sleep(0.5)
    return False


@pytest.mark.timeout(300)
def test_a_declined_suspended_approval_fails_the_run_with_the_reason(webhook, served):
    deployment_id = _deployment_id(served)
    with get_client(sync_client=True) as client:
        run = client.create_flow_run_from_deployment(deployment_id, parameters={"threshold": 1.0})
    _wait_state(run.id, {"Suspended"}, served)
    resume_flow_run(run.id, run_input={"approve": False, "note": "too expensive this month"})
    state = _wait_state(run.id, {"Failed"}, served).state
    assert state.is_failed(), state
    assert "not approved (estimate $9.00): too expensive this month" in state.message
    wait_for_message(webhook, f"Flow run {run.name} of retrain ended Failed", "too expensive this month")

"""End to end on a real Prefect server started like `ftflow devstack up --prefect`: the
deployments of prefect.yaml, a process worker, the local S3 server and the emulator."""

import asyncio
import json
import time
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client

from ftflow import devstack, devstack_links, devstack_prefect

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """S3 + emulator + Prefect server + deployments + worker, all on free ports."""
    sd = tmp_path_factory.mktemp("stack")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FTFLOW_DEVSTACK_DIR", str(sd))
        try:
            devstack.start_s3(sd, port=0, timeout=60)
            devstack_links.start_link_server(sd, port=0)  # the worker's artifacts get links that last
            devstack.start_openai_emulator(sd, port=0, args=["--seconds-per-step", "0.002", "--phase-seconds", "0.1"])
            devstack_prefect.start_server(sd, port=0)
            for key, value in devstack.env_exports(sd).items():
                mp.setenv(key, value)
            mp.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
            t0 = time.monotonic()
            devstack_prefect.deploy(sd)
            devstack_prefect.start_worker(sd)
            print(f"deploy + worker: {time.monotonic() - t0:.1f}s")
            # Prefect reads its settings once per process: point this one at the new server.
            with prefect_api(devstack.env_exports(sd)["PREFECT_API_URL"]):
                yield sd
        finally:
            devstack.stop_all(sd)


def _deployments():
    async def read():
        async with get_client() as client:
            return {d.name: d for d in await client.read_deployments()}

    return asyncio.run(read())


def test_deployments_schedules_and_trigger_are_applied(stack):
    deployments = _deployments()
    assert set(deployments) >= {"retrain", "watch-landing"}
    retrain, watch = deployments["retrain"], deployments["watch-landing"]
    (cron,) = retrain.schedules
    assert cron.active
    assert cron.schedule.cron == "0 3 * * 1"
    (interval,) = watch.schedules
    assert interval.active
    assert interval.schedule.interval.total_seconds() == 60
    assert retrain.work_pool_name == "ftflow-local"
    # One watch tick at a time, a late one dropped; one retrain at a time (a suspended approval frees its slot).
    assert watch.global_concurrency_limit.limit == 1
    assert watch.concurrency_options.collision_strategy == "CANCEL_NEW"
    assert retrain.global_concurrency_limit.limit == 1

    async def automations():
        async with get_client() as client:
            return await client.read_automations()

    triggers = [
        a for a in asyncio.run(automations()) if "dataset.arrived" in json.dumps(a.trigger.model_dump(mode="json"))
    ]
    assert len(triggers) == 1


# --- runs ----------------------------------------------------------------------------------

import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

import openai  # noqa: E402
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName  # noqa: E402
from prefect.deployments import run_deployment  # noqa: E402

from ftflow import s3  # noqa: E402
from ftflow.store import Root  # noqa: E402
from ftflow.tasks.evaluate.registry import current_champion  # noqa: E402
from tests.helpers import prefect_api, webhook_receiver  # noqa: E402
from tests.integration.conftest import set_faults  # noqa: E402

RUN_TIMEOUT = 240


@pytest.fixture(scope="module")
def landing_file(stack, tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "300", str(raw), "--seed", "77"],
                   check=True, capture_output=True)  # fmt: skip
    return raw / "examples.jsonl"


def storage() -> str:
    return f"s3://{os.environ['FTFLOW_BUCKET']}"


def n_jobs() -> int:
    return len(list(openai.OpenAI().fine_tuning.jobs.list(limit=100)))


def _retrain_runs():
    async def read():
        async with get_client() as client:
            return await client.read_flow_runs(
                deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=["retrain"]))
            )

    return asyncio.run(read())


def wait_for_new_retrain(before: set, timeout: float = RUN_TIMEOUT):
    """The retrain run an event trigger created, once it is finished."""
    deadline = time.monotonic() + timeout
    new = []
    while time.monotonic() < deadline:
        new = [r for r in _retrain_runs() if r.id not in before]
        if new and new[0].state and new[0].state.is_final():
            return new[0]
        time.sleep(1)
    states = [(r.name, r.state.name if r.state else None) for r in new]
    raise AssertionError(f"no finished retrain run was triggered in {timeout:g}s; new runs: {states}\n{_worker_log()}")


def _worker_log(lines: int = 60) -> str:
    """The tail of the stack's worker log, to tell a slow run from a stuck one."""
    worker = devstack.load_services(os.environ.get("FTFLOW_DEVSTACK_DIR")).get("prefect-worker")
    if worker is None or not worker.log or not Path(worker.log).exists():
        return "(no worker log)"
    return "worker log:\n" + "\n".join(Path(worker.log).read_text(errors="replace").splitlines()[-lines:])


def watch_once():
    """One watch tick; a tick the deployment's limit dropped because the scheduled one (every 60 s)
    was running is tried again, as the next scheduled tick would."""
    for _ in range(5):
        run = run_deployment("watch-landing/watch-landing", parameters={"config": {"quiet_seconds": 0, "min_rows": 10}},
                             timeout=RUN_TIMEOUT)  # fmt: skip
        if not (run.state.is_cancelled() and "concurrency limit" in (run.state.message or "")):
            break
        time.sleep(2)
    assert run.state.is_completed(), run.state.message
    return run


def test_new_file_in_landing_triggers_a_retrain_that_promotes(stack, landing_file):
    before = {r.id for r in _retrain_runs()}
    s3.upload_file(landing_file, f"{storage()}/landing/batch-1.jsonl")
    watch_once()
    run = wait_for_new_retrain(before)
    assert run.state.is_completed(), run.state.message
    assert run.parameters["objects"] == [f"{storage()}/landing/batch-1.jsonl"]
    champion = current_champion(Root(storage()), "dataset")
    assert champion is not None
    assert champion.model.startswith("ft:gpt-4o-mini-2024-07-18:")
    assert n_jobs() == 1


def test_nothing_new_means_no_event_and_no_run(stack):
    before = {r.id for r in _retrain_runs()}
    watch_once()
    time.sleep(5)
    assert {r.id for r in _retrain_runs()} == before


def test_a_second_identical_file_runs_again_but_submits_no_second_job(stack, landing_file):
    before = {r.id for r in _retrain_runs()}
    s3.upload_file(landing_file, f"{storage()}/landing/batch-1-copy.jsonl")
    watch_once()
    run = wait_for_new_retrain(before)
    assert run.state.is_completed(), run.state.message
    assert n_jobs() == 1  # same dataset hash and settings: reattached, not paid again


def test_manual_run_with_custom_parameters(stack):
    params = {"config": {"data": {"inputs": [f"{storage()}/landing/batch-1.jsonl"]}, "finetune": {"suffix": "manual"}}}
    run = run_deployment("retrain/retrain", parameters=params, timeout=RUN_TIMEOUT)
    assert run.state.is_completed(), run.state.message
    jobs = list(openai.OpenAI().fine_tuning.jobs.list(limit=100))
    assert any(j.fine_tuned_model and ":manual:" in j.fine_tuned_model for j in jobs)


@pytest.fixture(scope="module")
def webhook(stack):
    """A local receiver for failure notifications, registered through `ftflow notify`."""
    from ftflow.notify import setup_failure_notifications, setup_shutdown_notifications

    with webhook_receiver() as (url, received):
        setup_failure_notifications(url)
        setup_shutdown_notifications(url)
        yield received


def _wait_for_message(received: list[str], text: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for body in received:
            if text in body:
                return body
        time.sleep(0.5)
    raise AssertionError(f"no notification containing {text!r}; got {received}")


def test_quality_gate_failure_fails_the_run_before_any_upload_and_notifies(stack, webhook):
    champion = current_champion(Root(storage()), "dataset")
    files_before = len(list(openai.OpenAI().files.list()))
    params = {"config": {"data": {"inputs": [f"{storage()}/landing/batch-1.jsonl"]},
                         "prepare": {"quality": {"max_rejected_share": 0.01}}}}  # fmt: skip
    run = run_deployment("retrain/retrain", parameters=params, timeout=RUN_TIMEOUT)
    assert run.state.is_failed()
    assert "quality gate" in run.state.message
    assert len(list(openai.OpenAI().files.list())) == files_before  # nothing sent to OpenAI
    assert current_champion(Root(storage()), "dataset").model == champion.model
    assert s3.head(f"{storage()}/runs/{run.id}/quarantine.jsonl") is not None  # the reasons, kept
    assert "quality gate" in _wait_for_message(webhook, str(run.name))


def test_failed_fine_tune_fails_the_run_and_keeps_the_champion(stack, webhook):
    champion = current_champion(Root(storage()), "dataset")
    set_faults(os.environ["OPENAI_BASE_URL"], fail_next_training=1)
    params = {"config": {"data": {"inputs": [f"{storage()}/landing/batch-1.jsonl"]}, "finetune": {"suffix": "doomed"}}}
    run = run_deployment("retrain/retrain", parameters=params, timeout=RUN_TIMEOUT)
    assert run.state.is_failed()
    assert "fine-tune" in run.state.message
    assert "failed" in run.state.message
    assert current_champion(Root(storage()), "dataset").model == champion.model
    _wait_for_message(webhook, str(run.name))


def test_a_champion_near_its_shutdown_is_warned_about_and_notified(stack, webhook):
    champion = current_champion(Root(storage()), "dataset")
    assert champion is not None
    # The emulator's models API says the champion (a gpt-4o-mini fine-tune) shuts down on 2027-01-14;
    # a warn_days wider than the days left makes this run warn, emit the event and notify.
    params = {"config": {"data": {"inputs": [f"{storage()}/landing/batch-1.jsonl"]},
                         "lifecycle": {"warn_days": 100000}}}  # fmt: skip
    run = run_deployment("retrain/retrain", parameters=params, timeout=RUN_TIMEOUT)
    assert run.state.is_completed(), run.state.message
    body = _wait_for_message(webhook, f"champion of 'dataset', {champion.model}, shuts down on 2027-01-14")
    assert "ftflow models record dataset" in body


def test_a_base_model_openai_no_longer_fine_tunes_fails_the_run_before_anything_is_prepared(stack):
    files_before = len(list(openai.OpenAI().files.list()))
    jobs_before = n_jobs()
    params = {"config": {"data": {"inputs": [f"{storage()}/landing/batch-1.jsonl"]},
                         "lifecycle": {"last_job_day": {"openai": "2026-01-01"}}}}  # fmt: skip
    run = run_deployment("retrain/retrain", parameters=params, timeout=RUN_TIMEOUT)
    assert run.state.is_failed()
    assert "gpt-4o-mini-2024-07-18: OpenAI accepts no new fine-tuning jobs after 2026-01-01" in run.state.message
    assert len(list(openai.OpenAI().files.list())) == files_before  # nothing uploaded
    assert n_jobs() == jobs_before
    assert not list(s3.list_objects(f"{storage()}/runs/{run.id}/"))  # not even a prepare report

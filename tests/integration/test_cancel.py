"""Cancelling a retrain run cancels the fine-tuning job that run created, and no other: jobs are
tagged with their flow run, the on_cancellation hook finds them by that tag (the hook runs in the
worker's process, with only the run's id and parameters), and the emulator shows them cancelled."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import openai
import pytest
from prefect.client.schemas.objects import FlowRun, State, StateType
from prefect.settings import PREFECT_LOGGING_TO_API_ENABLED, temporary_settings

from ftflow.config import FinetuneConfig, HfLoraConfig, PipelineConfig
from ftflow.flows.cancel import on_retrain_cancelled
from ftflow.flows.retrain import retrain
from ftflow.tasks.publish.versions import Dataset, open_dataset
from ftflow.tasks.train.cancel import cancel_run_jobs, stop_local_training
from ftflow.tasks.train.hf_lora import OWNER
from ftflow.tasks.train.openai import RUN_FIELD, submit
from tests.integration.conftest import make_dataset

pytestmark = pytest.mark.integration


def quiet(*_: object) -> None:
    return None


def trainable(tmp_path: Path, variant: str) -> Dataset:
    """A dataset OpenAI accepts (at least 10 training examples), so its job runs until cancelled."""
    return open_dataset(make_dataset(tmp_path / variant, variant, train_rows=12))


def ft(suffix: str) -> FinetuneConfig:
    return FinetuneConfig(model="gpt-4o-mini-2024-07-18", suffix=suffix)


@pytest.fixture
def slow_jobs(emulator):
    """Jobs that stay running long enough to be cancelled."""
    admin = emulator.rsplit("/v1", 1)[0] + "/_emulator/settings"
    httpx.post(admin, json={"seconds_per_step": 5.0}, timeout=10).raise_for_status()
    yield emulator
    httpx.post(admin, json={"seconds_per_step": 0.005}, timeout=10).raise_for_status()


def test_only_the_jobs_of_the_cancelled_run_are_cancelled(tmp_path, slow_jobs):
    client = openai.OpenAI()
    mine, _, _ = submit(client, trainable(tmp_path, "a"), ft("mine"), quiet, "run-A")
    other, _, _ = submit(client, trainable(tmp_path, "b"), ft("other"), quiet, "run-B")
    assert mine.metadata[RUN_FIELD] == "run-A"
    logs: list[str] = []
    assert cancel_run_jobs(client, "run-A", logs.append) == [mine.id]
    assert client.fine_tuning.jobs.retrieve(mine.id).status == "cancelled"
    assert client.fine_tuning.jobs.retrieve(other.id).status not in ("cancelled", "failed")
    assert any(f"cancelled fine-tuning job {mine.id}" in line for line in logs)
    assert cancel_run_jobs(client, "run-A", quiet) == []  # nothing left to cancel: no error either
    # A rerun of the same dataset and settings (say, after a crash) still finds the job by its key.
    again, reattached, _ = submit(client, trainable(tmp_path, "b"), ft("other"), quiet,
                                  "run-C")  # fmt: skip
    assert reattached
    assert again.id == other.id
    assert cancel_run_jobs(client, "run-C", quiet) == []  # run C reattached; run B created it and owns it
    client.fine_tuning.jobs.cancel(other.id)


def test_the_flow_hook_uses_only_the_run_id_and_its_parameters(tmp_path, slow_jobs):
    assert retrain.on_cancellation_hooks == [on_retrain_cancelled]
    client = openai.OpenAI()
    run_id = uuid.uuid4()
    job, _, _ = submit(client, trainable(tmp_path, "c"), ft("hook"), quiet, str(run_id))
    flow_run = FlowRun(id=run_id, flow_id=uuid.uuid4(), name="brave-otter",
                       parameters={"config": PipelineConfig().model_dump(mode="json")})  # fmt: skip
    with temporary_settings(updates={PREFECT_LOGGING_TO_API_ENABLED: False}):  # no API here: the worker has one
        on_retrain_cancelled(retrain, flow_run, State(type=StateType.CANCELLING))
    assert client.fine_tuning.jobs.retrieve(job.id).status == "cancelled"


def test_hf_lora_training_process_of_the_run_is_stopped(tmp_path):
    """A process that trains a key for run R (owner file as hf_train writes it) gets SIGTERM; one of
    another run does not."""
    procs = {}
    for run, key in (("run-R", "k1"), ("run-S", "k2")):
        proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        procs[run] = proc
        (tmp_path / key).mkdir()
        (tmp_path / key / OWNER).write_text(
            f'{{"pid": {proc.pid}, "host": "{socket.gethostname()}", "run_id": "{run}"}}'
        )
    try:
        hf = HfLoraConfig(base_model="unused", work_dir=str(tmp_path))
        assert stop_local_training(hf, "run-R", quiet) == [procs["run-R"].pid]
        assert procs["run-R"].wait(timeout=10) == -signal.SIGTERM
        time.sleep(0.2)
        assert procs["run-S"].poll() is None
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()

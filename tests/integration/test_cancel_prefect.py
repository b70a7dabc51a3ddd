"""On a real Prefect server: a served flow run that started a fine-tuning job is cancelled through the
Prefect API (as the UI's Cancel button does); the runner stops the run and runs the retrain flow's
on_cancellation hook, which cancels exactly that job in the emulator."""

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import openai
import pytest
from prefect.client.orchestration import get_client
from prefect.deployments import run_deployment
from prefect.states import Cancelling

from ftflow import devstack, devstack_prefect
from ftflow.config import FinetuneConfig, PipelineConfig
from ftflow.tasks.train.openai import RUN_FIELD
from tests.helpers import prefect_api
from tests.integration.conftest import make_dataset

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]
HERE = Path(__file__).resolve().parent


def wait(what: str, check, timeout: float = 60.0, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(every)


def test_cancelling_the_flow_run_in_prefect_cancels_its_fine_tuning_job(emulator, tmp_path):
    admin = emulator.rsplit("/v1", 1)[0] + "/_emulator/settings"
    httpx.post(admin, json={"seconds_per_step": 5.0}, timeout=10).raise_for_status()  # the job stays running
    sd = tmp_path / "stack"
    serve = None
    try:
        api_url = devstack_prefect.start_server(sd, port=0).env["PREFECT_API_URL"]
        env = {**os.environ, "PREFECT_API_URL": api_url, "PREFECT_HOME": str(sd / "prefect"),
               "PREFECT_RUNNER_POLL_FREQUENCY": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}  # fmt: skip
        serve = subprocess.Popen([sys.executable, str(HERE / "cancel_probe.py"), "probe"], env=env,
                                 stdout=(tmp_path / "serve.log").open("wb"), stderr=subprocess.STDOUT,
                                 start_new_session=True)  # fmt: skip
        dataset = make_dataset(tmp_path / "ds", "cancel", train_rows=12)
        cfg = PipelineConfig(finetune=FinetuneConfig(model="gpt-4o-mini-2024-07-18", suffix="cancel"))
        client = openai.OpenAI()
        with prefect_api(api_url):

            def deployed():
                async def read():
                    async with get_client() as c:
                        return [d for d in await c.read_deployments() if d.name == "probe"]

                return asyncio.run(read())

            wait("the served deployment", deployed, timeout=120)
            run = run_deployment("cancel-probe/probe", parameters={"config": cfg.model_dump(mode="json"),
                                                                     "dataset": str(dataset)}, timeout=0)  # fmt: skip
            jobs = wait("the job the run submits",
                        lambda: list(client.fine_tuning.jobs.list(metadata={RUN_FIELD: str(run.id)})), timeout=120)  # fmt: skip
            (job,) = jobs
            assert job.status not in ("cancelled", "failed", "succeeded")

            async def cancel():
                async with get_client() as c:
                    await c.set_flow_run_state(run.id, Cancelling(), force=True)

            started = time.monotonic()
            asyncio.run(cancel())
            wait("the job to be cancelled",
                 lambda: client.fine_tuning.jobs.retrieve(job.id).status == "cancelled", timeout=90)  # fmt: skip
            print(f"job cancelled {time.monotonic() - started:.1f} s after the flow run was")

            async def state():
                async with get_client() as c:
                    return (await c.read_flow_run(run.id)).state

            assert wait(
                "the run to be Cancelled", lambda: (s := asyncio.run(state())) and s.is_cancelled() and s, timeout=60
            )
    except AssertionError:
        print((tmp_path / "serve.log").read_text(errors="replace")[-4000:])
        raise
    finally:
        httpx.post(admin, json={"seconds_per_step": 0.005}, timeout=10)
        if serve is not None and serve.poll() is None:
            os.killpg(serve.pid, 15)
            serve.wait(timeout=30)
        devstack.stop_all(sd)

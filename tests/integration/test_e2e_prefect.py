"""End to end on a real Prefect server started like `ftflow devstack up --prefect`: the
deployments of prefect.yaml, a process worker, the local S3 server and the emulator."""

import asyncio
import json
import time
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.settings import PREFECT_API_URL, temporary_settings

from ftflow import devstack, devstack_prefect

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
            with temporary_settings(updates={PREFECT_API_URL: devstack.env_exports(sd)["PREFECT_API_URL"]}):
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

    async def automations():
        async with get_client() as client:
            return await client.read_automations()

    triggers = [
        a for a in asyncio.run(automations()) if "dataset.arrived" in json.dumps(a.trigger.model_dump(mode="json"))
    ]
    assert len(triggers) == 1

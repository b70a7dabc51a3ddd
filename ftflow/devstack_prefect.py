"""The Prefect part of `ftflow devstack up --prefect`: a local server with its UI, the
process work pool, the deployments of prefect.yaml, and a worker that runs them with
the other local services' settings (S3, the OpenAI emulator) in its environment."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from ftflow import devstack
from ftflow.devstack import DevstackError, Service

PROJECT_DIR = Path(__file__).resolve().parent.parent
WORK_POOL = "ftflow-local"
GPU_WORK_POOL = "ftflow-gpu"
DEFAULT_PORT = 4200


def _prefect_env(sd: Path, api_url: str | None = None) -> dict[str, str]:
    env = {**os.environ, "PREFECT_HOME": str(sd / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def _healthy(api_url: str) -> bool:
    try:
        return httpx.get(f"{api_url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def start_server(sd: str | Path | None = None, port: int | None = None, *, timeout: float = 90.0) -> Service:
    """`prefect server start` on 127.0.0.1 (UI included); returns once /api/health answers."""
    sd = devstack.state_dir(sd).resolve()
    services = devstack.load_services(sd)
    old = services.get("prefect")
    if old is not None and devstack.is_running(old):
        return old.model_copy(update={"reused": True})
    port = DEFAULT_PORT if port is None else port or devstack._free_port()
    if not devstack._port_free(port):
        raise DevstackError(f"port {port} is in use (another Prefect server?): choose one with --prefect-port")
    home = sd / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    api_url = f"http://127.0.0.1:{port}/api"
    started = time.monotonic()
    # The UI calls the API at PREFECT_UI_API_URL, which otherwise defaults to port 4200 whatever --port says.
    # PREFECT_UI_URL: links in notifications (`ftflow notify`) point at this server's UI.
    ui_env = {"PREFECT_UI_API_URL": api_url, "PREFECT_UI_URL": f"http://127.0.0.1:{port}"}
    proc = devstack._spawn(argv, {**_prefect_env(sd), **ui_env}, home / "server.log", home)
    svc = Service(name="prefect", pid=proc.pid, argv=argv, log=str(home / "server.log"), ports={"http": port},
                  started_at=datetime.now(UTC).isoformat(timespec="seconds"), env={"PREFECT_API_URL": api_url})  # fmt: skip
    while not _healthy(api_url):
        if proc.poll() is not None:
            raise DevstackError(
                f"Prefect server exited with code {proc.returncode}:\n{devstack._tail(home / 'server.log')}"
            )
        if time.monotonic() - started > timeout:
            devstack._terminate(svc, force=True, timeout=5)
            raise DevstackError(
                f"Prefect server did not answer within {timeout:g}s:\n{devstack._tail(home / 'server.log')}"
            )
        time.sleep(0.25)
    svc.ready_seconds = round(time.monotonic() - started, 2)
    services["prefect"] = svc
    devstack._save(sd, services)
    return svc


def _prefect_cli(sd: Path, api_url: str, *args: str, extra_env: dict[str, str] | None = None) -> str:
    env = {**_prefect_env(sd, api_url), "FTFLOW_PROJECT_DIR": str(PROJECT_DIR), **(extra_env or {})}
    proc = subprocess.run([sys.executable, "-m", "prefect", "--no-prompt", *args], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    if proc.returncode != 0:
        raise DevstackError(f"`prefect {' '.join(args)}` failed:\n{(proc.stdout + proc.stderr)[-3000:]}")
    return proc.stdout


def deploy(sd: str | Path | None = None) -> None:
    """Create the process work pool (if missing) and apply every deployment of prefect.yaml."""
    sd = devstack.state_dir(sd).resolve()
    api_url = devstack.load_services(sd)["prefect"].env["PREFECT_API_URL"]
    pools = httpx.post(f"{api_url}/work_pools/filter", json={}, timeout=10).json()
    # ftflow-gpu: the train-hf-lora deployment's pool; its runs wait for a worker on a GPU machine.
    for pool in (WORK_POOL, GPU_WORK_POOL):
        if pool not in {p["name"] for p in pools}:
            _prefect_cli(sd, api_url, "work-pool", "create", pool, "--type", "process")
    _prefect_cli(sd, api_url, "deploy", "--all")


def start_worker(sd: str | Path | None = None) -> Service:
    """A process worker for the pool, with every running service's settings in its environment."""
    sd = devstack.state_dir(sd).resolve()
    services = devstack.load_services(sd)
    old = services.get("prefect-worker")
    if old is not None and devstack.is_running(old):
        return old.model_copy(update={"reused": True})
    exports = devstack.env_exports(sd)
    argv = [sys.executable, "-m", "prefect", "worker", "start", "--pool", WORK_POOL, "--name", "ftflow-local-worker"]
    home = sd / "prefect"
    env = {**_prefect_env(sd, exports["PREFECT_API_URL"]), **exports, "FTFLOW_PROJECT_DIR": str(PROJECT_DIR),
           # A local stack: a run starts within ~2 s of being scheduled (Prefect's default poll is 10 s).
           "PREFECT_WORKER_QUERY_SECONDS": "2"}  # fmt: skip
    proc = devstack._spawn(argv, env, home / "worker.log", PROJECT_DIR)
    svc = Service(name="prefect-worker", pid=proc.pid, argv=argv, log=str(home / "worker.log"), ports={},
                  started_at=datetime.now(UTC).isoformat(timespec="seconds"), env={})  # fmt: skip
    services["prefect-worker"] = svc
    devstack._save(sd, services)
    return svc


def up(sd: str | Path | None = None, port: int | None = None) -> tuple[Service, Service]:
    server = start_server(sd, port)
    deploy(sd)
    return server, start_worker(sd)

"""The devstack's link server (ftflow/link_server.py): started by `ftflow devstack up` next to
the S3 server, sharing its bucket; its ``FTFLOW_LINKS_URL`` goes to `devstack env` and to the
Prefect worker, so artifacts made by local runs hold links that never expire."""

from __future__ import annotations

import os
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from ftflow import devstack
from ftflow.link_server import DEFAULT_PORT

NAME = "links"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def start_link_server(sd: str | Path | None = None, port: int | None = None, *,
                      timeout: float = 30.0) -> devstack.Service:  # fmt: skip
    """Start the link server for the devstack's S3 bucket (S3 must be up). Safe to run twice."""
    sd = devstack.state_dir(sd).resolve()
    services = devstack.load_services(sd)
    old = services.get(NAME)
    if old is not None and devstack.is_running(old):
        return old.model_copy(update={"reused": True})
    s3svc = services.get("s3")
    if not isinstance(s3svc, devstack.S3Service) or not devstack.is_running(s3svc):
        raise devstack.DevstackError("the link server needs the devstack's S3 server: start it first")
    port = DEFAULT_PORT if port is None else port or devstack._free_port()
    if not devstack._port_free(port):
        raise devstack.DevstackError(f"port {port} is in use: choose another with --links-port")
    url = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "ftflow.link_server", "--port", str(port), "--allow", f"s3://{s3svc.bucket}"]
    home = sd / NAME
    home.mkdir(parents=True, exist_ok=True)
    log = home / "links.log"
    env = {**os.environ, **s3svc.env}
    started = time.monotonic()
    proc = devstack._spawn(argv, env, log, home)
    svc = devstack.Service(name=NAME, pid=proc.pid, argv=argv, log=str(log), ports={"http": port},
                           started_at=datetime.now(UTC).isoformat(timespec="seconds"),
                           env={"FTFLOW_LINKS_URL": url})  # fmt: skip
    while not _answers(url):
        if proc.poll() is not None:
            raise devstack.DevstackError(f"the link server exited with code {proc.returncode}:\n{devstack._tail(log)}")
        if time.monotonic() - started > timeout:
            devstack._terminate(svc, force=True, timeout=5)
            raise devstack.DevstackError(f"the link server did not answer on {url} within {timeout:g}s")
        time.sleep(0.1)
    svc.ready_seconds = round(time.monotonic() - started, 2)
    services = devstack.load_services(sd)
    services[NAME] = svc
    devstack._save(sd, services)
    return svc

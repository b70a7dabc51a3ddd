"""Run the emulator as a detached subprocess: for tests and for ``ftflow devstack``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

PROBE = {"Authorization": "Bearer emulator-probe", "x-emulator-probe": "1"}


class EmulatorError(RuntimeError):
    """The emulator did not start, or did not answer in time."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(base_url: str) -> bool:
    request = urllib.request.Request(f"{base_url}/models", headers=PROBE)
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def start_emulator(
    state_dir: str | Path,
    port: int | None = None,
    *,
    args: Sequence[str] = (),
    env: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> tuple[str, subprocess.Popen[bytes]]:
    """Start ``python -m ftflow.emulator`` detached; return (base_url, process) once it answers.

    ``base_url`` ends in ``/v1``, ready for ``openai.OpenAI(base_url=...)``. ``port`` None
    picks a free one; ``args`` are extra CLI flags (e.g. ``["--seconds-per-step", "0.01"]``).
    The log goes to ``state_dir/emulator.log``; state persists in ``state_dir``.
    """
    state = Path(state_dir).resolve()
    state.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    argv = [sys.executable, "-m", "ftflow.emulator", "--host", "127.0.0.1", "--port", str(port),
            "--state-dir", str(state), *args]  # fmt: skip
    log = state / "emulator.log"
    root = str(Path(__file__).resolve().parents[2])  # so the emulator imports this checkout's ftflow
    child_env = {**os.environ, **(env or {})}
    child_env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, child_env.get("PYTHONPATH")]))
    with log.open("ab") as out:
        proc = subprocess.Popen(
            argv, cwd=state, env=child_env, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + timeout
    while not _answers(base_url):
        if proc.poll() is not None:
            raise EmulatorError(f"emulator exited with code {proc.returncode}:\n{_tail(log)}")
        if time.monotonic() > deadline:
            stop_emulator(proc)
            raise EmulatorError(f"emulator did not answer on {base_url} in {timeout:g}s:\n"
                                f"{_tail(log)}")  # fmt: skip
        time.sleep(0.05)
    return base_url, proc


def stop_emulator(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """SIGTERM the emulator's process group, SIGKILL it if it lingers, and reap it."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

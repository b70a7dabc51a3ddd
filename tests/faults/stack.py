"""A whole local stack for `ftflow run` fault tests: SeaweedFS S3, the OpenAI emulator and a
Prefect server on free ports, and helpers to start, watch and kill -9 `ftflow run`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openai

from ftflow import devstack, devstack_prefect, s3
from ftflow.store import Root
from ftflow.tasks.evaluate.registry import read_history

ROOT = Path(__file__).resolve().parents[2]
FAKE_OPENAI_KEY = "sk-ftflowFAKEkey-7f3a9c1e5b2d4f60a8e1c3b5d7f9a2c4"  # recognisable: grep finds it anywhere
S3_SECRET = devstack.DEV_SECRET_KEY  # the local server's secret key, used by every S3 call of the run
RUN_TIMEOUT = 420


@dataclass
class Stack:
    state_dir: Path
    env: dict[str, str]  # what `ftflow run` gets: services, fake key, its own PREFECT_HOME

    @property
    def bucket(self) -> str:
        return self.env["FTFLOW_BUCKET"]


def start_stack(sd: Path) -> Stack:
    devstack.start_s3(sd, port=0, timeout=60)
    devstack.start_openai_emulator(sd, port=0, args=["--seconds-per-step", "0.002", "--phase-seconds", "0.1"])
    devstack_prefect.start_server(sd, port=0)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "OPENAI_", "PREFECT_", "FTFLOW_"))}
    env.update(devstack.env_exports(sd))
    env.update({"OPENAI_API_KEY": FAKE_OPENAI_KEY, "PREFECT_HOME": str(sd / "run-prefect-home"),
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "INFO",
                "AWS_CONFIG_FILE": str(sd / "aws-config"), "AWS_SHARED_CREDENTIALS_FILE": str(sd / "aws-creds")})  # fmt: skip
    return Stack(sd, env)


def raw_data(tmp: Path, n: int, seed: int) -> Path:
    out = tmp / f"raw-{seed}"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(n), str(out), "--seed", str(seed)],
                   check=True, capture_output=True)  # fmt: skip
    return out / "examples.jsonl"


def run_config(tmp: Path, storage: str) -> Path:
    cfg = {
        "data": {"storage": storage, "dataset_name": "faults"},
        "finetune": {"poll_interval_s": 0.2, "suffix": "faults"},
        "evaluate": {"max_items": 40, "bootstrap_resamples": 1000},
    }
    path = tmp / f"run-{uuid.uuid4().hex[:6]}.json"
    path.write_text(json.dumps(cfg))
    return path


def start_run(stack: Stack, data: Path, config: Path, log: Path) -> subprocess.Popen:
    """`ftflow run DATA --config CONFIG` in its own process group (kill -9 reaches its workers too)."""
    fh = log.open("ab")
    return subprocess.Popen([sys.executable, "-m", "ftflow.cli", "run", str(data), "--config", str(config)],
                            stdout=fh, stderr=subprocess.STDOUT, env=stack.env, cwd=ROOT,
                            start_new_session=True)  # fmt: skip


def kill_9(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen, log: Path, timeout: float = RUN_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if proc.poll() is not None:
            raise AssertionError(f"ftflow run ended (exit {proc.returncode}) before the moment:\n{tail(log)}")
        time.sleep(0.05)
    raise AssertionError(f"moment not reached in {timeout:g}s:\n{tail(log)}")


def tail(log: Path, n: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-n:]) if log.exists() else "(no log)"


def keys(uri: str) -> list[str]:
    return [o.uri for o in s3.list_objects(uri)]


def client(stack: Stack) -> openai.OpenAI:
    return openai.OpenAI(api_key=FAKE_OPENAI_KEY, base_url=stack.env["OPENAI_BASE_URL"], max_retries=5)


def uploads(stack: Stack, sha_prefix: str) -> dict[str, int]:
    """Fine-tune files uploaded for a dataset (by the content-hash name ftflow gives them), per split."""
    counts: dict[str, int] = {}
    for f in client(stack).files.list(purpose="fine-tune"):
        if f.filename.startswith(f"ftflow-{sha_prefix}-"):
            split = f.filename.split("-")[2]
            counts[split] = counts.get(split, 0) + 1
    return counts


def jobs_for(stack: Stack, files: set[str]) -> list:
    return [j for j in client(stack).fine_tuning.jobs.list(limit=100) if j.training_file in files]


def file_ids(stack: Stack, sha_prefix: str) -> set[str]:
    return {
        f.id for f in client(stack).files.list(purpose="fine-tune") if f.filename.startswith(f"ftflow-{sha_prefix}-")
    }


def promotions(storage: str) -> list:
    return [e for e in read_history(Root(storage), "faults") if e.decision == "promoted"]

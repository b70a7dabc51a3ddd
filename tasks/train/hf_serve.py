"""Serving an hf-lora model for evaluation through an existing OpenAI-compatible server, so
`evaluate` and promotion stay one code path: the openai SDK with another ``base_url``.

- ``finetune.hf.serve.url`` set: a server someone runs (in production vLLM on a GPU:
  ``vllm serve BASE --enable-lora --lora-modules NAME=ADAPTER_DIR``) already serves the candidate
  under ``serve.model_name`` (default ``ftflow-lora-<key16>``) and the base model.
- unset: the flow merges the adapter into the base model (PEFT ``merge_and_unload``) and starts
  ``transformers serve`` (transformers' own OpenAI-compatible server; CPU or GPU) in the key's
  ``serve/`` folder, where the merged model's folder carries the candidate's name; it is stopped
  when the evaluation ends.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ftflow.config import HfLoraConfig
from ftflow.errors import FtflowError
from ftflow.tasks.train.backends import TrainOutcome
from ftflow.tasks.train.hf_lora import require_train_extra

SERVE_DIR = "serve"
MERGED_MARK = ".ftflow-merged"


class ServeError(FtflowError):
    """The model server could not be started or did not answer."""

    def __init__(self, message: str, *, transient: bool = True):
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class Endpoint:
    base_url: str  # …/v1, for openai.OpenAI(base_url=…)
    candidate: str  # model name of the fine-tuned model on that server
    base: str  # model name of its base model on that server

    def routes(self) -> dict[str, str]:
        """model -> base URL, for evaluate.endpoints."""
        return {self.candidate: self.base_url, self.base: self.base_url}


def merge_adapter(adapter_dir: Path, out: Path, base_model: str, revision: str | None = None) -> Path:
    """Base model + LoRA adapter merged into plain weights (what a server without LoRA support
    loads), with the tokenizer; done once per key."""
    if (out / MERGED_MARK).exists():
        return out
    require_train_extra()
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    base = AutoModelForCausalLM.from_pretrained(base_model, revision=revision)
    merged = PeftModel.from_pretrained(base, str(adapter_dir)).merge_and_unload()
    merged.save_pretrained(str(out))
    AutoTokenizer.from_pretrained(str(adapter_dir)).save_pretrained(str(out))
    (out / MERGED_MARK).write_text(str(adapter_dir) + "\n")
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextmanager
def transformers_server(workdir: Path, *, device: str = "auto", port: int | None = None, timeout_s: float = 300,
                        log: Callable[[str], None] = print, offline: bool = False) -> Iterator[str]:  # fmt: skip
    """`transformers serve` on 127.0.0.1 (models load on demand by name, relative to ``workdir``);
    yields its base URL and stops it (its whole process group) on exit."""
    port = port or free_port()
    exe = Path(sys.executable).with_name("transformers")
    cmd = [str(exe) if exe.exists() else "transformers", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--device", device, "--log-level", "warning"]  # fmt: skip
    env = {**os.environ, **({"HF_HUB_OFFLINE": "1"} if offline else {})}
    logfile = (workdir / "server.log").open("ab")
    try:
        proc = subprocess.Popen(cmd, cwd=workdir, env=env, stdout=logfile, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip
    except OSError as exc:
        logfile.close()
        raise ServeError(
            f"cannot start `transformers serve`: {exc} (install the train extra)", transient=False
        ) from None
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + timeout_s
        while not _answers(f"http://127.0.0.1:{port}/health"):
            if proc.poll() is not None:
                tail = (workdir / "server.log").read_text(errors="replace")[-2000:]
                raise ServeError(f"`transformers serve` exited with {proc.returncode}: {tail}")
            if time.monotonic() > deadline:
                raise ServeError(f"`transformers serve` did not answer on port {port} within {timeout_s:.0f} s")
            time.sleep(0.5)
        log(f"transformers serve at {base_url} (pid {proc.pid}, log {workdir / 'server.log'})")
        yield base_url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        logfile.close()


@contextmanager
def serve_for_evaluation(outcome: TrainOutcome, hf: HfLoraConfig,
                         log: Callable[[str], None] = print) -> Iterator[Endpoint]:  # fmt: skip
    """Where evaluation reaches the candidate and its base: the configured server, or a local
    `transformers serve` with the merged model for as long as the block runs."""
    if outcome.model is None or outcome.base_model is None:
        raise ServeError(f"training {outcome.job_id} produced no model to serve", transient=False)
    if hf.serve.url:
        yield Endpoint(hf.serve.url.rstrip("/"), hf.serve.model_name or outcome.model,
                       hf.serve.base_model_name or outcome.base_model)  # fmt: skip
        return
    adapter = Path(outcome.extra.get("adapter_dir") or "")
    if not (adapter / "adapter_config.json").exists():
        raise ServeError(f"no adapter at {adapter} to serve", transient=False)
    workdir = adapter.parent / SERVE_DIR
    workdir.mkdir(parents=True, exist_ok=True)
    merge_adapter(adapter, workdir / outcome.model, outcome.base_model, hf.revision)
    local_base = Path(outcome.base_model).is_dir()
    device = "cpu" if hf.device == "cpu" else "auto"
    with transformers_server(workdir, device=device, timeout_s=hf.serve.startup_timeout_s, log=log,
                             offline=local_base) as url:  # fmt: skip
        yield Endpoint(url, outcome.model, outcome.base_model)


def local_outcome(
    key: str, hf: HfLoraConfig, published: str | None, log: Callable[[str], None] = print
) -> TrainOutcome:
    """The finished training of ``key`` on this machine, downloaded from where it was published
    when it was trained elsewhere (the GPU work pool)."""
    import json

    from ftflow.tasks.train.hf_lora import OUTCOME, _outcome, fetch_published, key_dir

    local = key_dir(hf, key)
    local.mkdir(parents=True, exist_ok=True)
    if not (local / OUTCOME).exists() and not (published and fetch_published(published, local, log)):
        raise ServeError(f"training {key} is neither in {local} nor published" + (f" at {published}" if published else ""),
                         transient=False)  # fmt: skip
    return _outcome(json.loads((local / OUTCOME).read_text()), local, True, published)

"""Stop the training a cancelled flow run started, and nothing else.

- OpenAI: every job carries ``metadata.ftflow_run`` = the flow run that created it
  (tasks/train/openai.py). :func:`cancel_run_jobs` lists the jobs with that value and cancels the
  ones still running (``client.fine_tuning.jobs.cancel``). A job another run created, even one
  this run reattached to after a crash, is left alone: its own run (or its rerun) owns it.
- hf-lora: while a key trains, ``<work_dir>/<key>/train.owner.json`` names the process, its host
  and its flow run. :func:`stop_local_training` sends SIGTERM to a process on this host that
  trains for this run; its checkpoints stay, so a later run resumes from the last one.

Plain functions; the Prefect ``on_cancellation`` hook of the retrain flow (flows/cancel.py) calls them.
"""

from __future__ import annotations

import json
import os
import signal
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openai

from ftflow.config import HfLoraConfig
from ftflow.tasks.train.hf_lora import OWNER
from ftflow.tasks.train.openai import RUN_FIELD, TERMINAL, _api_error


def cancel_run_jobs(client: openai.OpenAI, run_id: str, log: Callable[[str], None] = print) -> list[str]:
    """Cancel the fine-tuning jobs ``run_id`` created that have not ended; returns their ids."""
    try:
        jobs = list(client.fine_tuning.jobs.list(metadata={RUN_FIELD: run_id}, limit=100))
    except openai.APIError as exc:
        raise _api_error(exc) from None
    cancelled = []
    for job in jobs:
        if (job.metadata or {}).get(RUN_FIELD) != run_id or job.status in TERMINAL:
            continue
        try:
            client.fine_tuning.jobs.cancel(job.id)
        except openai.BadRequestError as exc:  # it ended between the list and the cancel
            log(f"job {job.id} could not be cancelled: {_api_error(exc)}")
            continue
        except openai.APIError as exc:
            raise _api_error(exc) from None
        log(f"cancelled fine-tuning job {job.id} ({job.status}) of flow run {run_id}")
        cancelled.append(job.id)
    if not cancelled:
        log(f"no running fine-tuning job of flow run {run_id} to cancel")
    return cancelled


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_local_training(hf: HfLoraConfig, run_id: str, log: Callable[[str], None] = print,
                        sig: int = signal.SIGTERM) -> list[int]:  # fmt: skip
    """Signal the processes on this host that train an hf-lora key for ``run_id``; returns their pids."""
    stopped = []
    host = socket.gethostname()
    for path in sorted(Path(hf.work_dir).expanduser().glob(f"*/{OWNER}")):
        try:
            owner: dict[str, Any] = json.loads(path.read_text())
        except (OSError, ValueError):
            continue  # the training ended (and removed it) while we looked
        pid = owner.get("pid")
        if owner.get("run_id") != run_id or owner.get("host") != host or not isinstance(pid, int) or pid == os.getpid():
            continue
        if _alive(pid):
            os.kill(pid, sig)
            log(f"stopped hf-lora training of key {path.parent.name} (pid {pid}) of flow run {run_id}; "
                "its checkpoints stay for a later run to resume")  # fmt: skip
            stopped.append(pid)
    return stopped

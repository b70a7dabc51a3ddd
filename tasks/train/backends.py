"""Trainer backends behind one interface (`finetune.backend`).

- ``openai``: today's path, unchanged (OpenAI or Azure OpenAI fine-tuning jobs, tasks/train/openai.py).
- ``hf-lora``: supervised LoRA on an open-weights chat model with TRL + PEFT (tasks/train/hf_lora.py),
  from the same chat JSONL; needs the `train` extra.

Every backend takes a prepared dataset and returns a :class:`TrainOutcome`: the job id (the
idempotency key for hf-lora), the model name evaluation asks for, trained vs estimated tokens,
and the report files (metrics.csv, loss_curve.png, finetune.json). The CLI and the flow step
dispatch through :data:`BACKENDS`, so both paths stay one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ftflow.config import FinetuneConfig, LifecycleConfig, Pricing
from ftflow.errors import FtflowError
from ftflow.tasks.train.report import FinetuneReport


@dataclass
class TrainOutcome:
    """What a finished (or refused, or failed) training produced, whatever the backend."""

    backend: str
    job_id: str  # OpenAI's job id; for hf-lora the idempotency key
    status: str  # succeeded | failed | cancelled | dry-run
    model: str | None  # the name evaluation sends as `model`
    trained_tokens: int | None
    estimated_tokens: int
    reattached: bool  # an earlier run's job or training was reused
    report: FinetuneReport | None = None
    base_model: str | None = None  # the model it was trained from, as its server names it
    artifacts_uri: str | None = None  # where the adapter, tokenizer and metrics were uploaded (hf-lora)
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class TrainerBackend(Protocol):
    name: str

    def train(self, dataset_ref: str | Path, cfg: FinetuneConfig, pricing: Pricing, *, dry_run: bool = False,
              report_dir: Path | None = None, log: Callable[[str], None] = print,
              lifecycle: LifecycleConfig | None = None, run_id: str | None = None) -> TrainOutcome: ...  # fmt: skip


class OpenAIBackend:
    """OpenAI / Azure OpenAI fine-tuning: ftflow.tasks.train.openai.run_finetune, then the job's report."""

    name = "openai"

    def train(self, dataset_ref: str | Path, cfg: FinetuneConfig, pricing: Pricing, *, dry_run: bool = False,
              report_dir: Path | None = None, log: Callable[[str], None] = print,
              lifecycle: LifecycleConfig | None = None, run_id: str | None = None) -> TrainOutcome:  # fmt: skip
        from ftflow.llm import openai_client
        from ftflow.tasks.train.openai import run_finetune
        from ftflow.tasks.train.report import build_report

        client = None if dry_run else openai_client()
        job = run_finetune(dataset_ref, cfg, pricing, client=client, dry_run=dry_run, log=log, lifecycle=lifecycle,
                           run_id=run_id)  # fmt: skip
        if dry_run or client is None:
            return TrainOutcome(self.name, job.job_id, job.status, None, None, job.estimated_tokens, False)
        report = build_report(client, client.fine_tuning.jobs.retrieve(job.job_id), job.estimated_tokens, report_dir)
        return TrainOutcome(self.name, job.job_id, job.status, job.fine_tuned_model, job.trained_tokens,
                            job.estimated_tokens, job.reattached, report, error=job.error,
                            extra={"uploads": job.uploads})  # fmt: skip


class HfLoraBackend:
    """LoRA with TRL + PEFT on an open-weights model (imported only when used: the default
    install has no torch)."""

    name = "hf-lora"

    def train(self, dataset_ref: str | Path, cfg: FinetuneConfig, pricing: Pricing, *, dry_run: bool = False,
              report_dir: Path | None = None, log: Callable[[str], None] = print,
              lifecycle: LifecycleConfig | None = None, run_id: str | None = None) -> TrainOutcome:  # fmt: skip
        """Open weights: no provider cutoff applies (`lifecycle` is for provider-hosted models)."""
        from ftflow.tasks.train.hf_lora import run_hf_lora

        return run_hf_lora(dataset_ref, cfg, dry_run=dry_run, report_dir=report_dir, log=log, run_id=run_id)


BACKENDS: dict[str, TrainerBackend] = {b.name: b for b in (OpenAIBackend(), HfLoraBackend())}


def get_backend(name: str) -> TrainerBackend:
    try:
        return BACKENDS[name]
    except KeyError:
        raise FtflowError(f"unknown finetune.backend {name!r} (known: {', '.join(BACKENDS)})") from None


def train(dataset_ref: str | Path, cfg: FinetuneConfig, pricing: Pricing, *, dry_run: bool = False,
          report_dir: Path | None = None, log: Callable[[str], None] = print,
          lifecycle: LifecycleConfig | None = None, run_id: str | None = None) -> TrainOutcome:  # fmt: skip
    """Train with the backend the config names. ``run_id`` (the Prefect flow run) marks the provider job
    or local training this run started, so cancelling the run can stop exactly that (tasks/train/cancel.py)."""
    return get_backend(cfg.backend).train(dataset_ref, cfg, pricing, dry_run=dry_run, report_dir=report_dir, log=log,
                                          lifecycle=lifecycle, run_id=run_id)  # fmt: skip

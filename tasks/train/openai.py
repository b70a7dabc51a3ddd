"""Fine-tune: submit a prepared dataset to OpenAI once, and follow the job to its end.

Money is spent once per (dataset, base model, hyperparameters, suffix, seed): that tuple
hashes to a key stored in the job's metadata, and before creating anything we look for
a job with that key and reattach to it. Files are named after their content hash and
reused when already uploaded. So a process killed at any moment can simply be run again:
one upload per file, one job, the same model.

Everything goes through the official openai SDK; its `base_url` points at
api.openai.com in production and at the local emulator in the demo and tests. The SDK
retries 429s (honouring Retry-After), 5xx and connection errors with backoff; 4xx
validation errors are not retried and are reported word for word.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import openai

from ftflow import progress, s3, tokens
from ftflow.config import FinetuneConfig, LifecycleConfig, Pricing
from ftflow.errors import FtflowError
from ftflow.lifecycle import check_new_job
from ftflow.llm import openai_client
from ftflow.manifest import CostSummary, Counts, TokenSummary
from ftflow.tasks.publish.versions import Dataset, open_dataset

KEY_FIELD = "ftflow_key"
RUN_FIELD = "ftflow_run"  # the flow run that created the job: cancelling that run cancels it
TERMINAL = ("succeeded", "failed", "cancelled")
MAX_POLL_INTERVAL_S = 60.0


class FinetuneError(FtflowError):
    """The job could not be submitted or did not succeed; the message says why."""

    def __init__(self, message: str, *, transient: bool = False):
        super().__init__(message)
        self.transient = transient


@dataclass
class JobOutcome:
    job_id: str
    status: str
    fine_tuned_model: str | None
    trained_tokens: int | None
    estimated_tokens: int
    reattached: bool
    uploads: dict[str, str] = field(default_factory=dict)  # split -> file id
    error: str | None = None


def job_key(training_sha256: str, cfg: FinetuneConfig) -> str:
    """Identity of a fine-tune: what decides the money spent and the model obtained."""
    identity = {"training_data": training_sha256, "model": cfg.model, "hyperparameters": cfg.hyperparameters(),
                "suffix": cfg.suffix, "seed": cfg.seed}  # fmt: skip
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:32]


class Sized(Protocol):
    """What a cost estimate reads: a Manifest, or a flow's reference to a published dataset."""

    counts: Counts
    cost_estimate: CostSummary
    tokens: TokenSummary


def estimate(manifest: Sized, cfg: FinetuneConfig, pricing: Pricing) -> tokens.CostEstimate:
    """The cost of this job: the dataset's training tokens × the epochs this job will run."""
    per_epoch = manifest.cost_estimate.billed_tokens_per_epoch
    n_train = manifest.counts.train
    epochs = tokens.auto_epochs(n_train) if cfg.n_epochs == "auto" else int(cfg.n_epochs)
    model = cfg.model or manifest.tokens.model
    price = tokens.price_per_1m(model, pricing)
    billed = per_epoch * epochs
    return tokens.CostEstimate(
        model=model, epochs=epochs, billed_tokens_per_epoch=per_epoch, billed_tokens=billed,
        usd_per_1m_tokens=price, usd=None if price is None else round(billed / 1e6 * price, 4),
        prices_as_of=pricing.as_of.isoformat(),
    )  # fmt: skip


def check_budget(cost: tokens.CostEstimate, cfg: FinetuneConfig) -> None:
    if cfg.max_cost_usd is None:
        return
    if cost.usd is None:
        raise FinetuneError(
            f"no price known for {cfg.model}, so --max-cost cannot be checked; add it to prepare.pricing"
        )
    if cost.usd > cfg.max_cost_usd:
        raise FinetuneError(
            f"estimated cost ${cost.usd:,.2f} ({cost.billed_tokens:,} tokens, {cost.epochs} epochs) is above "
            f"--max-cost ${cfg.max_cost_usd:,.2f}; nothing was submitted"
        )


def _api_error(exc: openai.APIError) -> FinetuneError:
    """OpenAI's own message, word for word."""
    status = getattr(exc, "status_code", None)
    body = getattr(exc, "body", None)
    message = body.get("message") if isinstance(body, dict) else None
    where = f"HTTP {status}: " if status else ""
    return FinetuneError(f"OpenAI API {where}{message or exc.message}")


def upload_once(client: openai.OpenAI, path: Path, training_sha256: str, split: str, threshold_bytes: int) -> str:
    """The id of an uploaded copy of `path`, uploading only when none is there yet."""
    digest = s3.file_sha256(path)  # streamed: a 1M-example train file is over 600 MB
    name = f"ftflow-{training_sha256[:16]}-{split}-{digest[:16]}.jsonl"
    size = path.stat().st_size
    try:
        for f in client.files.list(purpose="fine-tune"):
            if f.filename == name and f.bytes == size and f.status != "error":
                return f.id
        if size > threshold_bytes:
            upload = client.uploads.upload_file_chunked(file=path, mime_type="application/jsonl",
                                                        purpose="fine-tune", filename=name)  # fmt: skip
            if upload.file is None:
                raise FinetuneError(f"multipart upload of {path} finished without a file")
            return upload.file.id
        with path.open("rb") as fh:
            return client.files.create(file=(name, fh), purpose="fine-tune").id
    except openai.APIError as exc:
        raise _api_error(exc) from None


def find_jobs(client: openai.OpenAI, key: str) -> list[Any]:
    """Jobs created for this key, newest first."""
    try:
        jobs = list(client.fine_tuning.jobs.list(metadata={KEY_FIELD: key}, limit=100))
    except openai.APIError as exc:
        raise _api_error(exc) from None
    return sorted(
        (j for j in jobs if (j.metadata or {}).get(KEY_FIELD) == key),
        key=lambda j: j.created_at,
        reverse=True,
    )


def submit(
    client: openai.OpenAI,
    dataset: Dataset,
    cfg: FinetuneConfig,
    log: Callable[[str], None] = print,
    run_id: str | None = None,
) -> tuple[Any, bool, dict[str, str]]:
    """Reattach to this key's job, or upload the files and create it. Returns (job, reattached, uploads)."""
    key = job_key(dataset.training_sha256, cfg)
    previous = find_jobs(client, key)
    live = [j for j in previous if j.status not in ("failed", "cancelled")]
    if live:
        log(f"reattaching to job {live[0].id} ({live[0].status}), created earlier for this dataset and settings")
        return live[0], True, {}
    if previous and not cfg.resubmit_failed:
        last = previous[0]
        why = last.error.message if last.error and last.error.message else last.status
        raise FinetuneError(
            f"the same fine-tune already ran as {last.id} and ended {last.status}: {why}. "
            "Fix the cause, or pass --resubmit to pay for a new attempt"
        )
    threshold = cfg.upload_part_threshold_mb * 1024 * 1024
    uploads = {}
    for split in ("train", "validation"):
        path = dataset.file(split)
        if path is not None:
            uploads[split] = upload_once(client, path, dataset.training_sha256, split, threshold)
            log(f"{split} file: {uploads[split]}")
    metadata = {
        KEY_FIELD: key,
        "dataset_sha256": dataset.sha256[:64],
        "attempt": str(len(previous) + 1),
        **({RUN_FIELD: run_id[:512]} if run_id else {}),
    }
    try:
        job = client.fine_tuning.jobs.create(
            model=cfg.model,
            training_file=uploads["train"],
            validation_file=uploads.get("validation") or openai.omit,
            method={"type": "supervised", "supervised": {"hyperparameters": cfg.hyperparameters()}},
            suffix=cfg.suffix or openai.omit,
            seed=cfg.seed if cfg.seed is not None else openai.omit,
            metadata=metadata,
        )
    except openai.APIError as exc:
        raise _api_error(exc) from None
    log(f"created job {job.id} for {cfg.model}")
    return job, False, uploads


def wait(client: openai.OpenAI, job_id: str, cfg: FinetuneConfig, log: Callable[[str], None] = print,
         sleep: Callable[[float], None] = time.sleep) -> Any:  # fmt: skip
    """Poll with backoff until the job ends, logging new events in order."""
    seen: set[str] = set()
    bar = progress.track(f"fine-tune {job_id}", unit="steps")  # status and step/total_steps of each poll
    interval = cfg.poll_interval_s
    deadline = time.monotonic() + cfg.timeout_s
    while True:
        try:
            job = client.fine_tuning.jobs.retrieve(job_id)
            fresh = _new_events(client, job_id, seen)
        except openai.APIError as exc:
            raise _api_error(exc) from None
        metrics = [e for e in fresh if e.type == "metrics"]
        for event in fresh:
            seen.add(event.id)
            # Every message; of the per-step metrics only the newest since the last poll.
            if event.type != "metrics" or event is metrics[-1]:
                log(f"[{job_id}] {event.message}")
        _show(bar, job, metrics)
        if job.status in TERMINAL:
            bar.close()
            return job
        if time.monotonic() > deadline:
            bar.close()
            raise FinetuneError(
                f"job {job_id} still {job.status} after {cfg.timeout_s:.0f} s; run again to keep waiting",
                transient=True,
            )
        sleep(interval)
        interval = min(interval * 1.5, MAX_POLL_INTERVAL_S)


def _show(bar: progress.Task, job: Any, metrics: list[Any]) -> None:
    """The job's status, step of total steps (from its newest metrics event) and trained tokens."""
    data = getattr(metrics[-1], "data", None) if metrics else None
    data = data if isinstance(data, dict) else {}
    tokens = {"tokens": job.trained_tokens} if getattr(job, "trained_tokens", None) else {}
    bar.update(status=job.status, completed=data.get("step"), total=data.get("total_steps"), **tokens)


def _new_events(client: openai.OpenAI, job_id: str, seen: set[str]) -> list[Any]:
    """Events not logged yet, oldest first. The API pages newest first, so read pages
    until one holds an event already seen (or the history ends)."""
    fresh: list[Any] = []
    after: str | Any = openai.omit
    while True:
        page = client.fine_tuning.jobs.list_events(job_id, limit=100, after=after)
        for event in page.data:
            if event.id in seen:
                return fresh[::-1]
            fresh.append(event)
        if not page.has_more or not page.data:
            return fresh[::-1]
        after = page.data[-1].id


def run_finetune(dataset_ref: str | Path, cfg: FinetuneConfig, pricing: Pricing, *, client: openai.OpenAI | None = None,
                 dry_run: bool = False, log: Callable[[str], None] = print,
                 sleep: Callable[[float], None] = time.sleep, lifecycle: LifecycleConfig | None = None,
                 today: date | None = None, run_id: str | None = None) -> JobOutcome:  # fmt: skip
    """The fine-tune stage: guard the model's lifecycle and the budget, submit once, wait, report.
    A base model OpenAI no longer fine-tunes is refused before anything is uploaded (a dry run
    checks the `lifecycle` table only: it calls no API)."""
    dataset = open_dataset(dataset_ref)
    if not dataset.manifest.ok:
        raise FinetuneError(f"{dataset_ref}: the quality gate refused this dataset; nothing to fine-tune")
    # Token counts and limits in the manifest hold for the model it was prepared for.
    cfg = cfg.model_copy(update={"model": cfg.model or dataset.manifest.tokens.model})
    if not dry_run:
        client = client or openai_client()
    check_new_job(str(cfg.model), lifecycle or LifecycleConfig(), client=client, today=today)
    cost = estimate(dataset.manifest, cfg, pricing)
    log(f"estimate: {cost.epochs} epochs × {cost.billed_tokens_per_epoch:,} tokens = {cost.billed_tokens:,} billed tokens"
        + (f" ≈ ${cost.usd:,.2f}" if cost.usd is not None else " (no price known)"))  # fmt: skip
    check_budget(cost, cfg)
    if dry_run:
        log(f"dry run: would fine-tune {cfg.model} on {dataset.directory} (key {job_key(dataset.training_sha256, cfg)}) "
            f"with {cfg.hyperparameters()}, suffix {cfg.suffix!r}, seed {cfg.seed}; nothing sent")  # fmt: skip
        return JobOutcome("", "dry-run", None, None, cost.billed_tokens, False)
    assert client is not None
    job, reattached, uploads = submit(client, dataset, cfg, log, run_id)
    job = wait(client, job.id, cfg, log, sleep)
    error = None
    if job.status != "succeeded":
        error = (job.error.message if job.error and job.error.message else None) or f"job {job.status}"
    return JobOutcome(job.id, job.status, job.fine_tuned_model, job.trained_tokens, cost.billed_tokens, reattached,
                      uploads, error)  # fmt: skip

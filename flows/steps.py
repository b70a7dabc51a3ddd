"""Flow-level tasks: each wraps one stage, takes and returns small references (URIs,
content hashes, ids), so any step can be retried, cached, resumed or run elsewhere.

Re-running a failed flow redoes nothing finished: preparing is cached on the content
hashes of the inputs plus the config and the code version (tasks/prepare/code_version.py), the export is idempotent, and the fine-tune
reattaches to the job its key names instead of paying again.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from prefect import task
from prefect.context import TaskRunContext
from prefect.logging import get_run_logger
from pydantic import BaseModel

from ftflow import s3
from ftflow.config import CredentialsConfig, FinetuneConfig, LifecycleConfig, PipelineConfig, PrepareConfig, Pricing
from ftflow.flows import artifacts
from ftflow.flows.review import review_pairs
from ftflow.layout import StorageLayout
from ftflow.manifest import CostSummary, Counts, TokenSummary
from ftflow.retries import task_options
from ftflow.store import Root
from ftflow.tasks.evaluate.checkpoints import CheckpointChoice, best_hf_checkpoint
from ftflow.tasks.evaluate.stage import EvaluationOutcome, run_evaluation
from ftflow.tasks.prepare.code_version import code_version
from ftflow.tasks.prepare.ingest import expand_inputs
from ftflow.tasks.publish import stage as publish_stage
from ftflow.tasks.publish.versions import open_dataset
from ftflow.tasks.train.backends import TrainOutcome, train
from ftflow.tasks.train.openai import FinetuneError


class DatasetRef(BaseModel):
    """A published dataset version and the manifest sections later steps decide on."""

    uri: str  # the published, complete dataset version
    dataset_sha256: str
    counts: Counts
    cost_estimate: CostSummary
    tokens: TokenSummary  # tokens.model: the model it was prepared (tokenized) for

    @property
    def model(self) -> str:
        return self.tokens.model


class ModelRef(BaseModel):
    job_id: str
    fine_tuned_model: str
    trained_tokens: int | None
    estimated_tokens: int
    reattached: bool
    backend: str = "openai"
    base_model: str | None = None  # hf-lora: the open-weights base, as its server names it
    adapter_uri: str | None = None  # hf-lora: where the adapter and tokenizer were published


def _content_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    """Same inputs (by content hash) and same settings: the same dataset, so reuse it."""
    h = hashlib.sha256()
    for path in expand_inputs(parameters["inputs"]):
        if path.startswith("s3://"):
            info = s3.head(path)
            h.update(f"{path}\0{info.sha256 or info.etag}\0{info.size}\n".encode() if info else path.encode())
        else:
            h.update(f"{Path(path).name}\0{s3.file_sha256(Path(path))}\n".encode())  # streamed, not read whole
    cfg: PrepareConfig = parameters["cfg"]
    # where the partitions run does not change the dataset (tests/prepare/test_executor*.py): not in the key
    h.update(cfg.model_dump_json(exclude={"executor", "dask_address"}).encode())
    h.update(f"{parameters['storage']}\0{parameters['name']}".encode())
    h.update(f"\0code {code_version()}".encode())  # a fixed bug is never served from an old cache
    return "prepare-" + h.hexdigest()


@task(name="prepare and publish", cache_key_fn=_content_key, persist_result=True, **task_options(3 * 3600))
def prepare_and_publish(inputs: list[str], storage: str, name: str, cfg: PrepareConfig, run_id: str) -> DatasetRef:
    """Prepare locally, then publish the version to S3. A refused gate uploads only its report."""
    log = get_run_logger()
    work = Path(tempfile.mkdtemp(prefix="ftflow-prepare-"))
    try:
        try:
            published = publish_stage.prepare_and_publish(inputs, storage, cfg, name=name, work_dir=work, run_id=run_id,
                                                           on_stage=lambda stage: log.info("prepare: %s", stage),
                                                           reviewer=review_pairs if cfg.documents.review else None)  # fmt: skip
        except publish_stage.RefusedAndReported as exc:
            artifacts.quality(work / "manifest.json", exc.report_uri)
            raise
        if published.exported:
            exported = published.exported
            log.info("dataset %s: %s objects written, %s already there", exported.uri, exported.objects_written,
                     len(exported.skipped))  # fmt: skip
        artifacts.quality(published.prepared.out_dir / "manifest.json", published.uri)
        m = published.prepared.manifest
        return DatasetRef(uri=published.uri, dataset_sha256=published.prepared.dataset_sha256, counts=m.counts,
                          cost_estimate=m.cost_estimate, tokens=m.tokens)  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


def train_and_report(dataset: DatasetRef, cfg: FinetuneConfig, pricing: Pricing, storage: str, run_id: str,
                     lifecycle: LifecycleConfig | None = None) -> ModelRef:  # fmt: skip
    """Train with the configured backend (reattaching or resuming after any crash) and publish the
    report (metrics.csv, loss curve, finetune.json) under runs/<run-id>/finetune."""
    log = get_run_logger()
    cache = Path(tempfile.gettempdir()) / "ftflow-datasets"
    open_dataset(dataset.uri, cache)  # verified download, reused below
    # hf-lora publishes its adapter under the dataset version, so it gets the version's URI.
    ref = dataset.uri if cfg.backend == "hf-lora" else str(cache / dataset.dataset_sha256)
    work = Path(tempfile.mkdtemp(prefix="ftflow-finetune-"))
    try:
        outcome = train(ref, cfg, pricing, report_dir=work, log=log.info, lifecycle=lifecycle, run_id=run_id)
        report = outcome.report
        if report is not None:
            prefix = s3.join(StorageLayout(storage).run(run_id), "finetune")
            uploaded = {name: s3.join(prefix, Path(path).name) for name, path in report.files.items()}
            for name, path in report.files.items():
                s3.upload_file(path, uploaded[name])
            artifacts.finetune(report, uploaded)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if outcome.status != "succeeded":
        raise FinetuneError(f"fine-tune {outcome.job_id} {outcome.status}: {outcome.error}")
    return ModelRef(job_id=outcome.job_id, fine_tuned_model=outcome.model or "", trained_tokens=outcome.trained_tokens,
                    estimated_tokens=outcome.estimated_tokens, reattached=outcome.reattached, backend=outcome.backend,
                    base_model=outcome.base_model, adapter_uri=outcome.artifacts_uri)  # fmt: skip


@task(name="fine-tune", **task_options(24 * 3600))
def fine_tune(dataset: DatasetRef, cfg: FinetuneConfig, pricing: Pricing, storage: str, run_id: str,
              lifecycle: LifecycleConfig | None = None,
              credentials_config: CredentialsConfig | None = None) -> ModelRef:  # fmt: skip
    """Submit once (reattaching after any crash; refused before any upload when OpenAI no longer
    accepts the base model), wait, and publish the report under runs/. With finetune.hf.deployment
    set, hf-lora training is handed to that deployment (a GPU work pool)."""
    if cfg.backend == "hf-lora" and cfg.hf.deployment:
        from ftflow.flows.train_hf import hand_off  # the GPU pool's flow imports this module

        return hand_off(dataset, cfg, pricing, storage, run_id, credentials_config)
    return train_and_report(dataset, cfg, pricing, storage, run_id, lifecycle)


class DecisionRef(BaseModel):
    outcome: str  # promoted / rejected / unchanged
    summary: str
    champion: str | None
    report: str  # where report.md lives


@task(name="evaluate and promote", **task_options(6 * 3600))
def evaluate_and_promote(dataset: DatasetRef, model: ModelRef, cfg: PipelineConfig, storage: str) -> DecisionRef:  # fmt: skip
    """Base vs candidate vs champion on the frozen test split; the registry records the decision.
    Answers are cached in S3, so a retry pays nothing twice."""
    log = get_run_logger()
    # The evaluation's own run id (dataset hash + candidate), not this flow run's: a later run
    # over the same dataset and model finds the answers already cached and pays nothing.
    if model.backend == "hf-lora":  # served by an OpenAI-compatible server: same evaluation, another base_url
        outcome = _evaluate_served(dataset, model, cfg, storage, log.info)
    else:
        outcome = run_evaluation(dataset.uri, model.fine_tuned_model, cfg.evaluate, root=Root(storage),
                                 name=cfg.data.dataset_name, job_id=model.job_id, log=log.info,
                                 lifecycle=cfg.lifecycle)  # fmt: skip
    # publish_report (inside run_evaluation) already made the comparison and chart artifacts.
    if outcome.newly_recorded and outcome.event is not None and outcome.decision.promoted:
        from ftflow.flows.rollback import announce  # the same event as a promotion by hand

        announce(outcome.event, Root(storage))
    return DecisionRef(outcome=outcome.decision.outcome, summary=outcome.summary, champion=outcome.champion,
                       report=outcome.report.files.get("report.md", outcome.report.run_uri))  # fmt: skip


def hf_candidate(outcome: TrainOutcome, rule: str) -> tuple[TrainOutcome, CheckpointChoice | None]:
    """The hf-lora training to serve: itself, or (use_checkpoint best) the same with the adapter of
    the checkpoint the trainer marked best by eval loss (``adapter-best/``, named ``…-step<N>``)."""
    if rule != "best" or outcome.model is None:
        return outcome, None
    best = outcome.extra.get("best_checkpoint")
    choice = best_hf_checkpoint(best, outcome.model, outcome.extra.get("global_step"))
    if not best or choice.model == outcome.model:
        return outcome, choice
    adapter = Path(str(outcome.extra.get("adapter_dir") or "")).parent / str(best["dir"])
    return replace(outcome, model=choice.model, extra={**outcome.extra, "adapter_dir": str(adapter)}), choice


def _evaluate_served(dataset: DatasetRef, model: ModelRef, cfg: PipelineConfig, storage: str,
                     log: Callable[[str], None]) -> EvaluationOutcome:  # fmt: skip
    """An hf-lora candidate and its base, answered by the server named in finetune.hf.serve.url or by
    a `transformers serve` started here for the evaluation."""
    from ftflow.tasks.train.hf_serve import local_outcome, serve_for_evaluation

    hf = cfg.finetune.hf
    trained = local_outcome(model.job_id, hf, model.adapter_uri, log) if not hf.serve.url else None
    outcome = trained or TrainOutcome("hf-lora", model.job_id, "succeeded", model.fine_tuned_model,
                                      model.trained_tokens, model.estimated_tokens, True,
                                      base_model=model.base_model)  # fmt: skip
    outcome, checkpoint = hf_candidate(outcome, cfg.evaluate.use_checkpoint)
    with serve_for_evaluation(outcome, hf, log) as endpoint:
        ecfg = cfg.evaluate.model_copy(update={"base_model": endpoint.base,
                                               "endpoints": {**cfg.evaluate.endpoints, **endpoint.routes()}})  # fmt: skip
        return run_evaluation(dataset.uri, endpoint.candidate, ecfg, root=Root(storage), name=cfg.data.dataset_name,
                              job_id=model.job_id, log=log, lifecycle=cfg.lifecycle, checkpoint=checkpoint)  # fmt: skip

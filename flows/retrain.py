"""The `retrain` flow: prepare → export → fine-tune → evaluate → promote.

Runs on a weekly schedule, by hand from the Prefect UI (the parameters are one typed
form: data source, base model, hyperparameters, budget, thresholds, promotion rule), and
by itself when watch-landing announces new data (`objects`). Every step passes a small
reference to the next and is safe to re-run: nothing finished is redone, nothing is
uploaded or submitted twice. A refused quality gate stops before anything is sent to
OpenAI; a failed fine-tune leaves the champion as it was; both fail the run. Cancelling the run
cancels the fine-tuning job it created (flows/cancel.py).
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from ftflow import credentials
from ftflow.config import PipelineConfig
from ftflow.flows import artifacts
from ftflow.flows.approval import approve_spend
from ftflow.flows.cancel import on_retrain_cancelled
from ftflow.flows.lifecycle import check_lifecycle
from ftflow.flows.progress import run_logs
from ftflow.flows.steps import evaluate_and_promote, fine_tune, prepare_and_publish
from ftflow.layout import StorageLayout
from ftflow.tasks.train.openai import estimate


@flow(name="retrain", log_prints=True, on_cancellation=[on_retrain_cancelled])
def retrain(config: PipelineConfig = PipelineConfig(), objects: list[str] | None = None) -> dict[str, Any]:  # noqa: B008 (a default instance gives the UI form its defaults)
    """Retrain on new data and promote the result only if it is measurably better."""
    cfg = config
    credentials.configure(cfg.credentials)  # S3 and OpenAI clients of this run's tasks use these blocks
    log = get_run_logger()
    run_id = str(flow_run.get_id() or "local")
    storage = cfg.data.storage_root()
    inputs = objects or cfg.data.inputs or [StorageLayout(storage).landing()]
    log.info("retraining on %s", ", ".join(inputs))

    # Before anything is prepared or paid for: OpenAI must still accept the job; a champion near
    # its shutdown is reported (warning + event).
    lifecycle = check_lifecycle(cfg, storage)
    with run_logs(cfg.progress.log_every_s):  # rows read, bytes sent, fine-tune steps, answers: with rates
        dataset = prepare_and_publish(inputs, storage, cfg.data.dataset_name, cfg.prepare, run_id)
        cost = estimate(dataset, cfg.finetune, cfg.prepare.pricing)
        if cfg.finetune.backend == "openai":  # OpenAI's price; hf-lora trains on our own machines
            approve_spend(cost, cfg.finetune)
        model = fine_tune(dataset, cfg.finetune, cfg.prepare.pricing, storage, run_id, cfg.lifecycle, cfg.credentials)
        decision = evaluate_and_promote(dataset, model, cfg, storage)

    summary = {
        "dataset": dataset.uri,
        "rows read / kept / quarantined": f"{dataset.counts.rows_read} / {dataset.counts.rows_kept} / "
        f"{dataset.counts.rows_quarantined}",
        "quarantined by reason": dataset.counts.per_reason,
        "cost estimate (USD)": cost.usd if cfg.finetune.backend == "openai" else "n/a (hf-lora)",
        "estimated vs trained tokens": f"{model.estimated_tokens:,} vs {model.trained_tokens or 0:,}",
        "job": model.job_id,
        "model": model.fine_tuned_model,
        "decision": decision.summary,
        "champion": decision.champion,
        **lifecycle,
    }
    artifacts.summary(summary)
    return summary

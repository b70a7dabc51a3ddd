"""Cancelling a retrain run in Prefect (UI, CLI, API) also cancels the training it started.

Prefect runs a flow's ``on_cancellation`` hooks when the run enters Cancelling; for a deployment
run the worker (or ``serve``) process runs them, after stopping the flow's process, so the hook
cannot rely on anything in the flow's memory: it reads the run's own parameters (the config, for
the backend and credentials) and finds the job by the flow run id the job was tagged with
(tasks/train/cancel.py). A crashed or killed run is not cancelled: its job keeps running and the
rerun reattaches to it by its content key, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from prefect.logging.loggers import flow_run_logger

from ftflow import credentials
from ftflow.config import PipelineConfig
from ftflow.errors import FtflowError


def cancel_training(run_id: str, cfg: PipelineConfig, log: Callable[[str], None] = print) -> list[str]:
    """Stop what ``run_id`` started with ``cfg.finetune.backend``; returns job ids / pids stopped."""
    from ftflow.tasks.train.cancel import cancel_run_jobs, stop_local_training

    credentials.configure(cfg.credentials)
    if cfg.finetune.backend == "hf-lora":
        return [str(pid) for pid in stop_local_training(cfg.finetune.hf, run_id, log)]
    from ftflow.llm import openai_client

    return cancel_run_jobs(openai_client(), run_id, log)


def on_retrain_cancelled(flow: Any, flow_run: Any, state: Any) -> None:
    """The retrain flow's on_cancellation hook (Prefect calls it with the flow, the run and its state)."""
    logger = flow_run_logger(flow_run, flow)
    try:
        cfg = PipelineConfig.model_validate((flow_run.parameters or {}).get("config") or {})
        cancel_training(str(flow_run.id), cfg, logger.info)
    except (FtflowError, ValueError) as exc:  # logged on the run; the cancellation itself goes ahead
        logger.error("could not cancel the training of flow run %s: %s", flow_run.id, exc)

"""The retrain flow's lifecycle step, run before anything is prepared, uploaded or paid for:

- the base model of an `openai` fine-tune must still be accepted by OpenAI (else the run fails
  at once with one line naming the date and the alternatives);
- the current champion's shutdown date is looked up; within `lifecycle.warn_days` (or past it)
  a warning is logged and a Prefect event `ftflow.champion.shutdown-soon` is emitted, which the
  automation created by `ftflow notify` posts to the webhook.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.events import emit_event
from prefect.logging import get_run_logger

from ftflow.config import PipelineConfig
from ftflow.errors import FtflowError
from ftflow.lifecycle import champion_notice, check_new_job
from ftflow.llm import openai_client
from ftflow.notify import SHUTDOWN_EVENT
from ftflow.retries import task_options
from ftflow.store import Root
from ftflow.tasks.evaluate.registry import current_champion


def emit_shutdown_event(payload: dict[str, Any]) -> None:
    """The Prefect event for one champion; its resource names the registry entry."""
    emit_event(
        event=SHUTDOWN_EVENT,
        resource={
            "prefect.resource.id": f"ftflow.registry.{payload['name']}",
            "prefect.resource.name": payload["name"],
            "ftflow.model": payload["model"],
        },
        payload=payload,
    )


def lifecycle_checks(cfg: PipelineConfig, storage: str, *, client: Any = None, today: date | None = None,
                     emit: Callable[[dict[str, Any]], None] = emit_shutdown_event,
                     warn: Callable[[str], None] = print) -> dict[str, Any]:  # fmt: skip
    """Refuse a job OpenAI will not accept (LifecycleError); warn and emit an event about a champion
    near its shutdown. Returns what was found, for the run summary."""
    found: dict[str, Any] = {}
    if client is None and cfg.lifecycle.use_models_api:
        try:
            client = openai_client()
        except FtflowError:  # no OpenAI key (e.g. an hf-lora setup): the lifecycle table decides
            client = None
    if cfg.finetune.backend == "openai":
        base = cfg.finetune.model or cfg.prepare.model
        life = check_new_job(base, cfg.lifecycle, client=client, today=today)
        found["base model shuts down"] = life.shutdown_date.isoformat() if life.shutdown_date else None
    name = cfg.data.dataset_name
    champion = current_champion(Root(storage), name)
    if champion is not None:
        notice = champion_notice(name, champion.model, cfg.lifecycle, client=client, today=today)
        if notice is not None:
            warn(notice.message)
            emit(notice.payload())
            found["champion shutdown"] = notice.message
    return found


@task(name="model lifecycle", **task_options(600, cache_policy=NO_CACHE))
def check_lifecycle(cfg: PipelineConfig, storage: str) -> dict[str, Any]:
    """The flow's step: the checks above with today's UTC date, warnings to the run log."""
    return lifecycle_checks(cfg, storage, warn=get_run_logger().warning)

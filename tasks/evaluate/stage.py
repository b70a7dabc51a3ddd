"""The whole evaluation stage in one call: the CLI (`ftflow evaluate`) and the retrain flow
(flows/steps.py `evaluate_and_promote`) both run exactly this.

Order: read the champion, evaluate, decide, publish the report, then append the registry event,
so every event points at a report that exists. Running the same evaluation again reuses its
cached answers and does not append a second identical event.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import openai
from pydantic import BaseModel

from ftflow.config import EvaluateConfig, LifecycleConfig
from ftflow.endpoints import needs_default_client
from ftflow.lifecycle import model_lifetime, utc_today
from ftflow.llm import openai_client
from ftflow.store import Root, dataset_location, resolve_root
from ftflow.tasks.evaluate.checkpoints import CheckpointChoice, best_openai_checkpoint
from ftflow.tasks.evaluate.evaluation import EvalResult, EvaluationError, evaluate_models
from ftflow.tasks.evaluate.golden import latest_golden
from ftflow.tasks.evaluate.promotion import Decision, decide_promotion
from ftflow.tasks.evaluate.registry import (
    RegistryEvent,
    already_recorded,
    current_champion,
    find_job_id,
    make_event,
    read_history,
    record_event,
)
from ftflow.tasks.evaluate.report import ReportFiles, publish_report


class EvaluationOutcome(BaseModel):
    result: EvalResult
    decision: Decision
    report: ReportFiles
    event: RegistryEvent | None  # None when nothing was recorded (unchanged, or record=False)
    newly_recorded: bool

    @property
    def champion(self) -> str | None:
        """The champion after this evaluation."""
        return self.result.candidate if self.decision.promoted else self.decision.previous_champion

    @property
    def summary(self) -> str:
        """One line: the decision and the primary metric's difference with its interval."""
        d = self.decision
        if d.change is None:
            return f"{d.outcome}: {d.reasons[0] if d.reasons else ''}"
        return (f"{d.outcome}: {d.primary} {d.change:+.4f} [{d.ci_low:+.4f}, {d.ci_high:+.4f}] "
                f"vs {d.reference_role} {d.reference_model}")  # fmt: skip


def registry_name(dataset_ref: str | Path, name: str | None = None, default: str = "dataset") -> str:
    """``name``, else the s3:// dataset's name, else ``default`` (prepare's and data.dataset_name's default)."""
    return name or dataset_location(str(dataset_ref))[1] or default


def run_evaluation(dataset_ref: str | Path, candidate: str, cfg: EvaluateConfig, *, root: Root | None = None,
                   run_id: str | None = None, name: str | None = None, job_id: str | None = None,
                   record: bool = True, local_dir: str | Path | None = None, client: openai.OpenAI | None = None,
                   log: Callable[[str], None] = print, lifecycle: LifecycleConfig | None = None,
                   today: date | None = None, checkpoint: CheckpointChoice | None = None) -> EvaluationOutcome:  # fmt: skip
    """Champion → evaluate → decide → report → registry event. ``local_dir`` (where ``{run_id}``
    is replaced by the run id) receives a copy of the report files. The newest golden set of
    ``name`` is compared too; a champion that has shut down is not asked (its golden set stands in)."""
    root = root or resolve_root(None, str(dataset_ref))
    name = registry_name(dataset_ref, name)
    history = read_history(root, name)
    champion = current_champion(root, name, history=history)
    log(f"registry {root.uri(root.registry())}: champion of {name!r} is "
        + (f"{champion.model} (since {champion.recorded_at})" if champion else "not set yet"))  # fmt: skip
    if client is None and needs_default_client([candidate, cfg.base_model, champion.model if champion else None,
                                                 cfg.judge_model], cfg.endpoints):  # fmt: skip
        client = openai_client()  # some model is not behind a listed endpoint
    if cfg.use_checkpoint == "best" and checkpoint is None:  # an OpenAI fine-tune: rank its checkpoints
        job_id = job_id or (find_job_id(client, candidate) if client else None)
        if client is None or job_id is None:
            raise EvaluationError(f"evaluate.use_checkpoint best: the fine-tuning job of {candidate} is not known "
                                  "(pass --job JOB_ID)")  # fmt: skip
        checkpoint = best_openai_checkpoint(client, job_id)
        candidate = checkpoint.model
    if checkpoint is not None:
        log(f"candidate: {checkpoint.why}")

    lifecycle = lifecycle or LifecycleConfig()
    today = today or utc_today()
    golden = latest_golden(root, name)
    gone = None
    if champion is not None and champion.model != candidate:
        life = model_lifetime(champion.model, lifecycle, client=client)
        if life.is_shut_down(today):
            gone = (f"champion {champion.model} has shut down ({life.describe(today)}): not asked; "
                    + ("its golden set stands in" if golden else "no golden set was recorded"))  # fmt: skip
            log(gone)
    result = evaluate_models(dataset_ref, candidate, cfg, champion=champion.model if champion else None, root=root,
                             run_id=run_id, name=name, client=client, log=log,
                             golden=golden.info() if golden else None, champion_gone=gone,
                             checkpoint=checkpoint.model_dump() if checkpoint else None)  # fmt: skip
    decision = decide_promotion(result, cfg.promotion)
    local = str(local_dir).replace("{run_id}", result.run_id) if local_dir is not None else None
    report = publish_report(result, decision, root, local_dir=local, worst=cfg.worst_items)
    event, fresh = None, False
    if record and decision.outcome != "unchanged":
        shuts = model_lifetime(candidate, lifecycle, client=client).shutdown_date
        draft = make_event(result, decision, root=root,
                           job_id=job_id or (find_job_id(client, candidate) if client else None),
                           model_shutdown_date=shuts.isoformat() if shuts else None)  # fmt: skip
        event = already_recorded(history, draft)
        if event is None:
            event, fresh = record_event(root, draft), True
        else:
            log(f"this evaluation is already in the registry as {event.event_id}; not recorded again")
    return EvaluationOutcome(result=result, decision=decision, report=report, event=event, newly_recorded=fresh)

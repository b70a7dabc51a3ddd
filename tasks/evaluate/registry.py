"""The model registry: an append-only history of evaluations and their decisions.

Each event is one JSON object under ``registry/events/`` of a destination root (S3, or the
local directory used when S3 isn't configured), keyed ``<UTC time>-<random id>.json``: keys sort
by time, and concurrent writers never write the same key, so nothing is ever overwritten or
lost. An event records dataset hash → job → model → metrics → decision with its timestamp.
The champion of a registry name is the model of its latest ``promoted`` event.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

import openai
from pydantic import BaseModel, ValidationError

from ftflow.errors import FtflowError
from ftflow.store import Root
from ftflow.tasks.evaluate.evaluation import EvalResult
from ftflow.tasks.evaluate.promotion import Decision

EVENTS = "events"
_KEY = re.compile(r"(^|/)\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{8}\.json$")


class RegistryError(FtflowError):
    """An event in the registry cannot be read."""


class RegistryEvent(BaseModel):
    event_id: str
    recorded_at: str  # ISO 8601, UTC
    kind: str = "evaluation"  # | promotion | rollback (by hand: ftflow.tasks.evaluate.ledger)
    name: str  # the registry name (dataset name) the champion belongs to
    dataset_sha256: str
    dataset_uri: str
    job_id: str | None
    model: str
    base_model: str
    reference_role: str
    reference_model: str
    previous_champion: str | None
    judge_model: str | None = None
    run_id: str
    run_uri: str
    primary: str
    metrics: dict[str, dict[str, float | int | None]]  # metric -> candidate/reference/diff/ci_low/ci_high/n
    decision: str  # promoted | rejected
    reasons: list[str]
    model_shutdown_date: str | None = None  # the candidate's, as known when recorded
    golden: dict[str, Any] | None = None  # parity with the golden set (ftflow.tasks.evaluate.promotion.GoldenCheck)
    champion_gone: str | None = None  # the champion had shut down and was not asked
    by: str | None = None  # who promoted or rolled back by hand (None: the evaluation decided)


def make_event(result: EvalResult, decision: Decision, *, root: Root, job_id: str | None = None,
               model_shutdown_date: str | None = None) -> RegistryEvent:  # fmt: skip
    """The registry record of one evaluation (its id and time are set when recorded)."""
    comparison = result.comparisons[decision.reference_role]
    return RegistryEvent(
        event_id="", recorded_at="", name=result.name, dataset_sha256=result.dataset_sha256,
        dataset_uri=result.dataset_uri, job_id=job_id, model=result.candidate, base_model=result.roles["base"],
        reference_role=decision.reference_role, reference_model=decision.reference_model,
        previous_champion=decision.previous_champion, judge_model=result.judge_model, run_id=result.run_id,
        run_uri=root.uri(root.run(result.run_id)), primary=decision.primary,
        metrics={m: d.model_dump(exclude={"metric", "higher_is_better"}) for m, d in comparison.metrics.items()},
        decision=decision.outcome, reasons=decision.reasons, model_shutdown_date=model_shutdown_date,
        golden=decision.golden.model_dump() if decision.golden else None, champion_gone=result.champion_gone,
    )  # fmt: skip


def record_event(root: Root, event: RegistryEvent, *, now: datetime | None = None) -> RegistryEvent:
    """Append the event under a new key; returns it with its id and time filled in."""
    now = now or datetime.now(UTC)
    event_id = f"{now.strftime('%Y%m%dT%H%M%S.%fZ')}-{uuid.uuid4().hex[:8]}"
    event = event.model_copy(update={"event_id": event_id, "recorded_at": now.isoformat(timespec="microseconds")})
    body = json.dumps(event.model_dump(mode="json"), indent=2, ensure_ascii=False).encode() + b"\n"
    root.put(root.registry(f"{EVENTS}/{event_id}.json"), body, "application/json")
    return event


def read_history(root: Root, name: str | None = None) -> list[RegistryEvent]:
    """Every event, oldest first (optionally only one registry name)."""
    events = []
    for rel in root.list(root.registry(EVENTS)):
        if not _KEY.search(rel):
            continue
        data = root.get(rel)
        if data is None:
            continue
        try:
            event = RegistryEvent.model_validate(json.loads(data))
        except (ValueError, ValidationError) as exc:
            raise RegistryError(f"{root.uri(rel)} is not a valid registry event: {exc}") from None
        if name is None or event.name == name:
            events.append(event)
    return events


def current_champion(root: Root, name: str, *, history: list[RegistryEvent] | None = None) -> RegistryEvent | None:
    """The latest promotion event of ``name``, or None before the first promotion."""
    events = read_history(root, name) if history is None else [e for e in history if e.name == name]
    promoted = [e for e in events if e.decision == "promoted"]
    return promoted[-1] if promoted else None


def champions(history: list[RegistryEvent]) -> dict[str, RegistryEvent]:
    """Champion event per registry name."""
    out: dict[str, RegistryEvent] = {}
    for event in history:
        if event.decision == "promoted":
            out[event.name] = event
    return out


def already_recorded(history: list[RegistryEvent], event: RegistryEvent) -> RegistryEvent | None:
    """An earlier event of the same run with the same reference and decision (a rerun)."""
    for old in reversed(history):
        same = (old.run_id, old.model, old.reference_model, old.decision, old.dataset_sha256)
        if same == (event.run_id, event.model, event.reference_model, event.decision, event.dataset_sha256):
            return old
    return None


def find_job_id(client: Any, model: str, *, limit: int = 500) -> str | None:
    """The fine-tuning job that produced ``model`` (best effort: the newest ``limit`` jobs)."""
    if not model.startswith("ft:"):
        return None
    try:
        for n, job in enumerate(client.fine_tuning.jobs.list(limit=100)):
            if job.fine_tuned_model == model:
                return str(job.id)
            if n + 1 >= limit:
                break
    except openai.APIError:  # the job id is a convenience; never fail an evaluation over it
        return None
    return None

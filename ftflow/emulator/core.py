"""The emulator's shared state and the views every router needs (jobs, models, recall).

Job state is computed from each job's plan and the clock (see :mod:`.jobs`); ``sync`` only
materialises the side effects a finished job leaves behind (its result file) and remembers
that it is final, so later reads skip the work.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from fastapi import Request

from ftflow.emulator import jobs as J
from ftflow.emulator.chat import RecallIndex
from ftflow.emulator.errors import not_found
from ftflow.emulator.faults import FaultState
from ftflow.emulator.settings import Settings
from ftflow.emulator.store import JsonDict, Store, public, stable_id

TERMINAL = frozenset({"succeeded", "failed", "cancelled"})
RESULTS_FILENAME = "step_metrics.csv"

# Base models served by /v1/models and chat: id -> (created, owned_by).
BASE_MODELS: dict[str, tuple[int, str]] = {
    "gpt-4o-mini": (1721172741, "system"),
    "gpt-4o-mini-2024-07-18": (1721172717, "system"),
    "gpt-4o": (1715367049, "system"),
    "gpt-4o-2024-08-06": (1722814719, "system"),
    "gpt-4o-2024-05-13": (1715368132, "system"),
    "gpt-4.1": (1744316542, "system"),
    "gpt-4.1-2025-04-14": (1744315746, "system"),
    "gpt-4.1-mini": (1744318173, "system"),
    "gpt-4.1-mini-2025-04-14": (1744317547, "system"),
    "gpt-4.1-nano": (1744321707, "system"),
    "gpt-4.1-nano-2025-04-14": (1744321025, "system"),
    "gpt-3.5-turbo": (1677610602, "openai"),
    "gpt-3.5-turbo-0125": (1706048358, "system"),
    "gpt-3.5-turbo-1106": (1698959748, "system"),
    "omni-moderation-latest": (1731689265, "system"),
    "omni-moderation-2024-09-26": (1732734466, "system"),
}


class Emulator:
    """Settings, the store, fault switches and caches; one per app."""

    def __init__(self, settings: Settings, faults: FaultState,
                 clock: Callable[[], float] = time.time) -> None:  # fmt: skip
        self.settings = settings
        self.store = Store(settings.state_dir)
        self.faults = faults
        self.clock = clock
        self._indexes: dict[str, RecallIndex] = {}
        self._index_lock = threading.Lock()

    # --- jobs -----------------------------------------------------------------------------

    def job(self, job_id: str) -> JsonDict:
        job = self.store.jobs.get(job_id)
        if job is None:
            raise not_found(f"No fine-tuning job found with ID {job_id}", "fine_tuning_job_id")
        return job

    def sync(self, now: float | None = None) -> float:
        """Finish the bookkeeping of jobs that have ended; returns the ``now`` used."""
        now = self.clock() if now is None else now
        with self.store.lock:
            for job in list(self.store.jobs.values()):
                if job.get("_final"):
                    continue
                plan = J.plan_from_dict(job["_plan"])
                status, _ = plan.status_at(now)
                if status not in TERMINAL:
                    continue
                if status == "succeeded":
                    self._write_results(job, plan)
                job["_final"] = status
                self.store.save("jobs", job)
        return now

    def _write_results(self, job: JsonDict, plan: J.Plan) -> None:
        file_id = stable_id("file-", job["id"], "results", n=22)
        raw = J.results_csv(plan)
        self.store.write_blob(file_id, raw)
        self.store.save("files", {
            "id": file_id, "object": "file", "bytes": len(raw), "created_at": int(plan.t_end),
            "filename": RESULTS_FILENAME, "purpose": "fine-tune-results", "status": "processed",
            "expires_at": None, "status_details": None,
        })  # fmt: skip
        job["_results_file"] = file_id

    def job_view(self, job: JsonDict, now: float) -> JsonDict:
        """The `fine_tuning.job` object as the API returns it at ``now``."""
        plan = J.plan_from_dict(job["_plan"])
        status, ended = plan.status_at(now)
        hyper = dict(job["_hyper"])
        if plan.error is None and status != "validating_files":
            hyper = {"batch_size": plan.batch_size, "learning_rate_multiplier": plan.lr_multiplier,
                     "n_epochs": plan.n_epochs}  # fmt: skip
        error = None
        if status == "failed":
            error = plan.error or J.training_error(plan.fail_step or 0)
        running = status in ("queued", "running")
        succeeded = status == "succeeded"
        results = job.get("_results_file")
        return {
            **public(job),
            "status": status,
            "error": error,
            "hyperparameters": hyper,
            "method": {"type": "supervised", "supervised": {"hyperparameters": hyper}},
            "fine_tuned_model": J.model_name(job, self.settings.org) if succeeded else None,
            "finished_at": int(ended) if succeeded and ended is not None else None,
            "trained_tokens": plan.trained_tokens if succeeded else None,
            "result_files": [results] if succeeded and results in self.store.files else [],
            "estimated_finish": int(plan.t_step(plan.total_steps)) if running else None,
        }

    # --- fine-tuned models ----------------------------------------------------------------

    def tuned_models(self, now: float) -> dict[str, tuple[JsonDict, int]]:
        """Sampleable fine-tuned models (final and checkpoints) -> (job, created)."""
        out: dict[str, tuple[JsonDict, int]] = {}
        for job in list(self.store.jobs.values()):  # a copy: other threads add jobs
            if job.get("_model_deleted"):
                continue
            plan = J.plan_from_dict(job["_plan"])
            status, ended = plan.status_at(now)
            for step in J.checkpoint_steps(plan, now):  # names only: no loss curves needed
                name = J.model_name(job, self.settings.org, f"ckpt-step-{step}")
                out[name] = (job, int(plan.t_step(step)))
            if status == "succeeded" and ended is not None:
                out[J.model_name(job, self.settings.org)] = (job, int(ended))
        return out

    # --- model lifecycle ------------------------------------------------------------------

    def today(self, now: float | None = None) -> date:
        """The emulated calendar day: ``settings.today``, else the clock's UTC date."""
        if self.settings.today:
            return date.fromisoformat(self.settings.today)
        return datetime.fromtimestamp(self.clock() if now is None else now, UTC).date()

    def shutdown_date(self, model_id: str) -> str | None:
        """The model's own date, else (a fine-tune, `ft:BASE:…`) its base's: fine-tunes shut down with their base."""
        dates = self.settings.shutdown_dates
        if model_id in dates:
            return dates[model_id] or None
        if model_id.startswith("ft:") and len(model_id.split(":")) > 2:
            return dates.get(model_id.split(":")[1]) or None
        return None

    def is_shut_down(self, model_id: str, now: float | None = None) -> bool:
        day = self.shutdown_date(model_id)
        return day is not None and self.today(now) >= date.fromisoformat(day)

    def model_object(self, model_id: str, now: float) -> JsonDict:
        if self.is_shut_down(model_id, now):
            raise not_found(f"The model '{model_id}' does not exist", "model", "model_not_found")
        if model_id in BASE_MODELS:
            created, owner = BASE_MODELS[model_id]
            return {"id": model_id, "object": "model", "created": created, "owned_by": owner,
                    "shutdown_date": self.shutdown_date(model_id)}  # fmt: skip
        tuned = self.tuned_models(now).get(model_id)
        if tuned is None:
            raise not_found(f"The model '{model_id}' does not exist", "model", "model_not_found")
        return {"id": model_id, "object": "model", "created": tuned[1],
                "owned_by": self.settings.organization_id, "shutdown_date": self.shutdown_date(model_id)}  # fmt: skip

    def recall_index(self, job_id: str) -> RecallIndex:
        """The tuned model's memory, built once per process from models/<job id>.json."""
        with self._index_lock:
            index = self._indexes.get(job_id)
            if index is None:
                data = self.store.read_model_data(job_id) or {"pairs": []}
                index = self._indexes[job_id] = RecallIndex(data["pairs"])
            return index


def emu(request: Request) -> Emulator:
    """FastAPI dependency: the app's emulator."""
    return request.app.state.emu  # type: ignore[no-any-return]


def as_int(value: Any, name: str, lo: int, hi: int, default: int) -> int:
    """A bounded integer query parameter, with OpenAI's 400 on nonsense."""
    from ftflow.emulator.errors import bad_request

    if value is None:
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise bad_request(f"Invalid '{name}': expected an integer.", name) from None
    if not lo <= number <= hi:
        raise bad_request(f"Invalid '{name}': must be between {lo} and {hi}.", name)
    return number


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object, or OpenAI's 400 for a body it cannot parse."""
    from ftflow.emulator.errors import bad_request

    try:
        body = await request.json()
    except ValueError:
        raise bad_request(
            "We could not parse the JSON body of your request. (HINT: This likely means you "
            "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)"
        ) from None
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    return body

"""Model lifecycle: the last day a provider accepts new fine-tuning jobs, and when a model shuts down.

Dates come from the provider's models API (OpenAI returns ``shutdown_date`` on ``GET /v1/models``
and ``GET /v1/models/{id}``) and, where it says nothing, from the dated table in the ``lifecycle``
config section (copied from the provider's deprecation notice, like the price table). A fine-tune
``ft:BASE:…`` shuts down with its base, so the earlier of the two dates counts.

"Today" is a parameter everywhere (default: the UTC date), so every decision here can be tested
for any day. Plain functions; the retrain flow wraps them in flows/lifecycle.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import openai

from ftflow.config import LifecycleConfig
from ftflow.errors import FtflowError

PROVIDER_NAMES = {"openai": "OpenAI"}
API = "models API"


class LifecycleError(FtflowError):
    """The provider no longer accepts a fine-tuning job on this base model; the message names the
    date and what to use instead."""


@dataclass(frozen=True)
class ModelLifetime:
    model: str
    shutdown_date: date | None  # None: no date announced (or known)
    source: str | None  # where the date comes from: "models API" or "lifecycle table (as of …)"
    exists: bool | None = None  # False: the models API answered 404; None: not asked, or no answer

    def days_left(self, today: date) -> int | None:
        return None if self.shutdown_date is None else (self.shutdown_date - today).days

    def is_shut_down(self, today: date) -> bool:
        """Gone: the models API no longer knows it, or its shutdown day has come."""
        return self.exists is False or (self.shutdown_date is not None and today >= self.shutdown_date)

    def describe(self, today: date) -> str:
        """'2027-01-14 (41 days)', 'shut down 2026-11-30', or '–'."""
        if self.shutdown_date is None:
            return "gone (models API: no such model)" if self.exists is False else "–"
        left = self.days_left(today) or 0
        return f"shut down {self.shutdown_date}" if left <= 0 else f"{self.shutdown_date} ({left} days)"


def utc_today() -> date:
    return datetime.now(UTC).date()


def base_of(model: str) -> str | None:
    """``ft:BASE:org:suffix:id`` -> BASE; None for a model that is not a fine-tune."""
    parts = model.split(":")
    return parts[1] if model.startswith("ft:") and len(parts) > 2 else None


def parse_api_date(value: Any) -> date | None:
    """The models API's ``shutdown_date`` (``YYYY-MM-DD``; tolerates a full timestamp or Unix seconds)."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC).date()
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def api_shutdown_date(client: openai.OpenAI, model: str) -> tuple[date | None, bool | None]:
    """(shutdown date, exists) from ``GET /v1/models/{id}``. A 404 means the model is gone (or never
    existed); any other failure means the API cannot tell us now: (None, None), and the table decides."""
    try:
        found = client.models.retrieve(model)
    except openai.NotFoundError:
        return None, False
    except openai.APIError:
        return None, None
    return parse_api_date(getattr(found, "shutdown_date", None)), True


def model_lifetime(model: str, cfg: LifecycleConfig, *, client: openai.OpenAI | None = None) -> ModelLifetime:
    """The model's shutdown date: per model id, the models API's date wins over the table; a fine-tune
    takes the earlier of its own date and its base's."""
    found: list[tuple[date, str]] = []
    exists: bool | None = None
    base = base_of(model)
    for name in (model, base):
        if name is None:
            continue
        api_date, api_exists = (None, None)
        if client is not None and cfg.use_models_api:
            api_date, api_exists = api_shutdown_date(client, name)
        if name == model:
            exists = api_exists
        via = "" if name == model else f" for its base {name}"
        if api_date is not None:
            found.append((api_date, f"{API}{via}"))
        elif name in cfg.shutdown_dates:
            found.append((cfg.shutdown_dates[name], f"lifecycle table as of {cfg.as_of}{via}"))
    if not found:
        return ModelLifetime(model, None, None, exists)
    day, source = min(found)
    return ModelLifetime(model, day, source, exists)


def alternatives(cfg: LifecycleConfig) -> str:
    return f"; use {' or '.join(cfg.alternatives)}" if cfg.alternatives else ""


def check_new_job(model: str, cfg: LifecycleConfig, *, provider: str = "openai", client: openai.OpenAI | None = None,
                  today: date | None = None) -> ModelLifetime:  # fmt: skip
    """Refuse (LifecycleError, one line) a new fine-tuning job the provider will not accept: after its
    last day for new jobs, or on a model that has shut down. The last day itself is still allowed."""
    today = today or utc_today()
    life = model_lifetime(model, cfg, client=client)
    name = PROVIDER_NAMES.get(provider, provider)
    if life.shutdown_date is not None and today >= life.shutdown_date:
        raise LifecycleError(f"{model}: shut down on {life.shutdown_date} ({life.source}); {name} accepts no "
                             f"fine-tuning jobs on it{alternatives(cfg)}")  # fmt: skip
    last = cfg.last_job_day.get(provider)
    if last is not None and today > last:
        shuts = f" (shuts down {life.shutdown_date})" if life.shutdown_date else ""
        raise LifecycleError(f"{model}: {name} accepts no new fine-tuning jobs after {last}{shuts}{alternatives(cfg)}")
    return life


@dataclass(frozen=True)
class ShutdownNotice:
    """A champion that shuts down within ``warn_days`` (or already has)."""

    name: str  # registry name
    model: str
    shutdown_date: date | None
    days_left: int | None
    source: str | None

    @property
    def message(self) -> str:
        if self.shutdown_date is None:
            return f"champion of {self.name!r}, {self.model}, is gone ({self.source or API}: no such model)"
        when = (f"shut down on {self.shutdown_date}" if (self.days_left or 0) <= 0
                else f"shuts down on {self.shutdown_date}, in {self.days_left} days")  # fmt: skip
        return (f"champion of {self.name!r}, {self.model}, {when} ({self.source}); record its answers "
                f"(`ftflow models record {self.name}`) and retrain on another base or backend")  # fmt: skip

    def payload(self) -> dict[str, Any]:
        return {"name": self.name, "model": self.model, "days_left": self.days_left, "source": self.source,
                "shutdown_date": self.shutdown_date.isoformat() if self.shutdown_date else None,
                "message": self.message}  # fmt: skip


def champion_notice(name: str, model: str, cfg: LifecycleConfig, *, client: openai.OpenAI | None = None,
                    today: date | None = None) -> ShutdownNotice | None:  # fmt: skip
    """A notice when the champion shuts down within ``cfg.warn_days`` days (or is gone); else None."""
    today = today or utc_today()
    life = model_lifetime(model, cfg, client=client)
    days = life.days_left(today)
    if life.exists is False or (days is not None and days <= cfg.warn_days):
        return ShutdownNotice(name, model, life.shutdown_date, days, life.source)
    return None

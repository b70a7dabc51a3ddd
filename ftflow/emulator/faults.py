"""Fault switches: make the emulator misbehave the way the real API sometimes does.

Rates use one draw per /v1 request in arrival order from a low-discrepancy (golden-ratio)
sequence whose starting point is the seed: the same seed gives the same faults to a sequential
client, and the share of faulted requests matches the rate even over a short run (a plain
RNG can go 40 requests without one 500 at rate 0.15, which makes client tests flaky).
Counters (``next_429``, ``fail_next_training``, ...) are consumed one per request or job.
"""

from __future__ import annotations

import math
import os
import random
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any

from ftflow.emulator.settings import ENV_PREFIX

_GOLDEN = (5**0.5 - 1) / 2  # successive draws spread evenly over [0, 1)


@dataclass
class Faults:
    rate_429: float = 0.0  # fraction of /v1 requests answered 429 (with Retry-After)
    rate_500: float = 0.0  # fraction answered 500 server_error
    latency_ms: float = 0.0  # added to every /v1 request
    retry_after: float = 1.0  # seconds, sent as Retry-After (rounded up) and retry-after-ms
    next_429: int = 0  # the next N /v1 requests get 429
    next_500: int = 0  # the next N /v1 requests get 500
    fail_next_training: int = 0  # the next N jobs fail mid-training
    fail_next_validation: int = 0  # the next N jobs fail file validation
    seed: int | None = None  # None: a fresh, unseeded RNG


@dataclass
class Stats:
    """Counters since the process started (never reset, so callers can diff them)."""

    requests: int = 0
    injected_429: int = 0
    injected_500: int = 0


class FaultState:
    """The live switches plus their RNG; thread-safe, changed via POST /_emulator/faults."""

    def __init__(self, faults: Faults | None = None) -> None:
        self._lock = threading.Lock()
        self.faults = Faults()
        self.stats = Stats()
        self._u = 0.0
        self.update(asdict(faults or Faults()))

    def update(self, changes: dict[str, Any]) -> Faults:
        """Apply a partial update; unknown keys are an error. Re-seeds the RNG."""
        known = {f.name for f in fields(Faults)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown fault switch(es): {', '.join(sorted(unknown))}")
        with self._lock:
            updated = Faults(**asdict(self.faults))
            for name, value in changes.items():
                setattr(updated, name, _coerce(name, value))
            _check(updated)  # all or nothing: a rejected update changes no switch
            self.faults = updated
            self._u = random.Random(self.faults.seed).random()  # None: a random start
            return Faults(**asdict(self.faults))

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"faults": asdict(self.faults), "stats": asdict(self.stats)}

    def draw(self) -> int | None:
        """The HTTP status to inject for this request (429 or 500), or None."""
        with self._lock:
            f = self.faults
            self.stats.requests += 1
            status: int | None = None
            if f.next_429 > 0:
                f.next_429 -= 1
                status = 429
            elif f.next_500 > 0:
                f.next_500 -= 1
                status = 500
            elif f.rate_429 > 0 or f.rate_500 > 0:
                self._u = (self._u + _GOLDEN) % 1.0
                u = self._u
                status = 429 if u < f.rate_429 else 500 if u < f.rate_429 + f.rate_500 else None
            if status == 429:
                self.stats.injected_429 += 1
            elif status == 500:
                self.stats.injected_500 += 1
            return status

    def take_job_failure(self) -> str | None:
        """'validation' or 'training' if the next job should fail that way (counter consumed)."""
        with self._lock:
            if self.faults.fail_next_validation > 0:
                self.faults.fail_next_validation -= 1
                return "validation"
            if self.faults.fail_next_training > 0:
                self.faults.fail_next_training -= 1
                return "training"
            return None

    def retry_headers(self) -> dict[str, str]:
        seconds = self.faults.retry_after
        return {
            "retry-after": str(max(1, math.ceil(seconds))),
            "retry-after-ms": str(round(seconds * 1000)),
        }


def _coerce(name: str, value: Any) -> Any:
    if name == "seed":
        return None if value in (None, "", "none") else int(value)
    kind = Faults.__dataclass_fields__[name].type
    return int(value) if kind == "int" else float(value)


def _check(f: Faults) -> None:
    for name in ("rate_429", "rate_500"):
        if not 0.0 <= getattr(f, name) <= 1.0:
            raise ValueError(f"{name} must be within 0..1")
    if f.rate_429 + f.rate_500 > 1.0:
        raise ValueError("rate_429 + rate_500 must not exceed 1")
    for name in ("latency_ms", "retry_after", "next_429", "next_500", "fail_next_training",
                 "fail_next_validation"):  # fmt: skip
        if getattr(f, name) < 0:
            raise ValueError(f"{name} must not be negative")


def faults_from_env(env: dict[str, str] | None = None) -> Faults:
    """FTFLOW_EMULATOR_FAULT_<NAME>, e.g. FTFLOW_EMULATOR_FAULT_RATE_429=0.2."""
    env = dict(os.environ if env is None else env)
    values = {
        f.name: _coerce(f.name, env[f"{ENV_PREFIX}FAULT_{f.name.upper()}"])
        for f in fields(Faults)
        if f"{ENV_PREFIX}FAULT_{f.name.upper()}" in env
    }
    faults = Faults(**values)
    _check(faults)
    return faults

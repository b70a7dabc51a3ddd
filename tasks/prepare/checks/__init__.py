"""Quality checks as registered units, one module per rule (datatrove's filters are the model).

A :class:`Check` bundles what one rule needs everywhere it shows up:

- its **reason code** (quarantine.jsonl, the manifest's counts per reason),
- the **feature column** its expectation validates,
- its **expectation** in a Great Expectations suite (``expectations/<suite>.json``, whose
  ``meta.reason`` names the check; tests/prepare/test_checks.py keeps suites and registry in step),
- the **suite parameters** it reads from the config (thresholds),
- when it is **enabled** (e.g. ``pii`` only with ``prepare.quality.pii: quarantine``),
- how a failing row is **explained** in quarantine.jsonl's ``details``,
- optionally how its column is **computed** (``compute``): a check added from outside the
  shared features pass brings its own column this way. The built-in rules' columns are
  computed together, in one vectorized pass per partition (tasks/prepare/features.py),
  because that pass reads every message once for all of them.

Adding a rule: one module here declaring its Check (and its ``compute`` if the features pass
does not already give its column), listed in ``_MODULES``, plus one expectation in a suite and a test.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from ftflow.config import PrepareConfig
    from ftflow.tasks.prepare.ingest import Ingested


@dataclass(frozen=True)
class DetailContext:
    """What a check may use to explain one failing row."""

    cfg: PrepareConfig
    row: int  # the example's index
    value: Callable[[str], Any]  # feature column -> this row's value
    place: Callable[[int], str]  # example index -> "file line N"
    similarity: float  # near-duplicate similarity of this row (NaN when none)
    token_limit: int
    why: Callable[[str], str | None] = lambda column: None  # feature column -> the longer reason, if any


@dataclass(frozen=True)
class Check:
    reason: str
    column: str
    explain: Callable[[DetailContext], str]
    suite: str = "quality"
    params: Mapping[str, Callable[[PrepareConfig], Any]] = field(default_factory=dict)
    enabled: Callable[[PrepareConfig], bool] = lambda cfg: True
    compute: Callable[[Ingested, PrepareConfig], pd.Series] | None = None


CHECKS: dict[str, Check] = {}

# One module per rule; the order is the order of reason codes in the manifest.
_MODULES = ("empty", "too_short", "truncated", "duplicate", "near_duplicate", "too_long", "invalid_format",
            "flagged_content", "pii_found", "ungrounded", "no_content")  # fmt: skip


def register(check: Check) -> Check:
    if check.reason in CHECKS:
        raise ValueError(f"a check for reason {check.reason!r} is already registered")
    CHECKS[check.reason] = check
    return check


def registered() -> dict[str, Check]:
    """Every check, by reason code (importing the check modules on first use)."""
    for name in _MODULES:  # each registers itself on import (once; imports are cached)
        importlib.import_module(f"{__name__}.{name}")
    return CHECKS


def reasons() -> tuple[str, ...]:
    return tuple(registered())


def feature_columns() -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.column for c in registered().values()))


def suite_parameters(cfg: PrepareConfig) -> dict[str, Any]:
    return {name: get(cfg) for c in registered().values() for name, get in c.params.items()}


def enabled_suites(cfg: PrepareConfig) -> list[str]:
    """The suites holding the expectations of the checks this config enables, in check order."""
    return list(dict.fromkeys(c.suite for c in registered().values() if c.enabled(cfg)))


def computed_columns(ing: Ingested, cfg: PrepareConfig) -> dict[str, pd.Series]:
    """The columns of checks that compute their own (not given by the shared features pass)."""
    return {c.column: c.compute(ing, cfg) for c in registered().values() if c.compute is not None and c.enabled(cfg)}

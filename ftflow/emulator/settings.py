"""Emulator settings: one dataclass, filled from defaults, then env, then CLI flags.

Fault switches live in :mod:`ftflow.emulator.faults`; these are the knobs that shape the
emulated world (clock speed, limits, naming) and do not change per request.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

ENV_PREFIX = "FTFLOW_EMULATOR_"

# word -> moderation category; "category:word" on the command line.
DEFAULT_FLAG_WORDS: dict[str, str] = {
    "kill": "violence",
    "murder": "violence",
    "bomb": "illicit/violent",
    "suicide": "self-harm",
    "slur": "hate",
    "harass": "harassment",
}


# OpenAI's notice of 2026-05-07: these models and every fine-tune built on them shut down on this day.
NOTICE_SHUTDOWN = "2027-01-14"
DEFAULT_SHUTDOWN_DATES: dict[str, str] = {
    m: NOTICE_SHUTDOWN
    for m in (
        "gpt-4o",
        "gpt-4o-2024-08-06",
        "gpt-4o-mini",
        "gpt-4o-mini-2024-07-18",
        "gpt-4.1",
        "gpt-4.1-2025-04-14",
        "gpt-4.1-mini",
        "gpt-4.1-mini-2025-04-14",
    )
}
DEFAULT_FINETUNE_CUTOFF = "2027-01-06"  # last day OpenAI accepts new fine-tuning jobs (published summaries)


@dataclass
class Settings:
    """What the emulated OpenAI looks like. Everything has a demo-friendly default."""

    state_dir: Path = Path(".emulator")
    seconds_per_step: float = 0.05  # one training step on the accelerated clock
    phase_seconds: float = 1.0  # time spent in validating_files, then in queued
    max_train_seconds: float = 120.0  # cap on the running phase (0: no cap)
    max_file_bytes: int = 512 * 1024 * 1024  # single POST /files limit (OpenAI: 512 MB)
    max_part_bytes: int = 64 * 1024 * 1024  # one Uploads part (OpenAI: 64 MB)
    results_base64: bool = True  # OpenAI serves result files base64-encoded
    org: str = "emulator"  # the org part of ft:model:ORG:suffix:id
    organization_id: str = "org-emulator"
    api_key: str = ""  # "" accepts any non-empty bearer key
    flag_words: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_FLAG_WORDS))
    seed: int = 0  # seeds the job seeds generated when a request gives none
    shutdown_dates: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SHUTDOWN_DATES))
    finetune_cutoff: str = DEFAULT_FINETUNE_CUTOFF  # "" for none
    today: str = ""  # the emulated calendar day, YYYY-MM-DD; "" follows the clock (UTC)
    batch_seconds: float = 1.0  # a batch is in_progress this long, then completes
    batch_max_requests: int = 0  # 0: every request answered; N: the batch expires after N (the rest: batch_expired)

    def __post_init__(self) -> None:
        self.state_dir = Path(self.state_dir)


HELP: dict[str, str] = {
    "state_dir": "directory for JSON metadata and file bytes; survives restarts",
    "seconds_per_step": "wall-clock seconds per training step (accelerated clock)",
    "phase_seconds": "seconds spent in validating_files and again in queued",
    "max_train_seconds": "cap on a job's running phase; 0 for no cap",
    "max_file_bytes": "largest single POST /v1/files; bigger files need /v1/uploads",
    "max_part_bytes": "largest Uploads part",
    "results_base64": "serve result files base64-encoded, as OpenAI does",
    "org": "org part of fine-tuned model names",
    "organization_id": "organization_id on jobs, owned_by on tuned models",
    "api_key": "require exactly this bearer key; none: any non-empty key",
    "flag_words": "moderation words, 'category:word,...' (bare word: violence)",
    "seed": "seeds the job seeds generated when a request has none",
    "shutdown_dates": "shutdown dates served by /v1/models, 'model=YYYY-MM-DD,...' (fine-tunes follow their base); "
    "from that day the model is gone",
    "finetune_cutoff": "last day new fine-tuning jobs are accepted, YYYY-MM-DD ('' for none)",
    "today": "the emulated calendar day, YYYY-MM-DD (default: the clock's UTC date)",
    "batch_seconds": "seconds a batch stays in_progress before it completes",
    "batch_max_requests": "0: batches answer every request; N: a batch expires after N (the rest: batch_expired)",
}


def parse_dates(value: str | dict[str, str]) -> dict[str, str]:
    """``"gpt-4o=2027-01-14,ft:gpt-4o-mini-2024-07-18:emulator::abc=2026-12-01"`` -> {model: date};
    a dict is checked the same way. Raises ValueError on a date that is not YYYY-MM-DD."""
    if isinstance(value, str):
        pairs = [item.strip().rpartition("=")[::2] for item in value.split(",") if item.strip()]
    else:
        pairs = list(value.items())
    return {str(model): check_date(str(day)) for model, day in pairs}


def check_date(value: str) -> str:
    """A YYYY-MM-DD string, or ''."""
    from datetime import date

    if value:
        date.fromisoformat(value)  # ValueError when malformed
    return value


def parse_flag_words(text: str) -> dict[str, str]:
    """``"kill,hate:slur"`` -> {"kill": "violence", "slur": "hate"} (bare words: violence)."""
    out: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        category, _, word = item.rpartition(":")
        out[word.lower()] = category or "violence"
    return out


def _coerce(name: str, raw: str) -> Any:
    default = Settings.__dataclass_fields__[name].type
    if name == "flag_words":
        return parse_flag_words(raw)
    if name == "shutdown_dates":
        return parse_dates(raw)
    if name in ("finetune_cutoff", "today"):
        return check_date(raw)
    if "bool" in str(default):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if "int" in str(default):
        return int(raw)
    if "float" in str(default):
        return float(raw)
    return raw


def settings_from_env(env: dict[str, str] | None = None) -> Settings:
    """FTFLOW_EMULATOR_<FIELD> overrides each default (e.g. FTFLOW_EMULATOR_SECONDS_PER_STEP)."""
    env = dict(os.environ if env is None else env)
    values = {
        f.name: _coerce(f.name, env[ENV_PREFIX + f.name.upper()])
        for f in fields(Settings)
        if ENV_PREFIX + f.name.upper() in env
    }
    return Settings(**values)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags for every setting; unset flags keep the env/default value."""
    for f in fields(Settings):
        flag = "--" + f.name.replace("_", "-")
        kind = str(f.type)
        if "bool" in kind:
            parser.add_argument(flag, dest=f.name, action=argparse.BooleanOptionalAction,
                                help=HELP.get(f.name))  # fmt: skip
        else:
            parser.add_argument(flag, dest=f.name, default=None, metavar=f.name.upper(),
                                help=f"{HELP.get(f.name, '')} (default: {'none' if f.default in ('', None) else f.default})"
                                if not callable(f.default_factory) else HELP.get(f.name))  # fmt: skip


def apply_arguments(settings: Settings, ns: argparse.Namespace) -> Settings:
    for f in fields(Settings):
        value = getattr(ns, f.name, None)
        if value is None:
            continue
        setattr(settings, f.name, value if isinstance(value, bool) else _coerce(f.name, value))
    settings.__post_init__()
    return settings


def settings_from_argv(argv: Sequence[str]) -> Settings:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return apply_arguments(settings_from_env(), parser.parse_args(list(argv)))

"""Golden sets: a champion's answers on the frozen test set, recorded before it shuts down.

``ftflow models record NAME`` asks the current champion of registry name NAME every test item of a
dataset (by default the one it was promoted on) through the evaluation's own runner and answer
cache, scores the answers with the evaluation's metrics, and stores them with the model id, its
shutdown date and the dataset's sha256 in the registry's storage::

    registry/golden/<name>/<UTC time>-<random id>.json   one golden set (append-only; the newest counts)
    registry/golden/<name>/cache/                          answers already paid for (a rerun asks nothing twice)

Every later evaluation of NAME compares the candidate with the newest golden set too (see
tasks/evaluate/promotion.py for the parity rule), and keeps working after the champion has shut down.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import openai
from pydantic import BaseModel, ValidationError

from ftflow.chat_runner import AnswerCache, ChatRequest, ChatRunner
from ftflow.config import EvaluateConfig, LifecycleConfig
from ftflow.errors import FtflowError
from ftflow.lifecycle import model_lifetime, utc_today
from ftflow.llm import openai_client
from ftflow.ratelimit import RateLimiter
from ftflow.store import Root
from ftflow.tasks.evaluate.evaluation import GoldenInfo, _counter, answer_settings, load_test_items, score_texts
from ftflow.tasks.evaluate.metrics import METRICS
from ftflow.tasks.evaluate.registry import current_champion
from ftflow.tasks.publish.versions import open_dataset

GOLDEN = "golden"
_KEY = re.compile(r"(^|/)\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{8}\.json$")


class GoldenError(FtflowError):
    """A golden set cannot be recorded or read; the message says why."""


class GoldenItem(BaseModel):
    id: str  # the evaluation's item id: sha256 of the prompt messages
    line: int
    question: str
    reference: str
    answer: str
    metrics: dict[str, float]


class GoldenSet(BaseModel):
    name: str
    model: str
    model_shutdown_date: str | None
    shutdown_source: str | None
    dataset_uri: str
    dataset_sha256: str
    recorded_at: str
    settings: dict[str, object]
    means: dict[str, float]
    items: list[GoldenItem]
    uri: str = ""  # where it is stored (filled when read)

    def info(self) -> GoldenInfo:
        return GoldenInfo(model=self.model, recorded_at=self.recorded_at, dataset_sha256=self.dataset_sha256,
                          uri=self.uri, model_shutdown_date=self.model_shutdown_date,
                          answers={it.id: it.answer for it in self.items})  # fmt: skip


def golden_prefix(name: str) -> str:
    return Root.registry(f"{GOLDEN}/{name}")


def latest_golden(root: Root, name: str) -> GoldenSet | None:
    """The newest golden set of ``name``, or None."""
    keys = [k for k in root.list(golden_prefix(name)) if _KEY.search(k) and "/cache/" not in k]
    if not keys:
        return None
    data = root.get(keys[-1])
    try:
        golden = GoldenSet.model_validate(json.loads(data or b""))
    except (ValueError, ValidationError) as exc:
        raise GoldenError(f"{root.uri(keys[-1])} is not a valid golden set: {exc}") from None
    return golden.model_copy(update={"uri": root.uri(keys[-1])})


def record_golden(root: Root, name: str, cfg: EvaluateConfig, lifecycle: LifecycleConfig, *,
                  dataset_ref: str | Path | None = None, client: openai.OpenAI | None = None,
                  today: date | None = None, now: datetime | None = None,
                  log: Callable[[str], None] = print) -> GoldenSet:  # fmt: skip
    """Ask the champion of ``name`` every test item and store its answers as a golden set."""
    champion = current_champion(root, name)
    if champion is None:
        raise GoldenError(f"registry {root.uri(root.registry())} has no champion for {name!r}; nothing to record")
    client = client or openai_client()
    life = model_lifetime(champion.model, lifecycle, client=client)
    if life.is_shut_down(today or utc_today()):
        raise GoldenError(f"champion {champion.model} has shut down ({life.describe(today or utc_today())}); its "
                          "answers can no longer be recorded")  # fmt: skip
    dataset_ref = dataset_ref or champion.dataset_uri
    dataset = open_dataset(dataset_ref)
    items = load_test_items(dataset, cfg.max_items)
    settings = answer_settings(cfg)
    log(f"recording {champion.model} on {len(items)} test items of {dataset.sha256[:12]} "
        f"(shuts down: {life.describe(today or utc_today())})")  # fmt: skip
    cache = AnswerCache(root, f"{golden_prefix(name)}/cache")
    cache.load()
    runner = ChatRunner(client, RateLimiter(cfg.requests_per_minute, cfg.tokens_per_minute), cache,
                        concurrency=cfg.concurrency, max_attempts=cfg.max_attempts, timeout_s=cfg.request_timeout_s,
                        log=log)  # fmt: skip
    count = _counter(champion.model)
    prompt_tokens = count(["\n".join(str(m.get("content")) for m in it.messages) for it in items])
    answers = runner.run([ChatRequest(champion.model, it.messages, settings, int(p) + cfg.max_tokens // 2,
                                      tag=f"golden:{it.id}") for it, p in zip(items, prompt_tokens, strict=True)])  # fmt: skip
    if runner.dead:
        raise GoldenError("; ".join(f"{model}: {message}" for model, message in runner.dead.items()))
    missing = sum(not a.ok for a in answers)
    if missing:
        raise GoldenError(f"{missing} of {len(items)} test items have no answer from {champion.model}; run the same "
                          "command again (answers already paid for come from the cache)")  # fmt: skip
    texts: list[str | None] = [a.content or "" for a in answers]
    values = score_texts(texts, items, cfg, count)
    golden_items = [
        GoldenItem(
            id=it.id,
            line=it.line,
            question=it.question,
            reference=it.reference,
            answer=text or "",
            metrics={m: float(v[i]) for m, v in values.items()},
        )
        for i, (it, text) in enumerate(zip(items, texts, strict=True))
    ]
    now = now or datetime.now(UTC)
    golden = GoldenSet(
        name=name, model=champion.model, model_shutdown_date=life.shutdown_date.isoformat() if life.shutdown_date else None,
        shutdown_source=life.source, dataset_uri=str(dataset_ref), dataset_sha256=dataset.sha256,
        recorded_at=now.isoformat(timespec="seconds"), settings={**settings, "max_items": cfg.max_items},
        means={m: float(np.nanmean(v)) for m, v in values.items() if m in METRICS and np.isfinite(v).any()},
        items=golden_items,
    )  # fmt: skip
    key = f"{golden_prefix(name)}/{now.strftime('%Y%m%dT%H%M%S.%fZ')}-{uuid.uuid4().hex[:8]}.json"
    body = json.dumps(golden.model_dump(mode="json", exclude={"uri"}), indent=2, ensure_ascii=False).encode()
    uri = root.put(key, body + b"\n", "application/json")
    return golden.model_copy(update={"uri": uri})


def describe(golden: GoldenSet) -> str:
    """One line for listings."""
    means = ", ".join(f"{m} {v:.3f}" for m, v in golden.means.items() if not math.isnan(v) and m != "refusal")
    return (f"{golden.model} on {len(golden.items)} test items of {golden.dataset_sha256[:12]} "
            f"(recorded {golden.recorded_at[:19]}, shuts down {golden.model_shutdown_date or '–'}; {means})")  # fmt: skip

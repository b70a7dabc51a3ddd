"""Evaluate: the test split through the base model, the candidate and the current champion,
on the same items with the same settings, then per-item metrics and paired comparisons.

`evaluate_models` is a plain function (no Prefect needed); the flows wrap the whole stage
(`stage.run_evaluation`) as one task in flows/steps.py, with the one retry policy of
ftflow/retries.py: transient failures (storage, 5xx storms) are retried, 4xx are not.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import openai
from pydantic import BaseModel, Field

from ftflow import tokens
from ftflow.batch_runner import BatchRunner
from ftflow.chat_runner import AnswerCache, ChatRequest, ChatRunner
from ftflow.config import EvaluateConfig
from ftflow.endpoints import endpoint_clients, needs_default_client
from ftflow.errors import ConfigError, FtflowError
from ftflow.llm import openai_client
from ftflow.ratelimit import RateLimiter
from ftflow.store import Root, dataset_location, resolve_root
from ftflow.tasks.evaluate import judge
from ftflow.tasks.evaluate.cost import EvalCost, cost_of, describe
from ftflow.tasks.evaluate.metrics import ITEM_METRICS, METRICS, compare, item_metrics
from ftflow.tasks.publish.versions import Dataset, open_dataset

JUDGE_COMPLETION_TOKENS = 256


class EvaluationError(FtflowError):
    """The evaluation could not run (bad dataset, unknown model); the message says why."""


class TestItem(BaseModel):
    id: str  # sha256 of the prompt messages, so the same question is the same item in every version
    line: int  # 1-based line in test.jsonl
    messages: list[dict[str, Any]]  # the prompt: everything before the last assistant turn
    reference: str
    question: str


class ModelRun(BaseModel):
    role: str  # candidate | base | champion
    model: str
    answered: int
    failed: int
    cached: int
    prompt_tokens: int
    completion_tokens: int
    mean_answer_tokens: float
    means: dict[str, float]


class MetricDiff(BaseModel):
    metric: str
    higher_is_better: bool
    candidate: float
    reference: float
    diff: float  # candidate - reference
    ci_low: float
    ci_high: float
    n: int


class Comparison(BaseModel):
    reference_role: str
    reference_model: str
    metrics: dict[str, MetricDiff]


class ItemResult(BaseModel):
    id: str
    line: int
    question: str
    reference: str
    answers: dict[str, str | None]
    metrics: dict[str, dict[str, float]]
    errors: dict[str, str] = {}
    judge: float | None = None  # candidate's pairwise score against the reference model
    verdicts: list[str] = []


class GoldenInfo(BaseModel):
    """A golden set the candidate is also compared with: a former champion's recorded answers on the
    frozen test set (``ftflow models record``), scored against this dataset's reference answers."""

    model: str
    recorded_at: str
    dataset_sha256: str
    uri: str
    model_shutdown_date: str | None = None
    items_shared: int = 0  # test items of this evaluation the golden set has an answer for
    champion_shut_down: str | None = None  # why the champion itself was not asked, when it was not
    answers: dict[str, str] = Field(default_factory=dict, exclude=True)  # item id -> answer


class EvalResult(BaseModel):
    run_id: str
    name: str
    dataset_sha256: str
    dataset_uri: str
    root: str
    created_at: str
    settings: dict[str, Any]
    roles: dict[str, str]  # role -> model
    champion: str | None  # the champion when the evaluation started (may be the candidate)
    reference_role: str  # what the candidate must beat: champion, or base on the first run
    judge_model: str | None
    judge_invalid: int
    models: dict[str, ModelRun]
    comparisons: dict[str, Comparison]  # by reference role
    items: list[ItemResult]
    stats: dict[str, float]
    seconds: float
    golden: GoldenInfo | None = None  # set when compared with a golden set (comparisons["golden"])
    champion_gone: str | None = None  # the champion has shut down: not asked, compared via its golden set
    mode: str = "online"  # how the answers were asked: online | batch (evaluate.mode)
    cost: EvalCost | None = None
    batches: list[dict[str, Any]] = []  # mode batch: id, status and request counts of each batch
    checkpoint: dict[str, Any] | None = None  # use_checkpoint best: which checkpoint is the candidate, and why

    @property
    def candidate(self) -> str:
        return self.roles["candidate"]

    @property
    def failed_items(self) -> int:
        return sum(1 for item in self.items if item.errors)


def load_test_items(dataset: Dataset, max_items: int | None = None) -> list[TestItem]:
    """The test split's examples as prompts plus reference answers (first copy of a prompt wins).

    With ``max_items``, the items with the smallest ids: a stable subset that keeps an item
    chosen as the test set grows, in file order.
    """
    path = dataset.file("test")
    if path is None:
        raise EvaluationError(f"{dataset.directory}: the test split is empty; nothing to evaluate")
    items: dict[str, TestItem] = {}
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            messages = json.loads(line).get("messages") or []
            last = max((i for i, m in enumerate(messages) if m.get("role") == "assistant"), default=-1)
            if last < 1:
                continue
            prompt = [{k: v for k, v in m.items() if k != "weight"} for m in messages[:last]]
            reference = judge.text_of(messages[last].get("content"))
            question = next((judge.text_of(m.get("content")) for m in reversed(prompt) if m.get("role") == "user"), "")
            digest = hashlib.sha256(json.dumps(prompt, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
            items.setdefault(digest[:16], TestItem(id=digest[:16], line=line_no, messages=prompt,
                                                   reference=reference, question=question))  # fmt: skip
    chosen = list(items.values())
    if max_items is not None and len(chosen) > max_items:
        keep = set(sorted(items)[:max_items])
        chosen = [item for item in chosen if item.id in keep]
    return chosen


def base_model_of(candidate: str, dataset: Dataset) -> str:
    """`ft:BASE:org:suffix:id` -> BASE; otherwise the model the dataset was prepared for."""
    if candidate.startswith("ft:") and len(candidate.split(":")) > 2:
        return candidate.split(":")[1]
    return dataset.manifest.tokens.model


def default_run_id(dataset_sha256: str, candidate: str) -> str:
    """One run per (dataset version, candidate): rerunning it finds its cache."""
    return f"eval-{dataset_sha256[:12]}-{hashlib.sha256(candidate.encode()).hexdigest()[:8]}"


def _counter(model: str) -> Callable[[list[str]], np.ndarray]:
    try:
        tokens.get_encoding(model)
    except ConfigError:
        model = "gpt-4o"  # unknown model names: count with o200k_base
    return lambda texts: tokens.count_tokens(texts, model)


def answer_settings(cfg: EvaluateConfig) -> dict[str, Any]:
    """What every answer is asked with (part of each answer's cache key)."""
    return {"temperature": cfg.temperature, "seed": cfg.seed, "max_tokens": cfg.max_tokens}


def score_texts(texts: list[str | None], items: list[TestItem], cfg: EvaluateConfig,
                count: Callable[[list[str]], np.ndarray]) -> dict[str, np.ndarray]:  # fmt: skip
    """Every per-item metric of given answers against the items' references (NaN: no answer)."""
    lengths = count([t or "" for t in texts])
    ref_tokens = count([it.reference for it in items])
    values = {m: np.full(len(items), np.nan) for m in ITEM_METRICS}
    for i, text in enumerate(texts):
        if text is None:
            continue
        scores = item_metrics(text, items[i].reference, answer_tokens=int(lengths[i]),
                              reference_tokens=int(ref_tokens[i]), tolerance=cfg.length_tolerance)  # fmt: skip
        for m, v in scores.items():
            values[m][i] = v
    return values


def evaluate_models(dataset_ref: str | Path, candidate: str, cfg: EvaluateConfig, *, champion: str | None = None,
                    root: Root | None = None, run_id: str | None = None, name: str | None = None,
                    client: openai.OpenAI | None = None, log: Callable[[str], None] = print,
                    golden: GoldenInfo | None = None, champion_gone: str | None = None,
                    checkpoint: dict[str, Any] | None = None) -> EvalResult:  # fmt: skip
    """Answer the test split with every model, score the answers, compare the candidate; with a
    golden set, also compare the candidate with its recorded answers. A champion that has shut down
    (``champion_gone`` says why) is not asked: the candidate is held to the base model and the golden set."""
    started = time.monotonic()
    dataset = open_dataset(dataset_ref)
    root = root or resolve_root(None, str(dataset_ref))
    name = name or dataset_location(str(dataset_ref))[1] or "dataset"
    run_id = run_id or default_run_id(dataset.sha256, candidate)
    items = load_test_items(dataset, cfg.max_items)
    roles = {"candidate": candidate, "base": cfg.base_model or base_model_of(candidate, dataset)}
    if champion and champion != candidate and not champion_gone:
        roles["champion"] = champion
    reference_role = "champion" if "champion" in roles else "base"
    settings = answer_settings(cfg)
    count = _counter(candidate)
    prompt_tokens = count(["\n".join(judge.text_of(m.get("content")) for m in it.messages) for it in items])
    ref_tokens = count([it.reference for it in items])
    log(
        f"evaluating {len(items)} test items of {dataset.sha256[:12]} with {', '.join(f'{r} {m}' for r, m in roles.items())}"
    )

    cache = AnswerCache(root, root.run(run_id, "cache"))
    known = cache.load()
    if known:
        log(f"cache: {known} answers from earlier attempts of run {run_id}")
    limiter = RateLimiter(cfg.requests_per_minute, cfg.tokens_per_minute)
    routes = endpoint_clients(cfg.endpoints)
    if client is None and needs_default_client([*roles.values(), cfg.judge_model], cfg.endpoints):
        client = openai_client()
    runner: ChatRunner | BatchRunner = ChatRunner(client, limiter, cache, concurrency=cfg.concurrency,
                                                  max_attempts=cfg.max_attempts, timeout_s=cfg.request_timeout_s,
                                                  log=log, routes=routes)  # fmt: skip
    if cfg.mode == "batch":  # same requests, same answers, half the price; routed models stay online
        runner = BatchRunner(client, cache, runner, poll_interval_s=cfg.batch_poll_interval_s,
                             timeout_s=cfg.batch_timeout_s, log=log)  # fmt: skip
    expected = [int(min(cfg.max_tokens, 2 * r + 16)) for r in ref_tokens]
    estimate = {role: (float(sum(prompt_tokens)), float(sum(expected))) for role in roles}
    before = cost_of(roles, estimate, cfg.pricing, cfg.mode).usd
    log(
        f"mode: {cfg.mode}; cost estimate "
        + (f"${before:,.4f}" if before is not None else "unknown (no prices listed)")
    )
    requests = [
        ChatRequest(model, it.messages, settings, int(p + e), tag=f"{role}:{it.id}")
        for role, model in roles.items()
        for it, p, e in zip(items, prompt_tokens, expected, strict=True)
    ]
    flat = runner.run(requests)
    if runner.dead:  # wrong key, no access, or no such model: every answer of it would fail the same way
        raise EvaluationError("; ".join(f"{model}: {message}" for model, message in runner.dead.items()))
    answers = {role: flat[i * len(items) : (i + 1) * len(items)] for i, role in enumerate(roles)}

    per_role: dict[str, dict[str, np.ndarray]] = {}
    rows = [ItemResult(id=it.id, line=it.line, question=it.question, reference=it.reference, answers={}, metrics={})
            for it in items]  # fmt: skip
    for role, answered in answers.items():
        lengths = count([a.content or "" for a in answered])
        values = {m: np.full(len(items), np.nan) for m in ITEM_METRICS}
        for i, (a, row) in enumerate(zip(answered, rows, strict=True)):
            row.answers[role] = a.content if a.ok else None
            if not a.ok:
                row.errors[role] = a.error or "no answer"
                continue
            scores = item_metrics(a.content or "", items[i].reference, answer_tokens=int(lengths[i]),
                                  reference_tokens=int(ref_tokens[i]), tolerance=cfg.length_tolerance,
                                  api_refusal=a.refusal)  # fmt: skip
            row.metrics[role] = {**scores, "answer_tokens": float(lengths[i])}
            for m, v in scores.items():
                values[m][i] = v
        per_role[role] = values

    judge_invalid = 0
    if cfg.judge_model:
        judge_invalid = _judge(runner, cfg, settings, items, rows, answers, reference_role, per_role)

    comparisons = {}
    for ref_role in [r for r in ("champion", "base") if r in roles]:
        metrics = {m: v for m, v in per_role["candidate"].items() if m != "judge" or ref_role == reference_role}
        diffs = compare(metrics, per_role[ref_role], resamples=cfg.bootstrap_resamples, seed=cfg.bootstrap_seed,
                        confidence=cfg.confidence)  # fmt: skip
        comparisons[ref_role] = Comparison(reference_role=ref_role, reference_model=roles[ref_role],
                                           metrics={k: MetricDiff(**vars(d)) for k, d in diffs.items()})  # fmt: skip
    if golden is not None:
        texts = [golden.answers.get(it.id) for it in items]
        golden = golden.model_copy(update={"items_shared": sum(t is not None for t in texts),
                                           "champion_shut_down": champion_gone})  # fmt: skip
        diffs = compare({m: v for m, v in per_role["candidate"].items() if m != "judge"},
                        score_texts(texts, items, cfg, count), resamples=cfg.bootstrap_resamples,
                        seed=cfg.bootstrap_seed, confidence=cfg.confidence)  # fmt: skip
        comparisons["golden"] = Comparison(reference_role="golden", reference_model=golden.model,
                                           metrics={k: MetricDiff(**vars(d)) for k, d in diffs.items()})  # fmt: skip
        log(f"golden set of {golden.model} ({golden.recorded_at}): answers for {golden.items_shared} of "
            f"{len(items)} test items")  # fmt: skip
    models = {}
    for role, answered in answers.items():
        ok = [a for a in answered if a.ok]
        lengths = [row.metrics[role]["answer_tokens"] for row in rows if role in row.metrics]
        models[role] = ModelRun(
            role=role, model=roles[role], answered=len(ok), failed=len(answered) - len(ok),
            cached=sum(a.cached for a in answered), prompt_tokens=sum(a.prompt_tokens for a in ok),
            completion_tokens=sum(a.completion_tokens for a in ok),
            mean_answer_tokens=round(float(np.mean(lengths)), 1) if lengths else 0.0,
            means={m: float(np.nanmean(v)) if np.isfinite(v).any() else float("nan")
                   for m, v in per_role[role].items() if m in METRICS},
        )  # fmt: skip
    stats = runner.stats.as_dict()
    cost = cost_of(roles, {r: (m.prompt_tokens, m.completion_tokens) for r, m in models.items()}, cfg.pricing,
                   cfg.mode, estimate)  # fmt: skip
    log(describe(cost))
    log(f"answers: {int(stats['requests'])} requests ({int(stats['retries'])} retries), {int(stats['cached'])} "
        f"cached, {int(stats['failed'])} failed, {stats['seconds']:.1f} s")  # fmt: skip
    return EvalResult(
        run_id=run_id, name=name, dataset_sha256=dataset.sha256, dataset_uri=str(dataset_ref), root=root.root,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        settings={**settings, **cfg.model_dump(include={"max_items", "length_tolerance", "bootstrap_resamples",
                                                        "bootstrap_seed", "confidence", "mode"})},
        roles=roles, champion=champion, reference_role=reference_role, judge_model=cfg.judge_model,
        judge_invalid=judge_invalid, models=models, comparisons=comparisons, items=rows, stats=stats,
        seconds=round(time.monotonic() - started, 3), golden=golden, champion_gone=champion_gone, mode=cfg.mode,
        cost=cost, batches=runner.batches if isinstance(runner, BatchRunner) else [], checkpoint=checkpoint,
    )  # fmt: skip


def _judge(runner: ChatRunner | BatchRunner, cfg: EvaluateConfig, settings: dict[str, Any], items: list[TestItem],
           rows: list[ItemResult], answers: dict[str, list[Any]], reference_role: str,
           per_role: dict[str, dict[str, np.ndarray]]) -> int:  # fmt: skip
    """Both orders for every item both models answered; returns how many verdicts were unusable."""
    assert cfg.judge_model
    pairs = [i for i in range(len(items)) if answers["candidate"][i].ok and answers[reference_role][i].ok]
    requests = []
    for i in pairs:
        cand, ref = answers["candidate"][i].content or "", answers[reference_role][i].content or ""
        estimate = JUDGE_COMPLETION_TOKENS + (len(cand) + len(ref) + len(items[i].reference)) // 3
        for first, second in ((cand, ref), (ref, cand)):
            msgs = judge.judge_messages(items[i].messages, items[i].reference, first, second)
            requests.append(ChatRequest(cfg.judge_model, msgs, {**settings, "max_tokens": 512}, estimate,
                                        tag=f"judge:{items[i].id}"))  # fmt: skip
    verdicts = runner.run(requests, label="judge")
    if cfg.judge_model in runner.dead:
        raise EvaluationError(f"judge {cfg.judge_model}: {runner.dead[cfg.judge_model]}")
    scores = np.full(len(items), np.nan)
    invalid = 0
    for n, i in enumerate(pairs):
        first, second = verdicts[2 * n], verdicts[2 * n + 1]
        if not (first.ok and second.ok):
            continue
        v1, v2 = judge.parse_verdict(first.content), judge.parse_verdict(second.content)
        invalid += (v1 == "invalid") + (v2 == "invalid")
        scores[i] = judge.candidate_score(v1, v2)
        rows[i].judge, rows[i].verdicts = float(scores[i]), [v1, v2]
    per_role["candidate"]["judge"] = scores
    per_role[reference_role]["judge"] = 1.0 - scores
    return invalid


# Retries (transient errors only: storage hiccups, 5xx, timeouts; never a 4xx or a bad input) come
# from the pipeline's one policy; a retried evaluation pays only for what is not in the cache yet.

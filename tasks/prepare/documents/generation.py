"""Question/answer pairs per chunk from a chat model, with structured outputs.

Requests go through the evaluation's runner (ftflow/chat_runner.py): the same client-side RPM/TPM
limiter, retries with Retry-After and backoff, and the same append-only answer cache, keyed
by sha256(model, messages, settings). The messages hold the prompt and the chunk, so the key
is the chunk's content + the prompt + the model: an unchanged chunk is never paid for twice.
Before any request is sent, the cost of the uncached ones is estimated (tiktoken and the price
table in the config) and checked against `prepare.documents.max_cost_usd`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ftflow import tokens
from ftflow.chat_runner import AnswerCache, ChatAnswer, ChatRequest, ChatRunner
from ftflow.config import DocumentsConfig
from ftflow.errors import ConfigError, FtflowError
from ftflow.ratelimit import RateLimiter
from ftflow.store import Root
from ftflow.tasks.prepare.documents import grounding, language
from ftflow.tasks.prepare.documents.chunking import Chunk

COMPLETION_TOKENS_PER_PAIR = 160  # budgeted answer length per pair (estimate and max_completion_tokens)
JUDGE_COMPLETION_TOKENS = 120
CACHE_PREFIX = "answers"


class BudgetError(FtflowError):
    """The generation estimate is above prepare.documents.max_cost_usd: nothing was sent."""


def qa_schema(count: int) -> dict[str, Any]:
    pair = {"type": "object", "properties": {"question": {"type": "string"}, "answer": {"type": "string"}},
            "required": ["question", "answer"], "additionalProperties": False}  # fmt: skip
    return {"type": "json_schema", "json_schema": {"name": "qa_pairs", "strict": True, "schema": {
        "type": "object", "properties": {"pairs": {"type": "array", "items": pair, "minItems": 1, "maxItems": count}},
        "required": ["pairs"], "additionalProperties": False}}}  # fmt: skip


@dataclass
class Generated:
    chunk: Chunk
    pairs: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None  # the request failed after retries, was refused, or broke the schema
    cached: bool = False


@dataclass
class GenerationReport:
    model: str
    requests_needed: int  # chunks not in the cache
    cached: int
    estimated_usd: float
    prompt_tokens: int = 0
    completion_tokens: int = 0
    spent_usd: float = 0.0
    stats: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


def qa_request(chunk: Chunk, cfg: DocumentsConfig) -> ChatRequest:
    system = cfg.prompt.format(count=cfg.pairs_per_chunk, language=language.name(chunk.language))
    messages = [{"role": "system", "content": system}, {"role": "user", "content": chunk.text}]
    max_tokens = COMPLETION_TOKENS_PER_PAIR * cfg.pairs_per_chunk + 64
    settings = {"temperature": 0.0, "seed": 0, "max_tokens": max_tokens,
                "response_format": qa_schema(cfg.pairs_per_chunk)}  # fmt: skip
    prompt = _prompt_tokens(messages, cfg.generation_model)
    return ChatRequest(cfg.generation_model, messages, settings, prompt + max_tokens, tag=f"chunk:{chunk.sha256}")


def judge_request(chunk: Chunk, question: str, answer: str, cfg: DocumentsConfig) -> ChatRequest:
    assert cfg.judge_model is not None
    messages = grounding.judge_messages(chunk.text, question, answer)
    settings = {"temperature": 0.0, "seed": 0, "max_tokens": JUDGE_COMPLETION_TOKENS,
                "response_format": {"type": "json_schema", "json_schema": grounding.JUDGE_SCHEMA}}  # fmt: skip
    prompt = _prompt_tokens(messages, cfg.judge_model)
    return ChatRequest(
        cfg.judge_model, messages, settings, prompt + JUDGE_COMPLETION_TOKENS, tag=f"judge:{chunk.sha256}"
    )


def _prompt_tokens(messages: list[dict[str, str]], model: str) -> int:
    counts = tokens.count_tokens([m["content"] for m in messages], model, num_threads=1)
    return int(counts.sum()) + tokens.TOKENS_PER_MESSAGE * len(messages) + tokens.TOKENS_PER_EXAMPLE


def price(model: str, cfg: DocumentsConfig) -> tuple[float, float]:
    prices = cfg.generation_prices_per_1m
    if model not in prices:
        raise ConfigError(f"no price for {model!r} in prepare.documents.generation_prices_per_1m "
                          f"(known: {', '.join(sorted(prices))}); add it to estimate the cost")  # fmt: skip
    return prices[model]


def estimate_usd(requests: list[ChatRequest], cfg: DocumentsConfig) -> float:
    """Prompt tokens counted exactly, completions at their cap: an upper bound."""
    total = 0.0
    for req in requests:
        p_in, p_out = price(req.model, cfg)
        completion = int(req.settings["max_tokens"])
        total += ((req.estimated_tokens - completion) * p_in + completion * p_out) / 1e6
    return total


class Generator:
    """Pairs for chunks (and, optionally, judge verdicts), paid for once."""

    def __init__(self, cfg: DocumentsConfig, client_factory: Callable[[], Any],
                 log: Callable[[str], None] = print) -> None:  # fmt: skip
        self.cfg, self.client_factory, self.log = cfg, client_factory, log
        self.cache = AnswerCache(Root(cfg.cache_dir), CACHE_PREFIX)
        self.cache.load()
        self.limiter = RateLimiter(cfg.requests_per_minute, cfg.tokens_per_minute)
        self.runner: ChatRunner | None = None
        self.spent_usd = 0.0

    def _run(self, requests: list[ChatRequest], label: str) -> list[ChatAnswer]:
        todo = [r for r in requests if self.cache.get(r.key) is None]
        if todo and self.runner is None:
            self.runner = ChatRunner(self.client_factory(), self.limiter, self.cache, concurrency=self.cfg.concurrency,
                                     log=self.log)  # fmt: skip
        if self.runner is None:  # everything cached: no client needed at all
            return [_cached(r, self.cache) for r in requests]
        answers = self.runner.run(requests, label)
        for req, ans in zip(requests, answers, strict=True):
            if not ans.cached and ans.ok:
                p_in, p_out = price(req.model, self.cfg)
                self.spent_usd += (ans.prompt_tokens * p_in + ans.completion_tokens * p_out) / 1e6
        return answers

    def check_budget(self, requests: list[ChatRequest]) -> tuple[int, float]:
        """(uncached requests, their estimate); BudgetError above the budget, before anything is sent."""
        todo = [r for r in {r.key: r for r in requests}.values() if self.cache.get(r.key) is None]
        usd = estimate_usd(todo, self.cfg)
        limit = self.cfg.max_cost_usd
        if limit is not None and usd > limit:
            raise BudgetError(f"generating pairs for {len(todo)} new chunk(s) is estimated at ${usd:,.4f}, above "
                              f"prepare.documents.max_cost_usd (${limit:,.4f}); nothing was sent")  # fmt: skip
        return len(todo), usd

    def generate(self, chunks: list[Chunk]) -> tuple[list[Generated], GenerationReport]:
        requests = [qa_request(c, self.cfg) for c in chunks]
        needed, usd = self.check_budget(requests)
        self.log(f"documents: {len(chunks)} chunk(s), {needed} to generate (estimate ${usd:,.4f}), "
                 f"{len(chunks) - needed} from the cache")  # fmt: skip
        answers = self._run(requests, "document pairs") if requests else []
        out = [_parse(c, a) for c, a in zip(chunks, answers, strict=True)]
        report = GenerationReport(self.cfg.generation_model, needed, len(chunks) - needed, round(usd, 6))
        self._fill(report)
        return out, report

    def judge(self, items: list[tuple[Chunk, str, str]]) -> list[tuple[bool | None, str]]:
        """Verdicts of the judge model for (chunk, question, answer) items."""
        requests = [judge_request(c, q, a, self.cfg) for c, q, a in items]
        self.check_budget(requests)
        answers = self._run(requests, "grounding judge") if requests else []
        return [grounding.parse_judge(a.content) if a.ok else (None, a.error or "no verdict") for a in answers]

    def _fill(self, report: GenerationReport) -> None:
        if self.runner is not None:
            report.stats = self.runner.stats.as_dict()
            report.prompt_tokens = int(self.runner.stats.prompt_tokens)
            report.completion_tokens = int(self.runner.stats.completion_tokens)
        report.spent_usd = round(self.spent_usd, 6)


def _cached(req: ChatRequest, cache: AnswerCache) -> ChatAnswer:
    record = cache.get(req.key) or {}
    return ChatAnswer(key=req.key, content=record.get("content") or "", refusal=record.get("refusal"),
                      finish_reason=record.get("finish_reason"), cached=True)  # fmt: skip


def _parse(chunk: Chunk, answer: ChatAnswer) -> Generated:
    if not answer.ok:
        return Generated(chunk, error=f"generation failed: {answer.error}")
    if answer.refusal:
        return Generated(chunk, error=f"the model refused: {answer.refusal}", cached=answer.cached)
    try:
        data = json.loads(answer.content or "")
        pairs = [(str(p["question"]).strip(), str(p["answer"]).strip()) for p in data["pairs"]]
    except (ValueError, KeyError, TypeError):
        why = "cut off at the token limit" if answer.finish_reason == "length" else "not the asked JSON"
        return Generated(chunk, error=f"generation reply {why}: {(answer.content or '')[:200]!r}", cached=answer.cached)
    return Generated(chunk, pairs=[(q, a) for q, a in pairs if q or a], cached=answer.cached)

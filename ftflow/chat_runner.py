"""Chat answers for an evaluation: concurrent, paced, retried, and cached so a rerun pays
nothing twice.

Requests run on a bounded thread pool through the official openai SDK (its own retries off:
every attempt, retries included, must pass the client-side RPM/TPM limiter). 429, 408, 409,
5xx, timeouts and dropped connections are retried with the server's Retry-After or jittered
exponential backoff; any other 4xx is final and its message kept word for word.

The cache is keyed by sha256(model, messages, settings) and lives in the run's folder as
append-only JSONL segments (``cache/<UTC time>-<random>.jsonl``), written every few hundred
answers and at the end, so a crash loses at most one segment's worth and concurrent runs
never overwrite each other.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import openai

from ftflow import progress
from ftflow.ratelimit import RateLimiter
from ftflow.store import Root

RETRYABLE_STATUS = frozenset({408, 409, 429})
MODEL_FATAL_STATUS = frozenset({401, 403, 404})  # wrong key, no access, no such model: stop asking that model
MAX_BACKOFF_S = 20.0
MAX_RETRY_AFTER_S = 60.0


@dataclass(frozen=True)
class ChatRequest:
    model: str
    messages: list[dict[str, Any]]
    settings: dict[str, Any]  # temperature, seed, max_tokens[, response_format]: part of the cache key
    estimated_tokens: int = 0  # prompt + expected completion, for the TPM bucket
    tag: str = ""  # e.g. the example id; kept in the cache for tracing, not in the key

    @property
    def key(self) -> str:
        identity = {"model": self.model, "messages": self.messages, "settings": self.settings}
        return hashlib.sha256(json.dumps(identity, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def completion_params(req: ChatRequest) -> dict[str, Any]:
    """The chat.completions body of a request: the same online and in a Batch API line."""
    settings = req.settings
    return {"model": req.model, "messages": req.messages, "temperature": settings["temperature"],
            "seed": settings["seed"], "max_completion_tokens": settings["max_tokens"],
            **({"response_format": settings["response_format"]} if "response_format" in settings else {})}  # fmt: skip


@dataclass
class ChatAnswer:
    key: str
    content: str | None = None
    refusal: str | None = None
    finish_reason: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: bool = False
    attempts: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.content is not None


@dataclass
class RunStats:
    """What the answers cost: requests sent (retries included), faults met, time."""

    answers: int = 0
    cached: int = 0
    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    server_errors: int = 0
    connection_errors: int = 0
    failed: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    limiter_wait_s: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)

    def as_dict(self) -> dict[str, float]:
        out = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        fresh = self.answers - self.cached
        out["requests_per_minute"] = round(self.requests / self.seconds * 60, 1) if self.seconds else 0.0
        out["answers_per_minute"] = round(fresh / self.seconds * 60, 1) if self.seconds else 0.0
        return out


class AnswerCache:
    """Successful answers by request key, stored as append-only JSONL segments."""

    def __init__(self, root: Root | None, prefix: str, *, flush_every: int = 250, flush_seconds: float = 20.0) -> None:
        self.root, self.prefix = root, prefix.strip("/")
        self.flush_every, self.flush_seconds = flush_every, flush_seconds
        self._known: dict[str, dict[str, Any]] = {}
        self._pending: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._last_flush = time.monotonic()
        self.segments_written = 0

    def load(self) -> int:
        """Read every segment; returns how many answers are known."""
        if self.root is None:
            return 0
        for rel in self.root.list(self.prefix):
            data = self.root.get(rel) or b""
            for line in data.splitlines():
                try:
                    record = json.loads(line)
                except ValueError:
                    continue  # a torn line cannot happen with whole-object writes; skip defensively
                if isinstance(record, dict) and "key" in record:
                    self._known[record["key"]] = record
        return len(self._known)

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            return self._known.get(key)

    def add(self, record: dict[str, Any]) -> None:
        with self._lock:
            self._known[record["key"]] = record
            self._pending.append(record)
            due = len(self._pending) >= self.flush_every or time.monotonic() - self._last_flush > self.flush_seconds
        if due:
            self.flush()

    def flush(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, []
            self._last_flush = time.monotonic()
        if not batch or self.root is None:
            return
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch).encode()
        try:
            self.root.put(f"{self.prefix}/{stamp}-{uuid.uuid4().hex[:8]}.jsonl", body, "application/x-ndjson")
        except Exception:
            with self._lock:  # keep them for the next flush rather than lose paid answers
                self._pending[:0] = batch
            raise
        self.segments_written += 1


def retry_after(exc: openai.APIStatusError) -> float | None:
    """Seconds the server asked us to wait (retry-after-ms, then retry-after)."""
    headers = exc.response.headers if exc.response is not None else {}
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return min(MAX_RETRY_AFTER_S, max(0.0, float(value) / divisor))
        except ValueError:
            continue
    return None


def is_retryable(exc: BaseException) -> bool:
    """What may pass on another attempt: 408/409/429, 5xx, timeouts and connection errors."""
    if isinstance(exc, openai.APIStatusError):
        should = exc.response.headers.get("x-should-retry") if exc.response is not None else None
        if should in ("true", "false"):
            return should == "true"
        return exc.status_code in RETRYABLE_STATUS or exc.status_code >= 500
    return isinstance(exc, openai.APIConnectionError)


def describe(exc: BaseException) -> str:
    if isinstance(exc, openai.APIStatusError):
        body = exc.body if isinstance(exc.body, dict) else {}
        message = body.get("message") or (body.get("error") or {}).get("message") or exc.message
        return f"HTTP {exc.status_code}: {message}"
    return f"{type(exc).__name__}: {exc}"


class ChatRunner:
    """Runs chat requests concurrently under the limiter, with retries and the cache."""

    def __init__(self, client: openai.OpenAI | None, limiter: RateLimiter, cache: AnswerCache, *, concurrency: int = 16,
                 max_attempts: int = 8, timeout_s: float = 120.0, log: Callable[[str], None] = print,
                 sleep: Callable[[float], None] = time.sleep, progress_every_s: float = 15.0,
                 routes: Mapping[str, openai.OpenAI] | None = None) -> None:  # fmt: skip
        # `routes`: model -> the client of the OpenAI-compatible server that serves it; others use `client`.
        self.client = client.with_options(max_retries=0, timeout=timeout_s) if client is not None else None
        self.routes = {m: c.with_options(max_retries=0, timeout=timeout_s) for m, c in (routes or {}).items()}
        self.limiter, self.cache = limiter, cache
        self.concurrency, self.max_attempts = concurrency, max_attempts
        self.log, self.sleep, self.progress_every_s = log, sleep, progress_every_s
        self.stats = RunStats()
        self.dead: dict[str, str] = {}  # model -> the error that makes every request to it fail
        self._rng = random.Random()

    def run(self, requests: Sequence[ChatRequest], label: str = "answers") -> list[ChatAnswer]:
        """One answer per request, in order; identical requests are sent once."""
        started = time.monotonic()
        unique: dict[str, ChatRequest] = {}
        for req in requests:
            unique.setdefault(req.key, req)
        done: dict[str, ChatAnswer] = {}
        todo = []
        for key, req in unique.items():
            hit = self.cache.get(key)
            if hit is not None:
                done[key] = _from_record(hit)
            else:
                todo.append(req)
        self.stats.add(answers=len(unique), cached=len(done))
        if todo:
            self.log(f"{label}: {len(todo)} to request, {len(done)} from the cache")
        pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="eval")
        bar = progress.track(label, total=len(todo), unit="requests") if todo else progress.NULL
        try:
            futures = [pool.submit(self._answer, req) for req in todo]
            last = time.monotonic()
            for n, future in enumerate(as_completed(futures), 1):
                answer = future.result()
                done[answer.key] = answer
                bar.update(completed=n, retries=self.stats.retries, failed=self.stats.failed)
                if time.monotonic() - last > self.progress_every_s:
                    last = time.monotonic()
                    rate = self.stats.requests / (last - started) * 60
                    self.log(f"{label}: {n}/{len(todo)} answered, {rate:.0f} requests/min, "
                             f"{self.stats.retries} retries, {self.stats.failed} failed")  # fmt: skip
        finally:
            # On an interrupt, requests not started yet are dropped; those in flight finish and are
            # cached, so a rerun pays only for the rest.
            pool.shutdown(wait=True, cancel_futures=True)
            bar.close()
            self.cache.flush()
            self.stats.seconds += time.monotonic() - started
            self.stats.limiter_wait_s = round(self.limiter.waited_s, 3)
        return [done[req.key] for req in requests]

    def _answer(self, req: ChatRequest) -> ChatAnswer:
        settings = req.settings
        error: BaseException | None = None
        attempt = 0
        for attempt in range(1, self.max_attempts + 1):
            if req.model in self.dead:
                self.stats.add(failed=1)
                return ChatAnswer(key=req.key, attempts=attempt - 1, error=self.dead[req.model])
            client = self.routes.get(req.model, self.client)
            if client is None:
                self.dead.setdefault(req.model, f"no endpoint serves {req.model} and no OpenAI client is configured")
                continue
            self.limiter.acquire(req.estimated_tokens)
            self.stats.add(requests=1, retries=int(attempt > 1))
            try:
                response = client.chat.completions.create(**completion_params(req))
            except (openai.APIStatusError, openai.APIConnectionError) as exc:
                error = exc
                status = getattr(exc, "status_code", None)
                self.stats.add(rate_limited=int(status == 429), server_errors=int(bool(status and status >= 500)),
                               connection_errors=int(status is None))  # fmt: skip
                if status in MODEL_FATAL_STATUS:
                    self.dead.setdefault(req.model, describe(exc))
                if not is_retryable(exc) or attempt == self.max_attempts:
                    break
                wait = retry_after(exc) if isinstance(exc, openai.APIStatusError) else None
                if wait is None:
                    wait = min(MAX_BACKOFF_S, 0.5 * 2 ** (attempt - 1)) * (1 - 0.25 * self._rng.random())
                self.sleep(wait)
                continue
            usage = response.usage
            prompt = usage.prompt_tokens if usage else 0
            completion = usage.completion_tokens if usage else 0
            self.limiter.settle(req.estimated_tokens, prompt + completion)
            message = response.choices[0].message if response.choices else None
            answer = ChatAnswer(key=req.key, content=(message.content if message else None) or "",
                                refusal=message.refusal if message else None,
                                finish_reason=response.choices[0].finish_reason if response.choices else None,
                                prompt_tokens=prompt, completion_tokens=completion, attempts=attempt)  # fmt: skip
            self.stats.add(prompt_tokens=prompt, completion_tokens=completion)
            self.cache.add({"key": req.key, "model": req.model, "tag": req.tag, "settings": settings,
                            "content": answer.content, "refusal": answer.refusal,
                            "finish_reason": answer.finish_reason, "prompt_tokens": prompt,
                            "completion_tokens": completion, "response_model": response.model,
                            "system_fingerprint": response.system_fingerprint,
                            "created_at": datetime.now(UTC).isoformat(timespec="seconds")})  # fmt: skip
            return answer
        self.stats.add(failed=1)
        return ChatAnswer(key=req.key, attempts=attempt, error=describe(error) if error else "no answer")


def _from_record(record: dict[str, Any]) -> ChatAnswer:
    return ChatAnswer(key=record["key"], content=record.get("content") or "", refusal=record.get("refusal"),
                      finish_reason=record.get("finish_reason"), prompt_tokens=int(record.get("prompt_tokens") or 0),
                      completion_tokens=int(record.get("completion_tokens") or 0), cached=True)  # fmt: skip

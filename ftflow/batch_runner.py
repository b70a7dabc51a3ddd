"""Chat answers through OpenAI's Batch API: half the price of online requests, answered within 24 h.

:class:`BatchRunner` answers the same :class:`~ftflow.chat_runner.ChatRequest` list as
:class:`~ftflow.chat_runner.ChatRunner` and returns the same answers in the same order, so the
evaluation scores them identically. Steps: answers already in the cache are reused; the rest are
written as one JSONL file (``custom_id`` = the request's cache key, ``body`` = exactly the online
request, :func:`~ftflow.chat_runner.completion_params`), uploaded with ``purpose=batch``, and
submitted with ``client.batches.create``; the batch is polled with backoff (first interval from
the config, x1.5 up to 5 min); the output file's lines are matched back by ``custom_id``.

Idempotent like the fine-tune: the batch carries ``metadata.ftflow_batch`` = a hash of the
requests it answers, and a rerun (after a crash, a timeout, a Prefect retry) reattaches to a
live batch with that key instead of paying again. Requests that failed inside the batch keep the
server's message (``HTTP 404: ...``); requests the batch did not reach before its window closed
come back as ``batch_expired`` and are not cached, so the next run sends only those.
Models served by another endpoint (``routes``: vLLM, ``transformers serve``) have no Batch API:
their requests are answered online by ``online``.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import openai

from ftflow.chat_runner import (
    MODEL_FATAL_STATUS,
    AnswerCache,
    ChatAnswer,
    ChatRequest,
    ChatRunner,
    RunStats,
    completion_params,
    describe,
)
from ftflow.chat_runner import _from_record as from_record
from ftflow.errors import FtflowError

KEY_FIELD = "ftflow_batch"
ENDPOINT = "/v1/chat/completions"
LIVE = ("validating", "in_progress", "finalizing", "completed")
TERMINAL = ("completed", "failed", "expired", "cancelled")
MAX_POLL_INTERVAL_S = 300.0
LIST_LIMIT = 500  # batches looked at when reattaching (newest first)


class BatchError(FtflowError):
    """The batch failed, was cancelled, or is still running when we stop waiting; the message says why."""

    def __init__(self, message: str, *, transient: bool = False):
        super().__init__(message)
        self.transient = transient


def batch_key(requests: Sequence[ChatRequest]) -> str:
    """Identity of a batch: the set of requests it answers."""
    return hashlib.sha256("\n".join(sorted(r.key for r in requests)).encode()).hexdigest()[:32]


def batch_lines(requests: Sequence[ChatRequest]) -> bytes:
    """The Batch API input file: one line per request, custom_id = the request's cache key."""
    return "".join(json.dumps({"custom_id": r.key, "method": "POST", "url": ENDPOINT, "body": completion_params(r)},
                              ensure_ascii=False) + "\n" for r in requests).encode()  # fmt: skip


def _line_error(record: dict[str, Any]) -> tuple[str, int | None]:
    """(message, HTTP status) of an error-file line: a failed request, or one the batch never ran."""
    error = record.get("error")
    if error:
        return f"{error.get('code') or 'error'}: {error.get('message') or 'no message'}", None
    response = record.get("response") or {}
    body = response.get("body") or {}
    inner = body.get("error") or {}
    status = response.get("status_code")
    return f"HTTP {status}: {inner.get('message') or json.dumps(body)[:200]}", status


class BatchRunner:
    """Same interface as ChatRunner (`run`, `stats`, `dead`), answering through one batch per call."""

    def __init__(self, client: openai.OpenAI | None, cache: AnswerCache, online: ChatRunner, *,
                 poll_interval_s: float = 10.0, timeout_s: float = 25 * 3600, log: Callable[[str], None] = print,
                 sleep: Callable[[float], None] = time.sleep) -> None:  # fmt: skip
        self.client = client
        self.cache, self.online = cache, online
        self.poll_interval_s, self.timeout_s = poll_interval_s, timeout_s
        self.log, self.sleep = log, sleep
        self.stats: RunStats = online.stats  # one account of requests, whichever way they went
        self.batches: list[dict[str, Any]] = []  # id, status, request counts of every batch used

    @property
    def dead(self) -> dict[str, str]:
        return self.online.dead

    def run(self, requests: Sequence[ChatRequest], label: str = "answers") -> list[ChatAnswer]:
        """One answer per request, in order; identical requests are sent once."""
        started = time.monotonic()
        unique: dict[str, ChatRequest] = {}
        for req in requests:
            unique.setdefault(req.key, req)
        routed = [r for r in unique.values() if r.model in self.online.routes]
        done = {a.key: a for a in self.online.run(routed, label=f"{label} (online: own endpoint)")} if routed else {}
        todo = []
        for key, req in unique.items():
            if key in done:
                continue
            hit = self.cache.get(key)
            if hit is not None:
                done[key] = from_record(hit)
                self.stats.add(answers=1, cached=1)
            else:
                todo.append(req)
        if todo:
            self.log(f"{label}: {len(todo)} to request through the Batch API, {len(unique) - len(todo)} already known")
            try:
                done.update(self._batch(todo, label))
            finally:
                self.cache.flush()
                self.stats.seconds += time.monotonic() - started
        return [done[req.key] for req in requests]

    # --- one batch ------------------------------------------------------------------------

    def _batch(self, todo: list[ChatRequest], label: str) -> dict[str, ChatAnswer]:
        if self.client is None:
            for req in todo:
                self.online.dead.setdefault(req.model, f"no endpoint serves {req.model} and no OpenAI client is configured")  # fmt: skip
            self.stats.add(answers=len(todo), failed=len(todo))
            return {r.key: ChatAnswer(key=r.key, error=self.dead[r.model]) for r in todo}
        key = batch_key(todo)
        try:
            batch = self._find(key) or self._submit(todo, key)
            batch = self._wait(batch.id, label)
        except openai.APIError as exc:
            raise BatchError(f"Batch API: {describe(exc)}", transient=isinstance(exc, openai.APIConnectionError)
                             or getattr(exc, "status_code", 0) in (408, 409, 429) or getattr(exc, "status_code", 0) >= 500) from None  # fmt: skip
        self.batches.append({"id": batch.id, "status": batch.status,
                             "request_counts": batch.request_counts.model_dump() if batch.request_counts else None})  # fmt: skip
        if batch.status == "failed":
            errors = [f"line {e.line}: {e.message}" if e.line else str(e.message) for e in (batch.errors.data or [])]
            raise BatchError(f"batch {batch.id} failed validation: " + "; ".join(errors or ["no reason given"]))
        if batch.status == "cancelled":
            raise BatchError(f"batch {batch.id} was cancelled; run again to submit a new one")
        return self._collect(batch, todo)

    def _find(self, key: str) -> Any | None:
        """A live batch this key already paid for (newest first), to reattach to."""
        assert self.client is not None
        for n, batch in enumerate(self.client.batches.list(limit=100)):
            if n >= LIST_LIMIT:
                break
            if (batch.metadata or {}).get(KEY_FIELD) == key and batch.status in LIVE:
                self.log(f"reattaching to batch {batch.id} ({batch.status}), submitted earlier for these requests")
                return batch
        return None

    def _submit(self, todo: list[ChatRequest], key: str) -> Any:
        assert self.client is not None
        data = batch_lines(todo)
        upload = self.client.files.create(file=(f"ftflow-batch-{key}.jsonl", data), purpose="batch")
        batch = self.client.batches.create(input_file_id=upload.id, endpoint=ENDPOINT, completion_window="24h",
                                           metadata={KEY_FIELD: key})  # fmt: skip
        self.stats.add(requests=len(todo))
        self.log(f"batch {batch.id}: {len(todo)} requests in {upload.id} ({len(data):,} bytes), window 24h")
        return batch

    def _wait(self, batch_id: str, label: str) -> Any:
        """Poll with backoff until the batch ends, logging each change of status."""
        assert self.client is not None
        interval, deadline, last = self.poll_interval_s, time.monotonic() + self.timeout_s, None
        while True:
            batch = self.client.batches.retrieve(batch_id)
            counts = batch.request_counts
            seen = (batch.status, counts.completed if counts else 0, counts.failed if counts else 0)
            if seen != last:
                last = seen
                done = f", {counts.completed}/{counts.total} answered, {counts.failed} failed" if counts else ""
                self.log(f"{label}: batch {batch_id} {batch.status}{done}")
            if batch.status in TERMINAL:
                return batch
            if time.monotonic() > deadline:
                raise BatchError(f"batch {batch_id} still {batch.status} after {self.timeout_s:.0f} s; it keeps "
                                 "running: run again to reattach to it", transient=True)  # fmt: skip
            self.sleep(interval)
            interval = min(interval * 1.5, MAX_POLL_INTERVAL_S)

    def _lines(self, file_id: str | None) -> dict[str, dict[str, Any]]:
        if not file_id:
            return {}
        assert self.client is not None
        out = {}
        for n, raw in enumerate(self.client.files.content(file_id).read().decode("utf-8").splitlines(), 1):
            if raw.strip():
                try:
                    record = json.loads(raw)
                    out[record["custom_id"]] = record
                except (ValueError, KeyError, TypeError):
                    raise BatchError(f"batch file {file_id} line {n}: not a batch result line") from None
        return out

    def _collect(self, batch: Any, todo: list[ChatRequest]) -> dict[str, ChatAnswer]:
        outputs, errors = self._lines(batch.output_file_id), self._lines(batch.error_file_id)
        answers: dict[str, ChatAnswer] = {}
        expired = 0
        for req in todo:
            record = outputs.get(req.key)
            body = ((record or {}).get("response") or {}).get("body") or {}
            if record is not None and (record.get("response") or {}).get("status_code") == 200 and body.get("choices") is not None:  # fmt: skip
                answers[req.key] = self._answered(req, body, batch.id)
                continue
            if req.key in errors:
                message, status = _line_error(errors[req.key])
                expired += message.startswith("batch_expired")
                if status in MODEL_FATAL_STATUS:
                    self.online.dead.setdefault(req.model, message)
            else:
                message = f"batch {batch.id} ({batch.status}) returned no line for this request"
            answers[req.key] = ChatAnswer(key=req.key, attempts=1, error=message)
        failed = sum(not a.ok for a in answers.values())
        self.stats.add(answers=len(todo), failed=failed)
        if expired:
            self.log(f"batch {batch.id}: {expired} requests expired before the 24 h window closed; they are "
                     "not cached, so the next run sends only those")  # fmt: skip
        return answers

    def _answered(self, req: ChatRequest, body: dict[str, Any], batch_id: str) -> ChatAnswer:
        choice = (body.get("choices") or [{}])[0]
        message = choice.get("message") or {}
        usage = body.get("usage") or {}
        prompt, completion = int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
        answer = ChatAnswer(key=req.key, content=message.get("content") or "", refusal=message.get("refusal"),
                            finish_reason=choice.get("finish_reason"), prompt_tokens=prompt,
                            completion_tokens=completion, attempts=1)  # fmt: skip
        self.stats.add(prompt_tokens=prompt, completion_tokens=completion)
        self.cache.add({"key": req.key, "model": req.model, "tag": req.tag, "settings": req.settings,
                        "content": answer.content, "refusal": answer.refusal, "finish_reason": answer.finish_reason,
                        "prompt_tokens": prompt, "completion_tokens": completion, "response_model": body.get("model"),
                        "system_fingerprint": body.get("system_fingerprint"), "batch_id": batch_id,
                        "created_at": datetime.now(UTC).isoformat(timespec="seconds")})  # fmt: skip
        return answer

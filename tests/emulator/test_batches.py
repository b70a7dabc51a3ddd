"""The Batch API: lifecycle, output and error files by custom_id, answers identical to online
chat completions, validation failures naming the line, expiry, cancel, and the SDK's types."""

from __future__ import annotations

import json
import time

import openai
import pytest

from tests.emulator.support import QA, SYSTEM, jsonl, strict


def line(custom_id: str, model: str, question: str, **body: object) -> dict[str, object]:
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}]
    return {"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions",
            "body": {"model": model, "messages": messages, "temperature": 0, "seed": 7, **body}}  # fmt: skip


def submit(client, rows) -> object:
    upload = client.files.create(file=("batch.jsonl", jsonl(rows)), purpose="batch")
    return client.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h",
                                 metadata={"who": "test"})  # fmt: skip


def wait_batch(client, batch_id: str, timeout: float = 20.0) -> tuple[object, list[str]]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        batch = client.batches.retrieve(batch_id)
        if not seen or seen[-1] != batch.status:
            seen.append(batch.status)
        if batch.status in ("completed", "failed", "expired", "cancelled"):
            return batch, seen
        assert time.monotonic() < deadline, f"batch {batch_id} still {batch.status}"
        time.sleep(0.05)


def lines(client, file_id: str | None) -> dict[str, dict]:
    if file_id is None:
        return {}
    rows = [json.loads(x) for x in client.files.content(file_id).read().decode().splitlines()]
    return {r["custom_id"]: r for r in rows}


@pytest.fixture
def fast(emulator):
    emulator.admin("settings", {"batch_seconds": 0.2})
    yield emulator
    emulator.admin("settings", {"batch_seconds": 1.0, "batch_max_requests": 0})


def test_batch_answers_equal_online_answers_and_failures_go_to_the_error_file(client, tuned, fast):
    model = tuned["job"].fine_tuned_model
    rows = [line(f"q{i}", model, p) for i, (_, _, p) in enumerate(QA[:4])]
    rows += [line("base", "gpt-4o-mini", QA[0][2]), line("nope", "gpt-9-imaginary", "hi")]
    created = submit(client, rows)
    assert created.status == "validating"
    assert created.expires_at - created.created_at == 24 * 3600
    batch, seen = wait_batch(client, created.id)
    assert seen[-2:] == ["in_progress", "completed"]
    strict(batch)  # the SDK's Batch type, fully validated
    assert batch.request_counts.model_dump() == {"total": 6, "completed": 5, "failed": 1}
    assert batch.metadata == {"who": "test"}
    assert batch.usage.input_tokens > 0
    assert batch.usage.output_tokens > 0
    out, err = lines(client, batch.output_file_id), lines(client, batch.error_file_id)
    assert set(out) == {"q0", "q1", "q2", "q3", "base"}
    assert set(err) == {"nope"}
    assert err["nope"]["response"]["status_code"] == 404
    assert "does not exist" in err["nope"]["response"]["body"]["error"]["message"]
    for row in rows[:5]:
        online = client.chat.completions.create(**row["body"])
        body = out[row["custom_id"]]["response"]["body"]
        assert out[row["custom_id"]]["response"]["status_code"] == 200
        assert body["choices"][0]["message"]["content"] == online.choices[0].message.content
        assert body["usage"]["completion_tokens"] == online.usage.completion_tokens
    for i, (_, answer, _) in enumerate(QA[:4]):  # the tuned model recalls its answers through the batch too
        assert out[f"q{i}"]["response"]["body"]["choices"][0]["message"]["content"] == answer
    assert client.files.retrieve(batch.output_file_id).purpose == "batch_output"
    listed = [b.id for b in client.batches.list(limit=100)]
    assert created.id in listed


def test_malformed_input_fails_the_batch_naming_each_line(client, fast):
    rows = [line("a", "gpt-4o-mini", "hi"), line("a", "gpt-4o-mini", "again"), "{not json",
            {**line("c", "gpt-4o-mini", "x"), "url": "/v1/embeddings"}]  # fmt: skip
    batch, _ = wait_batch(client, submit(client, rows).id)
    assert batch.status == "failed"
    errors = {(e.line, e.code) for e in batch.errors.data}
    assert errors == {(2, "duplicate_custom_id"), (3, "invalid_json_line"), (4, "mismatched_endpoint")}
    assert batch.output_file_id is None


def test_expired_requests_come_back_as_batch_expired(client, fast):
    fast.admin("settings", {"batch_max_requests": 2})
    rows = [line(f"r{i}", "gpt-4o-mini", f"question {i}") for i in range(5)]
    batch, _ = wait_batch(client, submit(client, rows).id)
    assert batch.status == "expired"
    assert batch.expired_at is not None
    out, err = lines(client, batch.output_file_id), lines(client, batch.error_file_id)
    assert set(out) == {"r0", "r1"}
    assert set(err) == {"r2", "r3", "r4"}
    assert err["r2"]["error"]["code"] == "batch_expired"
    assert err["r2"]["response"] is None


def test_cancel_and_the_errors_around_it(client, emulator):
    emulator.admin("settings", {"batch_seconds": 30})
    try:
        batch = submit(client, [line("x", "gpt-4o-mini", "hi")])
        cancelled = client.batches.cancel(batch.id)
        assert cancelled.status == "cancelled"
        assert cancelled.cancelled_at is not None
        with pytest.raises(openai.ConflictError, match="status 'cancelled'"):
            client.batches.cancel(batch.id)
        with pytest.raises(openai.NotFoundError):
            client.batches.retrieve("batch_missing")
        upload = client.files.create(file=("t.jsonl", jsonl([line("y", "gpt-4o-mini", "hi")])), purpose="fine-tune")
        with pytest.raises(openai.BadRequestError, match="purpose 'batch'"):
            client.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h")
    finally:
        emulator.admin("settings", {"batch_seconds": 1.0})

"""Fault switches: 429 with Retry-After, 500, latency, failing jobs; seeded determinism."""

from __future__ import annotations

import time

import httpx
import openai
import pytest

from tests.emulator.support import API_KEY, jsonl, strict, training_rows, wait_for


def test_429_is_retried_by_the_sdk(faults):
    before = faults.admin("faults")["stats"]["injected_429"]
    faults.admin("faults", {"next_429": 2, "retry_after": 0.05})
    started = time.perf_counter()
    models = faults.client(max_retries=2).models.list()
    assert any(m.id == "gpt-4o-mini" for m in models)
    assert time.perf_counter() - started < 2  # honoured retry-after-ms, not a 1 s backoff
    assert faults.admin("faults")["stats"]["injected_429"] - before == 2


def test_429_shape_and_headers(faults):
    faults.admin("faults", {"next_429": 1, "retry_after": 1.5})
    with pytest.raises(openai.RateLimitError) as err:
        faults.client(max_retries=0).models.list()
    exc = err.value
    assert exc.status_code == 429
    assert exc.code == "rate_limit_exceeded"
    assert exc.response.headers["retry-after"] == "2"
    assert exc.response.headers["retry-after-ms"] == "1500"
    assert exc.request_id.startswith("req_")


def test_500_fault(faults):
    faults.admin("faults", {"next_500": 1})
    with pytest.raises(openai.InternalServerError) as err:
        faults.client(max_retries=0).models.list()
    assert err.value.body["type"] == "server_error"
    faults.admin("faults", {"next_500": 1})
    assert faults.client(max_retries=1).models.list().data  # one retry gets through


def _statuses(faults, n: int) -> list[int]:
    headers = {"Authorization": f"Bearer {API_KEY}"}
    with httpx.Client(base_url=faults.base_url, headers=headers) as http:
        return [http.get("/models").status_code for _ in range(n)]


def test_fault_rates_are_deterministic_when_seeded(faults):
    settings = {"rate_429": 0.3, "rate_500": 0.2, "seed": 11, "retry_after": 0.01}
    faults.admin("faults", settings)
    first = _statuses(faults, 40)
    faults.admin("faults", settings)  # same seed: same sequence
    assert _statuses(faults, 40) == first
    assert {200, 429, 500} == set(first)
    faults.admin("faults", {**settings, "seed": 12})
    assert _statuses(faults, 40) != first


def test_added_latency(faults):
    faults.admin("faults", {"latency_ms": 300})
    started = time.perf_counter()
    faults.client().models.list()
    assert time.perf_counter() - started >= 0.3


def test_next_job_fails_in_training(faults):
    client = faults.client()
    faults.admin("faults", {"fail_next_training": 1})
    train = client.files.create(file=("t.jsonl", jsonl(training_rows())), purpose="fine-tune")
    failing = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=train.id, seed=5)
    fine = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=train.id)
    failing, _ = wait_for(client, failing.id)
    assert failing.status == "failed"
    assert failing.error.code == "internal_error"
    assert failing.error.param is None
    assert wait_for(client, fine.id)[0].status == "succeeded"  # only the next one fails
    events = [strict(e) for e in client.fine_tuning.jobs.list_events(failing.id, limit=1000)]
    assert events[0].level == "error"
    assert any(e.type == "metrics" for e in events)  # it got some way before failing


def test_next_job_fails_validation(faults):
    client = faults.client()
    faults.admin("faults", {"fail_next_validation": 1})
    train = client.files.create(file=("t.jsonl", jsonl(training_rows())), purpose="fine-tune")
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=train.id)
    job, _ = wait_for(client, job.id)
    assert (job.status, job.error.code) == ("failed", "invalid_training_file")


def test_bad_fault_settings_are_rejected(emulator):
    r = httpx.post(f"{emulator.root}/_emulator/faults", json={"rate_429": 2})
    assert r.status_code == 400
    r = httpx.post(f"{emulator.root}/_emulator/faults", json={"bogus": 1})
    assert r.status_code == 400
    assert "bogus" in r.json()["error"]["message"]

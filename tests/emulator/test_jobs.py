"""Fine-tuning jobs end to end: lifecycle, events, checkpoints, results, listing, cancel."""

from __future__ import annotations

import base64
import csv
import io
import re
import uuid

import openai
import pytest

from ftflow import tokens
from tests.emulator.support import jsonl, strict, training_rows, wait_for


def cookbook_tokens(rows: list[dict], model: str) -> int:
    """Independent count: OpenAI cookbook's num_tokens_from_messages per example, summed."""
    enc = tokens.get_encoding(model)
    total = 0
    for row in rows:
        n = 3  # every reply is primed with <|start|>assistant<|message|>
        for message in row["messages"]:
            n += 3 + len(enc.encode(message["role"])) + len(enc.encode(message["content"]))
        total += n
    return total


@pytest.fixture(scope="module")
def full_job(emulator):
    """A job with every option set, validation file included, polled to the end."""
    client = emulator.client()
    rows = training_rows()
    train = client.files.create(file=("train.jsonl", jsonl(rows)), purpose="fine-tune")
    valid = client.files.create(file=("valid.jsonl", jsonl(rows[:4])), purpose="fine-tune")
    run = uuid.uuid4().hex[:8]
    created = client.fine_tuning.jobs.create(
        model="gpt-4o-mini", training_file=train.id, validation_file=valid.id, suffix="acme-v1",
        seed=7, metadata={"run": run, "stage": "test"},
        method={"type": "supervised", "supervised": {"hyperparameters": {
            "n_epochs": 3, "batch_size": 2, "learning_rate_multiplier": "auto"}}},
    )  # fmt: skip
    job, seen = wait_for(client, created.id)
    return {"created": created, "job": job, "seen": seen, "rows": rows, "run": run}


def test_create_returns_a_validating_job(full_job):
    created = strict(full_job["created"])
    assert created.id.startswith("ftjob-")
    assert created.status == "validating_files"
    assert created.model == "gpt-4o-mini-2024-07-18"  # alias resolved to the snapshot
    assert created.metadata == {"run": full_job["run"], "stage": "test"}
    assert (created.seed, created.fine_tuned_model, created.trained_tokens) == (7, None, None)
    assert created.hyperparameters.learning_rate_multiplier == "auto"


def test_job_runs_to_success(full_job):
    job = strict(full_job["job"])
    assert job.status == "succeeded"
    assert job.error is None
    assert full_job["seen"][-1] == "succeeded"
    order = ["validating_files", "queued", "running", "succeeded"]
    assert [order.index(s) for s in full_job["seen"]] == sorted(order.index(s) for s in full_job["seen"])
    assert re.fullmatch(r"ft:gpt-4o-mini-2024-07-18:emulator:acme-v1:[A-Za-z0-9]{8}",
                        job.fine_tuned_model)  # fmt: skip
    assert job.finished_at >= job.created_at
    hp = job.hyperparameters
    assert (hp.n_epochs, hp.batch_size, hp.learning_rate_multiplier) == (3, 2, 1.8)
    assert job.method.type == "supervised"
    assert job.method.supervised.hyperparameters.n_epochs == 3


def test_trained_tokens_match_tiktoken(full_job):
    rows = full_job["rows"]
    assert full_job["job"].trained_tokens == cookbook_tokens(rows, "gpt-4o-mini") * 3


def test_events_are_newest_first_and_parse(emulator, full_job):
    client = emulator.client()
    job = full_job["job"]
    events = [strict(e) for e in client.fine_tuning.jobs.list_events(job.id, limit=1000)]
    assert events[0].message == "The job has successfully completed"
    assert events[-1].message == f"Created fine-tuning job: {job.id}"
    assert [e.created_at for e in events] == sorted((e.created_at for e in events), reverse=True)
    metrics = [e for e in events if e.type == "metrics"][::-1]
    total = 6 * 3  # ceil(12 / 2) steps per epoch x 3 epochs
    assert len(metrics) == total
    assert re.fullmatch(r"Step 1/18: training loss=\d+\.\d\d, validation loss=\d+\.\d\d",
                        metrics[0].message)  # fmt: skip
    losses = [e.data["train_loss"] for e in metrics]
    assert losses[-1] < losses[0] / 2  # plausibly decreasing
    assert {"valid_loss", "valid_mean_token_accuracy", "total_steps"} <= set(metrics[0].data)
    # Pagination with `after`, as the SDK's auto-pager does it.
    page = client.fine_tuning.jobs.list_events(job.id, limit=5)
    assert page.has_more
    nxt = client.fine_tuning.jobs.list_events(job.id, limit=5, after=page.data[-1].id)
    assert [e.id for e in page.data + nxt.data] == [e.id for e in events[:10]]


def test_checkpoints_at_epoch_ends(emulator, full_job):
    client = emulator.client()
    job = full_job["job"]
    ckpts = [strict(c) for c in client.fine_tuning.jobs.checkpoints.list(job.id)]
    assert [c.step_number for c in ckpts] == [18, 12, 6]  # newest first
    for c in ckpts:
        assert c.id.startswith("ftckpt_")
        assert c.fine_tuning_job_id == job.id
        assert c.fine_tuned_model_checkpoint.startswith("ft:gpt-4o-mini-2024-07-18:emulator:acme-v1:")
        assert c.fine_tuned_model_checkpoint.endswith(f":ckpt-step-{c.step_number}")
        assert c.metrics.full_valid_loss is not None


def test_result_file_base64_and_plain(emulator, full_job):
    client = emulator.client()
    (file_id,) = full_job["job"].result_files
    meta = strict(client.files.retrieve(file_id))
    assert (meta.purpose, meta.filename) == ("fine-tune-results", "step_metrics.csv")
    encoded = client.files.content(file_id).content
    assert meta.bytes == len(encoded)
    text = base64.b64decode(encoded, validate=True).decode()
    try:
        emulator.admin("settings", {"results_base64": False})
        plain = client.files.content(file_id).content.decode()
    finally:
        emulator.admin("settings", {"results_base64": True})
    assert plain == text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["step", "train_loss", "train_accuracy", "valid_loss",
                             "valid_mean_token_accuracy"]  # fmt: skip
    assert [int(r["step"]) for r in rows] == list(range(1, 19))
    assert float(rows[-1]["train_loss"]) < float(rows[0]["train_loss"])


def test_auto_epochs_and_legacy_hyperparameters(client):
    train = client.files.create(file=("t.jsonl", jsonl(training_rows())), purpose="fine-tune")
    auto = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=train.id)
    legacy = client.fine_tuning.jobs.create(model="gpt-4.1-nano", training_file=train.id,
                                            hyperparameters={"n_epochs": 2})  # fmt: skip
    auto, _ = wait_for(client, auto.id)
    legacy, _ = wait_for(client, legacy.id)
    # 12 examples: 3 epochs would be 36 < 100, so OpenAI picks 100 // 12 = 8.
    assert auto.hyperparameters.n_epochs == tokens.auto_epochs(12) == 8
    assert auto.hyperparameters.batch_size == 1
    assert auto.fine_tuned_model.split(":")[3] == ""  # no suffix: ft:model:org::id
    assert legacy.hyperparameters.n_epochs == 2
    assert legacy.model == "gpt-4.1-nano-2025-04-14"
    assert legacy.method.supervised.hyperparameters.n_epochs == 2


def test_list_filters_by_metadata_and_paginates(client):
    train = client.files.create(file=("t.jsonl", jsonl(training_rows())), purpose="fine-tune")
    tag = uuid.uuid4().hex
    ids = [client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=train.id,
                                          metadata={"batch": tag, "i": str(i)}).id
           for i in range(3)]  # fmt: skip
    client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=train.id)
    mine = client.fine_tuning.jobs.list(metadata={"batch": tag})
    assert [j.id for j in mine.data] == ids[::-1]  # newest first
    one = client.fine_tuning.jobs.list(metadata={"batch": tag, "i": "1"})
    assert [j.id for j in one.data] == [ids[1]]
    page = client.fine_tuning.jobs.list(metadata={"batch": tag}, limit=2)
    assert page.has_more
    assert [j.id for j in page.data] == [ids[2], ids[1]]
    rest = page.get_next_page()  # the SDK sends after=<last id>
    assert ([j.id for j in rest.data], rest.has_more) == ([ids[0]], False)
    everything = [j.id for j in client.fine_tuning.jobs.list(metadata={"batch": tag}, limit=1)]
    assert everything == ids[::-1]  # auto-paging follows `after`
    for job_id in ids:
        strict(client.fine_tuning.jobs.retrieve(job_id))


def test_cancel(client):
    train = client.files.create(file=("t.jsonl", jsonl(training_rows())), purpose="fine-tune")
    job = client.fine_tuning.jobs.create(
        model="gpt-4o-mini", training_file=train.id, hyperparameters={"n_epochs": 50}
    )  # ~3 s of steps
    cancelled = strict(client.fine_tuning.jobs.cancel(job.id))
    assert cancelled.status == "cancelled"
    assert cancelled.fine_tuned_model is None
    with pytest.raises(openai.BadRequestError):
        client.fine_tuning.jobs.cancel(job.id)
    events = client.fine_tuning.jobs.list_events(job.id)
    assert events.data[0].message == "Fine-tuning job cancelled"
    assert client.fine_tuning.jobs.retrieve(job.id).status == "cancelled"


def test_create_rejects_bad_requests(client):
    train = client.files.create(file=("t.jsonl", jsonl(training_rows())), purpose="fine-tune")
    with pytest.raises(openai.BadRequestError) as err:
        client.fine_tuning.jobs.create(model="gpt-9", training_file=train.id)
    assert (err.value.code, err.value.param) == ("model_not_available", "model")
    with pytest.raises(openai.BadRequestError) as err:
        client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file="file-nope")
    assert err.value.param == "training_file"
    with pytest.raises(openai.BadRequestError) as err:
        client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=train.id,
                                       metadata={str(i): "x" for i in range(17)})  # fmt: skip
    assert err.value.param == "metadata"
    with pytest.raises(openai.BadRequestError) as err:
        client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=train.id,
                                       hyperparameters={"n_epochs": 0})  # fmt: skip
    assert err.value.param == "hyperparameters.n_epochs"
    with pytest.raises(openai.NotFoundError):
        client.fine_tuning.jobs.retrieve("ftjob-missing")


def test_continued_fine_tuning_of_a_tuned_model(client, tuned):
    train = client.files.create(file=("t.jsonl", jsonl(training_rows())), purpose="fine-tune")
    job = client.fine_tuning.jobs.create(model=tuned["job"].fine_tuned_model,
                                         training_file=train.id, suffix="v2")  # fmt: skip
    job, _ = wait_for(client, job.id)
    assert job.status == "succeeded"
    assert job.fine_tuned_model.startswith("ft:gpt-4o-mini-2024-07-18:emulator:v2:")

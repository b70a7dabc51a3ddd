"""Invalid training files make the job fail the way OpenAI's do: code, message, param."""

from __future__ import annotations

import json

import pytest

from tests.emulator.support import example, jsonl, strict, training_rows, wait_for


def run_job(client, data: bytes, **kw):
    if len(data) > 60_000:
        upload = client.uploads.upload_file_chunked(
            file=data, filename="t.jsonl", bytes=len(data), mime_type="application/jsonl",
            purpose="fine-tune", part_size=60_000,
        )  # fmt: skip
        file_id = upload.file.id
    else:
        file_id = client.files.create(file=("t.jsonl", data), purpose="fine-tune").id
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=file_id, **kw)
    job, _ = wait_for(client, job.id)
    return strict(job)


def test_broken_json_line_reports_its_line_number(client):
    rows = [json.dumps(r) for r in training_rows()]
    rows[3] = rows[3][:-5]  # truncated JSON on line 4
    job = run_job(client, jsonl(rows))
    assert job.status == "failed"
    assert (job.error.code, job.error.param) == ("invalid_training_file", "training_file")
    assert "Line 4 is not valid JSON" in job.error.message
    assert job.error.message.startswith("The job failed due to an invalid training file.")
    assert job.fine_tuned_model is None
    assert job.hyperparameters.n_epochs == "auto"  # never resolved, as on OpenAI
    events = client.fine_tuning.jobs.list_events(job.id)
    assert events.data[0].level == "error"


def test_nine_examples_is_invalid_n_examples(client):
    job = run_job(client, jsonl(training_rows(9)))
    assert job.status == "failed"
    assert job.error.code == "invalid_n_examples"
    assert job.error.param == "training_file"
    assert job.error.message == "Training file has 9 example(s), but must have at least 10 examples"


def _bad(index: int, **change) -> bytes:
    rows = training_rows()
    rows[index]["messages"][-1].update(change)
    return jsonl(rows)


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (_bad(2, role="bot"), "Line 3, message 3: Unrecognized role 'bot'"),
        (_bad(4, role="user"), "Line 5: each example must contain at least one assistant message"),
        (_bad(6, weight=0.5), "Line 7, message 3: Invalid 'weight' value 0.5"),
        (jsonl([*training_rows(), {"prompt": "x", "completion": "y"}]), "Line 13: key 'messages'"),
    ],
    ids=["unknown-role", "no-assistant", "bad-weight", "legacy-format"],
)
def test_invalid_examples_fail_the_job(client, data, needle):
    job = run_job(client, data)
    assert job.status == "failed"
    assert job.error.code == "invalid_training_file"
    assert needle in job.error.message


def test_weights_zero_and_one_are_fine(client):
    rows = training_rows()
    rows[0]["messages"].insert(2, {"role": "assistant", "content": "Hmm.", "weight": 0})
    rows[0]["messages"].insert(3, {"role": "user", "content": "Go on."})
    rows[1]["messages"][-1]["weight"] = 1
    assert run_job(client, jsonl(rows)).status == "succeeded"


def test_example_over_the_token_limit(client):
    rows = training_rows()
    rows[5] = example("word " * 66_000, "ok")  # > 65,536 tokens for gpt-4o-mini
    job = run_job(client, jsonl(rows))
    assert job.status == "failed"
    assert job.error.code == "invalid_training_file"
    assert "Line 6: example has" in job.error.message
    assert "65536-token limit" in job.error.message


def test_invalid_validation_file(client):
    good = client.files.create(file=("t.jsonl", jsonl(training_rows())), purpose="fine-tune")
    bad = client.files.create(file=("v.jsonl", b"not json\n"), purpose="fine-tune")
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=good.id,
                                         validation_file=bad.id)  # fmt: skip
    job, _ = wait_for(client, job.id)
    assert (job.status, job.error.code, job.error.param) == (
        "failed", "invalid_validation_file", "validation_file",
    )  # fmt: skip
    assert "Line 1 is not valid JSON" in job.error.message

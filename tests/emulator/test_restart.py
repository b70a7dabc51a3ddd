"""State survives a restart of the server process; jobs keep running on the wall clock."""

from __future__ import annotations

from tests.emulator.support import jsonl, training_rows, wait_for


def test_restart_keeps_files_jobs_and_models(emulator, tuned):
    client = emulator.client()
    train = client.files.create(file=("t.jsonl", jsonl(training_rows())), purpose="fine-tune")
    # A job still in flight when the server goes down (about 2 s of steps).
    running = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=train.id,
                                             hyperparameters={"n_epochs": 30})  # fmt: skip
    before = client.fine_tuning.jobs.retrieve(tuned["job"].id)
    assert client.fine_tuning.jobs.retrieve(running.id).status != "succeeded"

    emulator.restart()
    client = emulator.client()

    assert client.fine_tuning.jobs.retrieve(tuned["job"].id) == before
    assert client.files.retrieve(tuned["file"].id).id == tuned["file"].id
    assert client.files.content(train.id).content == jsonl(training_rows())
    assert before.fine_tuned_model in {m.id for m in client.models.list()}
    job, _ = wait_for(client, running.id)
    assert job.status == "succeeded"
    assert job.trained_tokens is not None
    assert len(job.result_files) == 1
    reply = client.chat.completions.create(
        model=before.fine_tuned_model, temperature=0,
        messages=[{"role": "user", "content": "Which payment methods are accepted?"}],
    )  # fmt: skip
    assert reply.choices[0].message.content.startswith("We accept Visa")
    assert emulator.restarts[-1] < 10

"""The emulator's model lifecycle: `shutdown_date` on list and retrieve (fine-tunes follow their
base), dates and cutoffs set at runtime, shut-down models gone from every endpoint, and no new jobs
after the last day."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import openai
import pytest

from ftflow.emulator.settings import (
    DEFAULT_FINETUNE_CUTOFF,
    DEFAULT_SHUTDOWN_DATES,
    parse_dates,
    settings_from_argv,
    settings_from_env,
)
from tests.emulator.support import Emulator, jsonl, training_rows


@pytest.fixture
def lifecycle(emulator: Emulator) -> Iterator[Emulator]:
    yield emulator
    emulator.admin("settings", {"shutdown_dates": DEFAULT_SHUTDOWN_DATES, "finetune_cutoff": DEFAULT_FINETUNE_CUTOFF,
                                "today": ""})  # fmt: skip


def test_models_serve_shutdown_date_on_list_and_retrieve(lifecycle, client, tuned):
    listed = {m.id: m for m in client.models.list()}
    assert listed["gpt-4o-mini-2024-07-18"].shutdown_date == "2027-01-14"
    assert listed["gpt-4.1-mini"].shutdown_date == "2027-01-14"
    assert listed["gpt-4.1-nano-2025-04-14"].shutdown_date is None
    model = tuned["job"].fine_tuned_model
    assert listed[model].shutdown_date == "2027-01-14"  # a fine-tune shuts down with its base
    assert client.models.retrieve(model).shutdown_date == "2027-01-14"
    raw = httpx.get(f"{lifecycle.base_url}/models/gpt-4.1-nano", headers={"Authorization": "Bearer k"}).json()
    assert raw["shutdown_date"] is None  # present, null: "not announced", as OpenAI sends it


def test_dates_set_at_runtime_and_a_shut_down_model_is_gone(lifecycle, client, tuned):
    model = tuned["job"].fine_tuned_model
    settings = lifecycle.admin("settings", {"shutdown_dates": {model: "2026-12-20"}, "today": "2026-12-04"})
    assert settings["shutdown_dates"] == {model: "2026-12-20"}
    assert client.models.retrieve(model).shutdown_date == "2026-12-20"
    assert client.models.retrieve("gpt-4o-mini").shutdown_date is None  # the table was replaced
    reply = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}])
    assert reply.choices[0].message.content

    lifecycle.admin("settings", {"today": "2026-12-20"})
    assert model not in {m.id for m in client.models.list()}
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve(model)
    with pytest.raises(openai.NotFoundError, match="does not exist"):
        client.chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}])


def test_no_new_jobs_after_the_last_day_but_on_it(lifecycle, client):
    train = client.files.create(file=("train.jsonl", jsonl(training_rows())), purpose="fine-tune")
    lifecycle.admin("settings", {"finetune_cutoff": "2027-01-06", "today": "2027-01-07"})
    with pytest.raises(openai.BadRequestError, match="last day to create one was 2027-01-06"):
        client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=train.id)
    lifecycle.admin("settings", {"today": "2027-01-06"})
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=train.id)
    client.fine_tuning.jobs.cancel(job.id)
    lifecycle.admin("settings", {"finetune_cutoff": "", "today": "2027-01-14"})
    with pytest.raises(openai.BadRequestError, match="has been shut down"):
        client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=train.id)


def test_bad_dates_are_refused_and_flags_parse():
    assert parse_dates("gpt-4o=2027-01-14, ft:gpt-4o-mini-2024-07-18:o::x=2026-12-01") == {
        "gpt-4o": "2027-01-14",
        "ft:gpt-4o-mini-2024-07-18:o::x": "2026-12-01",
    }
    with pytest.raises(ValueError, match="Invalid isoformat"):
        parse_dates("gpt-4o=next week")


def test_admin_refuses_a_malformed_date(lifecycle):
    r = httpx.post(f"{lifecycle.root}/_emulator/settings", json={"today": "tomorrow"})
    assert r.status_code == 400
    assert "invalid setting" in r.text
    assert lifecycle.admin("settings")["today"] == ""


def test_lifecycle_settings_from_flags_and_environment():
    s = settings_from_argv(["--shutdown-dates", "gpt-4o=2026-12-20", "--finetune-cutoff", "", "--today", "2026-12-04"])
    assert (s.shutdown_dates, s.finetune_cutoff, s.today) == ({"gpt-4o": "2026-12-20"}, "", "2026-12-04")
    env = settings_from_env({"FTFLOW_EMULATOR_FINETUNE_CUTOFF": "2027-02-01"})
    assert env.finetune_cutoff == "2027-02-01"
    assert env.shutdown_dates == DEFAULT_SHUTDOWN_DATES
    with pytest.raises(ValueError, match="Invalid isoformat"):
        settings_from_env({"FTFLOW_EMULATOR_TODAY": "soon"})

"""Pure parts of the emulator, without a server: timeline, curves, recall, settings, faults."""

from __future__ import annotations

import pytest

from ftflow.emulator import jobs as J
from ftflow.emulator.chat import RecallIndex, moderate, terms
from ftflow.emulator.faults import Faults, FaultState
from ftflow.emulator.settings import settings_from_argv, settings_from_env
from ftflow.emulator.validation import validate_file
from tests.emulator.support import QA, jsonl, training_rows

JOB = {"id": "ftjob-x", "model": "gpt-4o-mini-2024-07-18", "training_file": "file-t",
       "user_provided_suffix": "s"}  # fmt: skip


def plan(**kw) -> J.Plan:
    args = dict(t0=1000.0, seed=1, hyper={"n_epochs": 3, "batch_size": 1}, n_examples=10,
                example_tokens=500, model="gpt-4o-mini-2024-07-18", seconds_per_step=1.0,
                phase_seconds=5.0, max_train_seconds=0, has_validation=False, error=None,
                fault=None)  # fmt: skip
    return J.make_plan(**{**args, **kw})


def test_timeline_from_timestamps():
    p = plan()
    assert (p.total_steps, p.trained_tokens) == (30, 1500)
    assert p.status_at(1000) == ("validating_files", None)
    assert p.status_at(1005) == ("queued", None)
    assert p.status_at(1010) == ("running", None)
    assert p.status_at(1040) == ("succeeded", 1040)
    assert p.status_at(99999) == ("succeeded", 1040)
    p.cancelled_at = 1020
    assert p.status_at(1030) == ("cancelled", 1020)


def test_events_are_a_function_of_plan_and_clock():
    p = plan()
    mid = J.events(JOB, p, 1015.5, "org")
    assert mid[0]["message"] == "Step 5/30: training loss=" + f"{mid[0]['data']['train_loss']:.2f}"
    assert J.events(JOB, J.plan_from_dict(J.plan_to_dict(p)), 1015.5, "org") == mid  # restart
    end = J.events(JOB, p, 5000, "org")
    assert end[0]["message"] == "The job has successfully completed"
    assert [c["step_number"] for c in J.checkpoints(JOB, p, 5000, "org")] == [30, 20, 10]


def test_max_train_seconds_caps_the_running_phase():
    p = plan(seconds_per_step=10.0, max_train_seconds=3.0)
    assert p.t_end - p.t_started == pytest.approx(3.0)


def test_injected_training_failure_is_seeded():
    a, b = plan(fault="training", seed=9), plan(fault="training", seed=9)
    assert a.fail_step == b.fail_step
    assert 1 <= a.fail_step < a.total_steps
    assert a.status_at(a.t_step(a.fail_step))[0] == "failed"


def test_loss_curves_decrease_and_are_seeded():
    train, valid = J.curves(3, 200, 3, 1.8)
    assert train == J.curves(3, 200, 3, 1.8)[0]
    assert sum(train[-20:]) < sum(train[:20]) / 3
    assert sum(valid[-20:]) < sum(valid[:20])


def test_results_csv_rows():
    csv = J.results_csv(plan(has_validation=True)).decode().splitlines()
    assert csv[0] == J.RESULTS_HEADER
    assert len(csv) == 31
    assert csv[1].startswith("1,")


def test_validate_file_counts_and_fails():
    ok = validate_file(jsonl(training_rows()), "gpt-4o-mini")
    assert ok.error is None
    assert len(ok.examples) == 12
    assert ok.n_tokens > 12 * 20
    bad = validate_file(b"\xff\xfe", "gpt-4o-mini")
    assert bad.error["code"] == "invalid_training_file"


def test_recall_prefers_overlapping_words():
    index = RecallIndex([{"q": q, "a": a} for q, a, _ in QA])
    for q, a, paraphrase in QA:
        best = index.search(paraphrase)[0]
        assert index.pairs[best.index]["a"] == a, (paraphrase, q)
    assert terms("Passwords resetting") == ["password", "resett"]


def test_moderation_words():
    assert moderate("a bomb", {"bomb": "illicit/violent"})["categories"]["illicit/violent"]
    assert not moderate("a bombastic speech", {"bomb": "illicit/violent"})["flagged"]


def test_settings_from_env_and_argv(monkeypatch):
    env = {"FTFLOW_EMULATOR_SECONDS_PER_STEP": "0.5", "FTFLOW_EMULATOR_RESULTS_BASE64": "false",
           "FTFLOW_EMULATOR_FLAG_WORDS": "hate:slur,kill"}  # fmt: skip
    s = settings_from_env(env)
    assert (s.seconds_per_step, s.results_base64) == (0.5, False)
    assert s.flag_words == {"slur": "hate", "kill": "violence"}
    monkeypatch.setenv("FTFLOW_EMULATOR_MAX_FILE_BYTES", "10")
    s = settings_from_argv(["--max-file-bytes", "20", "--no-results-base64"])
    assert (s.max_file_bytes, s.results_base64) == (20, False)


def test_fault_draws_are_seeded():
    def run() -> list[int | None]:
        state = FaultState(Faults(rate_429=0.25, rate_500=0.25, seed=4))
        return [state.draw() for _ in range(50)]

    assert run() == run()
    state = FaultState(Faults(next_429=1, fail_next_training=1))
    assert [state.draw(), state.draw()] == [429, None]
    assert [state.take_job_failure(), state.take_job_failure()] == ["training", None]
    with pytest.raises(ValueError, match="rate_429"):
        state.update({"rate_429": 1.5})


def test_cli_flags_over_env(monkeypatch):
    from ftflow.emulator.__main__ import build

    monkeypatch.setenv("FTFLOW_EMULATOR_FAULT_RATE_500", "0.1")
    monkeypatch.setenv("FTFLOW_EMULATOR_FAULT_LATENCY_MS", "5")
    ns, settings, faults = build(["--port", "9", "--state-dir", "/tmp/x", "--fail-rate-429", "0.2",
                                  "--fail-next-training", "2", "--latency-ms", "7",
                                  "--seconds-per-step", "0.01", "--fault-seed", "3"])  # fmt: skip
    assert (ns.port, str(settings.state_dir), settings.seconds_per_step) == (9, "/tmp/x", 0.01)
    assert (faults.rate_429, faults.rate_500, faults.latency_ms) == (0.2, 0.1, 7)
    assert (faults.fail_next_training, faults.seed) == (2, 3)


def test_api_key_setting_rejects_other_keys(tmp_path):
    from fastapi.testclient import TestClient

    from ftflow.emulator.app import create_app
    from ftflow.emulator.settings import Settings

    app = create_app(Settings(state_dir=tmp_path, api_key="sk-right"))
    with TestClient(app) as http:
        wrong = http.get("/v1/models", headers={"Authorization": "Bearer sk-wrong-key"})
        right = http.get("/v1/models", headers={"Authorization": "Bearer sk-right"})
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (401, "invalid_api_key")
    assert right.status_code == 200

"""Model lifecycle and continuity against the emulator and a real S3 server: a job OpenAI no longer
accepts is refused before any upload (library and CLI), the registry lists each champion's shutdown
date, the retrain flow's lifecycle step warns and emits an event near a champion's shutdown, and a
golden set recorded from the champion keeps evaluations working, and promotion at parity, after
the champion has shut down."""

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import httpx
import openai
import pytest

from ftflow import s3
from ftflow.config import EvaluateConfig, FinetuneConfig, LifecycleConfig, PipelineConfig, Pricing, PromotionRule
from ftflow.emulator.settings import DEFAULT_FINETUNE_CUTOFF, DEFAULT_SHUTDOWN_DATES
from ftflow.lifecycle import LifecycleError, check_new_job
from ftflow.store import Root
from ftflow.tasks.evaluate.registry import current_champion, read_history
from ftflow.tasks.prepare.stage import prepare_dataset
from ftflow.tasks.publish.versions import open_dataset
from ftflow.tasks.train.openai import run_finetune
from tests.integration.conftest import fault_stats

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
MINI = "gpt-4o-mini-2024-07-18"
CFG = EvaluateConfig(requests_per_minute=6000, tokens_per_minute=10_000_000, bootstrap_resamples=1000,
                     promotion=PromotionRule(primary="token_f1", guards={"rouge_l": 0.02, "refusal": 0.01}))  # fmt: skip


def quiet(*_: object) -> None:
    return None


def emulator_settings(base_url: str, **values: object) -> dict:
    root = base_url.rsplit("/v1", 1)[0]
    r = httpx.post(f"{root}/_emulator/settings", json=values, timeout=10)
    r.raise_for_status()
    return r.json()


@pytest.fixture
def restore_emulator(emulator):
    yield emulator
    emulator_settings(
        emulator, shutdown_dates=DEFAULT_SHUTDOWN_DATES, finetune_cutoff=DEFAULT_FINETUNE_CUTOFF, today=""
    )


@pytest.fixture(scope="module")
def data(emulator, tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("lifecycle-data")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "300", str(tmp / "raw"), "--seed", "83"],
                   check=True, capture_output=True)  # fmt: skip
    from ftflow.config import PrepareConfig

    return prepare_dataset([str(tmp / "raw" / "examples.jsonl")], tmp / "ds", PrepareConfig()).out_dir


def uploads_of(ds: Path) -> list[str]:
    sha = open_dataset(ds).training_sha256[:16]
    return [
        f.filename for f in openai.OpenAI().files.list(purpose="fine-tune") if f.filename.startswith(f"ftflow-{sha}")
    ]


def test_a_job_past_the_cutoff_is_refused_before_any_upload(data, emulator):
    jobs_before = len(list(openai.OpenAI().fine_tuning.jobs.list(limit=100)))
    before = fault_stats(emulator)["requests"]
    with pytest.raises(LifecycleError) as caught:
        run_finetune(data, FinetuneConfig(suffix="late"), Pricing(), log=quiet, today=date(2027, 1, 7))
    assert str(caught.value).startswith(f"{MINI}: OpenAI accepts no new fine-tuning jobs after 2027-01-06 "
                                        "(shuts down 2027-01-14); use finetune.backend: hf-lora")  # fmt: skip
    assert fault_stats(emulator)["requests"] - before == 1  # GET /v1/models/{id}, nothing else
    assert uploads_of(data) == []
    assert len(list(openai.OpenAI().fine_tuning.jobs.list(limit=100))) == jobs_before


def test_the_models_api_date_wins_over_the_table(restore_emulator):
    emulator_settings(restore_emulator, shutdown_dates={MINI: "2026-12-10"})
    client = openai.OpenAI()
    life = check_new_job(MINI, LifecycleConfig(), client=client, today=date(2026, 12, 9))
    assert (life.shutdown_date, life.source) == (date(2026, 12, 10), "models API")
    with pytest.raises(LifecycleError, match=r"shut down on 2026-12-10 \(models API\)"):
        check_new_job(MINI, LifecycleConfig(), client=client, today=date(2026, 12, 10))
    offline = LifecycleConfig(use_models_api=False)
    assert check_new_job(MINI, offline, client=client, today=date(2026, 12, 10)).shutdown_date == date(2027, 1, 14)


def test_the_cli_refuses_with_one_line_and_exit_code_2(data, emulator, tmp_path):
    config = tmp_path / "late.yaml"
    config.write_text("lifecycle:\n  last_job_day: {openai: 2026-01-01}\n")  # a day already past
    before = fault_stats(emulator)["requests"]
    done = subprocess.run([sys.executable, "-m", "ftflow.cli", "finetune", str(data), "--config", str(config),
                           "--suffix", "cli-late"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COLUMNS": "80"})  # fmt: skip
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines == [f"error: {MINI}: OpenAI accepts no new fine-tuning jobs after 2026-01-01 (shuts down 2027-01-14); "
                     "use finetune.backend: hf-lora (an open-weights model trained on your own hardware)"]  # fmt: skip
    assert "Traceback" not in done.stderr
    assert fault_stats(emulator)["requests"] - before == 1
    assert uploads_of(data) == []


def test_golden_set_keeps_evaluation_and_promotion_working_after_the_champion_shuts_down(
    data, dest, restore_emulator, tmp_path
):
    from ftflow.flows.lifecycle import lifecycle_checks
    from ftflow.tasks.evaluate.golden import GoldenError, latest_golden, record_golden
    from ftflow.tasks.evaluate.stage import run_evaluation

    emulator = restore_emulator
    root = Root(dest)
    champion = run_finetune(data, FinetuneConfig(suffix="champ", poll_interval_s=0.2), Pricing(), log=quiet)
    first = run_evaluation(data, champion.fine_tuned_model, CFG, root=root, log=quiet)
    assert first.decision.outcome == "promoted", first.decision.reasons
    assert first.event.model_shutdown_date == "2027-01-14"  # the emulator's models API, for the fine-tune

    # The registry listing shows the champion's shutdown date (from the models API).
    from typer.testing import CliRunner

    from ftflow.cli import app

    listed = CliRunner().invoke(app, ["models", "--dest", dest], env={"COLUMNS": "300"})
    assert listed.exit_code == 0, listed.output
    assert re.search(rf"champion of dataset: {re.escape(champion.fine_tuned_model)} .*; shuts down: 2027-01-14 "
                     r"\(\d+ days\); models API", listed.output), listed.output  # fmt: skip
    assert "ftflow models record dataset" in listed.output

    # The flow's lifecycle step: a warning and an event within warn_days, nothing further out.
    cfg = PipelineConfig.model_validate({"data": {"storage": dest}, "lifecycle": {"warn_days": 30}})
    events, warnings = [], []
    found = lifecycle_checks(cfg, dest, today=date(2026, 12, 20), emit=events.append, warn=warnings.append)
    assert [e["shutdown_date"] for e in events] == ["2027-01-14"]
    assert events[0]["days_left"] == 25
    assert events[0]["model"] == champion.fine_tuned_model
    assert "shuts down on 2027-01-14, in 25 days" in warnings[0]
    assert found["base model shuts down"] == "2027-01-14"
    events.clear()
    lifecycle_checks(cfg, dest, today=date(2026, 12, 4), emit=events.append, warn=warnings.append)
    assert events == []  # 41 days: outside warn_days
    with pytest.raises(LifecycleError, match="after 2027-01-06"):
        lifecycle_checks(cfg, dest, today=date(2027, 1, 7), emit=events.append, warn=warnings.append)

    # Record the champion's answers; a second recording is answered from the cache.
    golden = record_golden(root, "dataset", CFG, LifecycleConfig(), log=quiet)
    assert golden.model == champion.fine_tuned_model
    assert golden.model_shutdown_date == "2027-01-14"
    assert golden.dataset_sha256 == open_dataset(data).sha256
    assert len(golden.items) == len(first.result.items)
    assert all(item.answer for item in golden.items)
    assert golden.means["token_f1"] == pytest.approx(first.result.models["candidate"].means["token_f1"])
    stored = json.loads(s3.read_bytes(golden.uri))
    assert golden.uri.startswith(f"{dest}/registry/golden/dataset/")
    assert stored["model"] == champion.fine_tuned_model
    assert len(stored["items"]) == len(golden.items)
    before = fault_stats(emulator)["requests"]
    recorded = CliRunner().invoke(app, ["models", "record", "dataset", "--dest", dest], env={"COLUMNS": "300"})
    assert recorded.exit_code == 0, recorded.output
    assert fault_stats(emulator)["requests"] - before <= 2  # models API lookups only, no chat request
    again = latest_golden(root, "dataset")
    assert again.uri != golden.uri
    assert f"stored: {again.uri}" in recorded.output
    assert f"golden set of dataset: {champion.fine_tuned_model} on {len(golden.items)} test items" in recorded.output
    assert [i.answer for i in again.items] == [i.answer for i in golden.items]
    listed = CliRunner().invoke(app, ["models", "--dest", dest], env={"COLUMNS": "300"})
    assert f"golden set: {champion.fine_tuned_model} on {len(golden.items)} test items" in listed.output

    # The champion shuts down: it can no longer be recorded or asked.
    emulator_settings(emulator, shutdown_dates={**DEFAULT_SHUTDOWN_DATES, champion.fine_tuned_model: "2026-01-01"})
    with pytest.raises(GoldenError, match="has shut down"):
        record_golden(root, "dataset", CFG, LifecycleConfig(), log=quiet)
    refused = CliRunner().invoke(app, ["models", "record", "dataset", "--dest", dest], env={"COLUMNS": "300"})
    assert refused.exit_code == 2
    assert "answers can no longer be recorded" in refused.output
    with pytest.raises(openai.NotFoundError):
        openai.OpenAI(max_retries=0).chat.completions.create(model=champion.fine_tuned_model,
                                                             messages=[{"role": "user", "content": "hi"}])  # fmt: skip

    # A retrain (same data, another suffix) is evaluated against the base and the golden set.
    retrain = run_finetune(data, FinetuneConfig(suffix="next", poll_interval_s=0.2), Pricing(), log=quiet)
    second = run_evaluation(data, retrain.fine_tuned_model, CFG, root=root, log=quiet, local_dir=tmp_path / "{run_id}")
    result, decision = second.result, second.decision
    assert "champion" not in result.roles  # the dead champion was not asked
    assert result.champion == champion.fine_tuned_model
    assert "has shut down" in result.champion_gone
    assert result.golden.items_shared == len(result.items)
    golden_f1 = result.comparisons["golden"].metrics["token_f1"]
    assert golden_f1.n == len(result.items)
    assert decision.golden.ok
    assert decision.golden.change >= -CFG.promotion.golden_tolerance
    assert decision.outcome == "promoted", decision.reasons
    assert any(r.startswith("at parity or better with the golden set") for r in decision.reasons)
    event = read_history(root, "dataset")[-1]
    assert event.decision == "promoted"
    assert event.golden["ok"] is True
    assert event.golden["model"] == champion.fine_tuned_model
    assert event.champion_gone
    assert current_champion(root, "dataset").model == retrain.fine_tuned_model
    report = (tmp_path / result.run_id / "report.md").read_text()
    assert "at parity or better with the golden set" in report
    assert "Δ vs golden" in report

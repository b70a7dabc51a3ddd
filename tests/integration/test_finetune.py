"""The fine-tune stage against the local emulator, through the real openai SDK: one job and
one upload per file however often it is killed and rerun; faults end clearly."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openai
import pytest

from ftflow.config import FinetuneConfig, PrepareConfig, Pricing
from ftflow.tasks.prepare.stage import prepare_dataset
from ftflow.tasks.publish.versions import open_dataset
from ftflow.tasks.train.openai import FinetuneError, find_jobs, job_key, run_finetune
from ftflow.tasks.train.report import build_report
from tests.integration.conftest import fault_stats, set_faults

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def make_dataset(tmp_path: Path, seed: int, n: int = 160) -> Path:
    raw = tmp_path / f"raw-{seed}"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(n), str(raw), "--seed", str(seed)],
                   check=True, capture_output=True)  # fmt: skip
    return prepare_dataset([str(raw / "examples.jsonl")], tmp_path / f"ds-{seed}", PrepareConfig()).out_dir


def client() -> openai.OpenAI:
    return openai.OpenAI(max_retries=8)


def files_named(c: openai.OpenAI, dataset_dir: Path) -> dict[str, int]:
    sha = open_dataset(dataset_dir).training_sha256[:16]
    counts: dict[str, int] = {}
    for f in c.files.list(purpose="fine-tune"):
        if f.filename.startswith(f"ftflow-{sha}-"):
            split = f.filename.split("-")[2]
            counts[split] = counts.get(split, 0) + 1
    return counts


def quiet(*_: object) -> None:
    return None


def test_finetune_succeeds_with_model_metrics_curve_and_token_check(emulator, tmp_path):
    ds = make_dataset(tmp_path, seed=11)
    cfg = FinetuneConfig(suffix="e2e", seed=3, poll_interval_s=0.2)
    outcome = run_finetune(ds, cfg, Pricing(), client=client(), log=quiet)
    assert outcome.status == "succeeded"
    assert outcome.fine_tuned_model.startswith("ft:gpt-4o-mini-2024-07-18:")
    assert outcome.fine_tuned_model.split(":")[3] == "e2e"
    job = client().fine_tuning.jobs.retrieve(outcome.job_id)
    assert job.method.supervised.hyperparameters.n_epochs >= 1
    report = build_report(client(), job, outcome.estimated_tokens, tmp_path / "report")
    # Our estimate before paying equals what the emulator (independent code, the cookbook's
    # counting) reports as trained; the real API may differ slightly.
    assert report.trained_tokens == outcome.estimated_tokens
    assert report.checkpoints
    assert {"train_loss", "valid_loss"} <= set(report.final_metrics)
    assert (tmp_path / "report" / "loss_curve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_running_again_reattaches_instead_of_paying_twice(emulator, tmp_path):
    ds = make_dataset(tmp_path, seed=12)
    cfg = FinetuneConfig(suffix="again", poll_interval_s=0.2)
    first = run_finetune(ds, cfg, Pricing(), client=client(), log=quiet)
    second = run_finetune(ds, cfg, Pricing(), client=client(), log=quiet)
    assert second.reattached
    assert second.job_id == first.job_id
    assert second.fine_tuned_model == first.fine_tuned_model
    assert (
        len(
            find_jobs(
                client(),
                job_key(open_dataset(ds).training_sha256, cfg.model_copy(update={"model": "gpt-4o-mini-2024-07-18"})),
            )
        )
        == 1
    )
    assert files_named(client(), ds) == {"train": 1, "validation": 1}


def _ftflow_finetune(ds: Path, suffix: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "ftflow.cli", "finetune", str(ds), "--suffix", suffix, "--report-dir", str(ds / "r")]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ))


def _wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached")


@pytest.mark.parametrize("moment", ["after_upload", "after_create", "while_polling"])
def test_kill_9_at_any_moment_then_rerun_gives_one_upload_per_file_and_one_job(emulator, tmp_path, moment):
    ds = make_dataset(tmp_path, seed={"after_upload": 21, "after_create": 22, "while_polling": 23}[moment])
    c = client()
    key = job_key(open_dataset(ds).training_sha256, FinetuneConfig(suffix=moment, model="gpt-4o-mini-2024-07-18"))
    if moment == "after_upload":
        set_faults(emulator, latency_ms=400)  # widen the window between the uploads and the job
    proc = _ftflow_finetune(ds, moment)
    try:
        if moment == "after_upload":
            _wait_for(lambda: "train" in files_named(c, ds))
        elif moment == "after_create":
            _wait_for(lambda: bool(find_jobs(c, key)))
        else:
            _wait_for(lambda: bool(find_jobs(c, key)) and find_jobs(c, key)[0].status == "running")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        set_faults(emulator, latency_ms=0)
    assert proc.returncode == -signal.SIGKILL
    if moment == "after_upload":
        assert not find_jobs(c, key)  # killed before the job existed
    rerun = subprocess.run([sys.executable, "-m", "ftflow.cli", "finetune", str(ds), "--suffix", moment],
                           capture_output=True, text=True, timeout=300)  # fmt: skip
    assert rerun.returncode == 0, rerun.stderr
    assert "fine-tuned model: ft:gpt-4o-mini-2024-07-18:" in rerun.stdout
    assert len(find_jobs(c, key)) == 1
    assert files_named(c, ds) == {"train": 1, "validation": 1}


def test_429_storm_and_500s_still_complete(emulator, tmp_path):
    ds = make_dataset(tmp_path, seed=31)
    before = fault_stats(emulator)
    # a guaranteed burst first (next_*), then a seeded storm
    set_faults(emulator, next_429=3, next_500=2, rate_429=0.3, rate_500=0.1, retry_after=0.05, seed=5)
    try:
        outcome = run_finetune(
            ds, FinetuneConfig(suffix="storm", poll_interval_s=0.2), Pricing(), client=client(), log=quiet
        )
        after = fault_stats(emulator)
    finally:
        set_faults(emulator, rate_429=0.0, rate_500=0.0)
    assert outcome.status == "succeeded"
    assert after["injected_429"] - before["injected_429"] >= 3, after
    assert after["injected_500"] - before["injected_500"] >= 2, after


def test_training_failure_is_reported_and_not_resubmitted_without_consent(emulator, tmp_path):
    ds = make_dataset(tmp_path, seed=41)
    cfg = FinetuneConfig(suffix="fails", poll_interval_s=0.2)
    set_faults(emulator, fail_next_training=1)
    outcome = run_finetune(ds, cfg, Pricing(), client=client(), log=quiet)
    assert outcome.status == "failed"
    assert outcome.error
    with pytest.raises(FinetuneError, match=r"already ran as ftjob-\S+ and ended failed: .*--resubmit"):
        run_finetune(ds, cfg, Pricing(), client=client(), log=quiet)
    retried = run_finetune(ds, cfg.model_copy(update={"resubmit_failed": True}), Pricing(), client=client(), log=quiet)
    assert retried.status == "succeeded"
    assert retried.job_id != outcome.job_id


def test_file_validation_failure_gives_openai_message(emulator, tmp_path):
    ds = make_dataset(tmp_path, seed=42)
    set_faults(emulator, fail_next_validation=1)
    outcome = run_finetune(
        ds, FinetuneConfig(suffix="badfile", poll_interval_s=0.2), Pricing(), client=client(), log=quiet
    )
    assert outcome.status == "failed"
    job = client().fine_tuning.jobs.retrieve(outcome.job_id)
    assert job.error.message == outcome.error
    assert job.error.code


def test_validation_error_4xx_is_reported_word_for_word(emulator, tmp_path):
    ds = make_dataset(tmp_path, seed=43)
    with pytest.raises(FinetuneError, match=r"OpenAI API HTTP 4\d\d: .*gpt-no-such-model"):
        run_finetune(ds, FinetuneConfig(model="gpt-no-such-model"), Pricing(), client=client(), log=quiet)


def test_budget_guard_and_dry_run_send_nothing(emulator, tmp_path):
    ds = make_dataset(tmp_path, seed=44)
    with pytest.raises(FinetuneError, match=r"above --max-cost \$0\.00; nothing was submitted"):
        run_finetune(ds, FinetuneConfig(max_cost_usd=0.0), Pricing(), client=client(), log=quiet)
    lines: list[str] = []
    dry = run_finetune(ds, FinetuneConfig(), Pricing(), client=client(), dry_run=True, log=lines.append)
    assert dry.status == "dry-run"
    assert any("nothing sent" in line for line in lines)
    assert files_named(client(), ds) == {}


def test_large_files_go_through_the_uploads_api_once(emulator, tmp_path):
    from ftflow.tasks.train.openai import upload_once

    ds = make_dataset(tmp_path, seed=45)
    dataset = open_dataset(ds)
    c = client()
    first = upload_once(c, dataset.file("train"), dataset.training_sha256, "train", threshold_bytes=1)
    again = upload_once(c, dataset.file("train"), dataset.training_sha256, "train", threshold_bytes=1)
    assert first == again
    f = c.files.retrieve(first)
    assert f.bytes == dataset.file("train").stat().st_size
    assert c.files.content(first).read() == dataset.file("train").read_bytes()
    assert files_named(c, ds) == {"train": 1}

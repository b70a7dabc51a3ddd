"""Cheaper, truer evaluation against the emulator through the real openai SDK: the Batch API gives
the same scores as online requests at half the price; a batch that expires part-way is finished by
the next run; a crashed wait reattaches to its batch; use_checkpoint best evaluates the checkpoint
with the lowest validation loss and the report says which."""

import subprocess
import sys
from pathlib import Path

import httpx
import openai
import pytest

from ftflow.batch_runner import BatchError
from ftflow.config import EvaluateConfig, FinetuneConfig, PrepareConfig, Pricing, PromotionRule
from ftflow.store import Root
from ftflow.tasks.evaluate.stage import run_evaluation
from ftflow.tasks.prepare.stage import prepare_dataset
from ftflow.tasks.train.openai import run_finetune

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
CFG = EvaluateConfig(requests_per_minute=6000, tokens_per_minute=10_000_000, bootstrap_resamples=1000, max_items=16,
                     batch_poll_interval_s=0.1, promotion=PromotionRule(primary="token_f1"))  # fmt: skip
BATCH = CFG.model_copy(update={"mode": "batch"})


def quiet(*_: object) -> None:
    return None


def emulator_settings(base_url: str, **values: object) -> None:
    httpx.post(base_url.rsplit("/v1", 1)[0] + "/_emulator/settings", json=values, timeout=10).raise_for_status()


@pytest.fixture
def batch_clock(emulator):
    emulator_settings(emulator, batch_seconds=0.2)
    yield emulator
    emulator_settings(emulator, batch_seconds=1.0, batch_max_requests=0)


@pytest.fixture(scope="module")
def tuned(emulator, tmp_path_factory) -> tuple[Path, str, str]:
    """A prepared dataset (with a validation split) and an 8-epoch fine-tune of it: late epochs overfit."""
    tmp = tmp_path_factory.mktemp("modes-data")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "300", str(tmp / "raw"), "--seed", "62"],
                   check=True, capture_output=True)  # fmt: skip
    ds = prepare_dataset([str(tmp / "raw" / "examples.jsonl")], tmp / "ds", PrepareConfig()).out_dir
    outcome = run_finetune(ds, FinetuneConfig(suffix="modes", n_epochs=8, seed=5, poll_interval_s=0.2), Pricing(),
                           log=quiet)  # fmt: skip
    assert outcome.status == "succeeded"
    assert "validation" in outcome.uploads
    return ds, outcome.fine_tuned_model, outcome.job_id


def test_batch_mode_scores_exactly_as_online_at_half_the_price(tuned, tmp_path, batch_clock):
    ds, model, job = tuned
    logs: list[str] = []
    online = run_evaluation(ds, model, CFG, root=Root(tmp_path / "online"), job_id=job, log=quiet)
    batch = run_evaluation(ds, model, BATCH, root=Root(tmp_path / "batch"), job_id=job, log=logs.append)
    a, b = online.result, batch.result
    assert (a.mode, b.mode) == ("online", "batch")
    assert b.stats["cached"] == 0  # a fresh root: every answer came through the batch
    # Identical requests later (another root, a retry) reattach to this completed batch: paid once.
    assert [i.answers for i in a.items] == [i.answers for i in b.items]
    assert [i.metrics for i in a.items] == [i.metrics for i in b.items]
    assert {r: m.means for r, m in a.models.items()} == {r: m.means for r, m in b.models.items()}
    assert a.comparisons == b.comparisons
    assert online.decision.outcome == batch.decision.outcome == "promoted"
    assert b.failed_items == 0
    assert [x["status"] for x in b.batches] == ["completed"]
    assert b.batches[0]["request_counts"]["completed"] == 2 * len(b.items)  # candidate + base in one batch
    assert a.cost.usd > 0
    assert b.cost.usd == pytest.approx(a.cost.usd * 0.5, abs=1e-4)
    assert b.cost.estimated_usd == pytest.approx(a.cost.estimated_usd * 0.5, abs=1e-4)
    assert any("through the Batch API" in line for line in logs)
    report = Path(batch.report.files["report.md"]).read_text() if "report.md" in batch.report.files else ""
    report = report or (tmp_path / "batch" / "runs" / b.run_id / "eval" / "report.md").read_text()
    assert "mode: batch (Batch API, 50% off" in report
    assert f"`{b.batches[0]['id']}` (completed)" in report


def test_expired_requests_are_reported_then_sent_again_by_the_next_run(tuned, tmp_path, batch_clock):
    ds, model, job = tuned
    root = Root(tmp_path)
    emulator_settings(batch_clock, batch_max_requests=10)
    cfg = BATCH.model_copy(update={"max_items": 14})  # other requests than the other tests' (no batch to reuse)
    first = run_evaluation(ds, model, cfg, root=root, job_id=job, log=quiet, record=False)
    assert first.result.batches[0]["status"] == "expired"
    failed = [e for item in first.result.items for e in item.errors.values()]
    assert len(failed) == 2 * len(first.result.items) - 10
    assert all(e.startswith("batch_expired: ") for e in failed)
    emulator_settings(batch_clock, batch_max_requests=0)
    second = run_evaluation(ds, model, cfg, root=root, job_id=job, log=quiet, record=False)
    assert second.result.failed_items == 0
    assert second.result.stats["cached"] == 10  # only the expired requests went into the new batch
    assert second.result.batches[0]["request_counts"]["total"] == len(failed)


def test_a_wait_cut_short_reattaches_to_its_batch_instead_of_paying_twice(tuned, tmp_path, batch_clock):
    ds, model, job = tuned
    root = Root(tmp_path)
    emulator_settings(batch_clock, batch_seconds=1.5)
    cfg = BATCH.model_copy(update={"max_items": 12})
    with pytest.raises(BatchError, match="run again to reattach") as info:
        run_evaluation(ds, model, cfg.model_copy(update={"batch_timeout_s": 0.05}), root=root, job_id=job,
                       log=quiet, record=False)  # fmt: skip
    assert info.value.transient
    client = openai.OpenAI()
    before = [b.id for b in client.batches.list(limit=100)]
    logs: list[str] = []
    again = run_evaluation(ds, model, cfg, root=root, job_id=job, log=logs.append, record=False)
    assert [b.id for b in client.batches.list(limit=100)] == before  # no new batch
    assert again.result.batches[0]["id"] == before[0]
    assert any(line.startswith(f"reattaching to batch {before[0]}") for line in logs)
    assert again.result.failed_items == 0


def test_use_checkpoint_best_evaluates_the_lowest_validation_loss(tuned, tmp_path):
    ds, model, job = tuned
    checkpoints = list(openai.OpenAI().fine_tuning.jobs.checkpoints.list(job, limit=100))
    assert len(checkpoints) == 3  # OpenAI keeps the last three epochs
    losses = {c.step_number: c.metrics.full_valid_loss for c in checkpoints}
    best_step = min(losses, key=lambda s: (losses[s], -s))
    assert best_step != max(losses)  # 8 epochs overfit: an earlier epoch is best (this seed)
    expected = next(c.fine_tuned_model_checkpoint for c in checkpoints if c.step_number == best_step)

    cfg = CFG.model_copy(update={"use_checkpoint": "best"})
    outcome = run_evaluation(ds, model, cfg, root=Root(tmp_path), job_id=job, log=quiet)
    chosen = outcome.result.checkpoint
    assert outcome.result.candidate == expected
    assert chosen["step"] == best_step
    assert chosen["valid_loss"] == pytest.approx(losses[best_step])
    assert chosen["metric"] == "full_valid_loss"
    assert chosen["final_model"] == model
    assert outcome.result.failed_items == 0  # the checkpoint model answers like any model
    report = (tmp_path / "runs" / outcome.result.run_id / "eval" / "report.md").read_text()
    assert f"Candidate checkpoint: checkpoint {expected} (step {best_step}) has the lowest full_valid_loss" in report

    final = run_evaluation(ds, model, CFG, root=Root(tmp_path / "final"), job_id=job, log=quiet)
    assert final.result.candidate == model  # 'final' stays the default
    assert final.result.checkpoint is None

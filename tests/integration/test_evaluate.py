"""The evaluation stage against the local OpenAI emulator and a real S3 server: a tuned model
is promoted over its base, a worse candidate is then rejected against it, a rerun is answered
from the cache (no chat request at all), 429/500 storms are survived, and inside a flow the
report becomes Prefect artifacts."""

import asyncio
import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ftflow import s3
from ftflow.config import EvaluateConfig, FinetuneConfig, PrepareConfig, Pricing, PromotionRule
from ftflow.store import Root
from ftflow.tasks.evaluate.evaluation import EvaluationError, default_run_id, evaluate_models
from ftflow.tasks.evaluate.registry import current_champion, read_history
from ftflow.tasks.prepare.stage import prepare_dataset
from ftflow.tasks.publish.versions import open_dataset
from ftflow.tasks.train.openai import run_finetune
from tests.integration.conftest import fault_stats, set_faults

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
CFG = EvaluateConfig(requests_per_minute=6000, tokens_per_minute=10_000_000, bootstrap_resamples=1000,
                     promotion=PromotionRule(primary="token_f1", guards={"rouge_l": 0.02, "refusal": 0.01}))  # fmt: skip
WORSE = "gpt-4.1-mini"  # a plain base model: generic answers, so clearly worse than a tuned champion


def quiet(*_: object) -> None:
    return None


@pytest.fixture(scope="module")
def tuned(emulator, tmp_path_factory) -> tuple[Path, str]:
    """A prepared dataset (≈ 25 test items) and a model fine-tuned on it in the emulator."""
    tmp = tmp_path_factory.mktemp("eval-data")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "300", str(tmp / "raw"), "--seed", "61"],
                   check=True, capture_output=True)  # fmt: skip
    ds = prepare_dataset([str(tmp / "raw" / "examples.jsonl")], tmp / "ds", PrepareConfig()).out_dir
    outcome = run_finetune(ds, FinetuneConfig(suffix="evalgood", poll_interval_s=0.2), Pricing(), log=quiet)
    assert outcome.status == "succeeded"
    return ds, outcome.fine_tuned_model


def keys_under(uri: str) -> list[str]:
    return sorted(o.uri[len(uri) :] for o in s3.list_objects(uri))


def test_champion_promoted_then_worse_candidate_rejected_with_reports_in_s3(tuned, dest, tmp_path):
    from ftflow.tasks.evaluate.stage import run_evaluation

    ds, model = tuned
    root = Root(dest)
    first = run_evaluation(ds, model, CFG, root=root, local_dir=tmp_path / "{run_id}", log=quiet)
    assert first.decision.outcome == "promoted", first.decision.reasons
    assert first.decision.reference_role == "base"
    assert first.result.roles == {"candidate": model, "base": "gpt-4o-mini-2024-07-18"}
    assert first.result.failed_items == 0
    f1 = first.result.comparisons["base"].metrics["token_f1"]
    assert f1.ci_low > 0
    assert first.newly_recorded
    assert current_champion(root, "dataset").model == model

    run = s3.join(dest, "runs", first.result.run_id, "eval") + "/"
    stored = keys_under(run)
    assert {"eval.json", "report.md", "eval_chart.png"} <= set(stored)
    assert any(k.startswith("cache/") and k.endswith(".jsonl") for k in stored)
    report = s3.read_bytes(run + "report.md").decode()
    assert "## Decision: PROMOTED" in report
    assert "| token_f1 ↑ |" in report
    assert "## Where the candidate did worst" in report
    stored_json = json.loads(s3.read_bytes(run + "eval.json"))
    assert stored_json["decision"]["outcome"] == "promoted"
    assert len(stored_json["items"]) == len(first.result.items) > 10
    assert s3.read_bytes(run + "eval_chart.png")[:8] == b"\x89PNG\r\n\x1a\n"
    local = tmp_path / first.result.run_id
    assert json.loads((local / "eval.json").read_text())["run_id"] == first.result.run_id
    assert (local / "report.md").read_text() == report
    (event_key,) = keys_under(s3.join(dest, "registry") + "/")
    assert event_key.startswith("events/")
    assert event_key.endswith(".json")

    second = run_evaluation(ds, WORSE, CFG, root=root, log=quiet)
    assert second.result.roles["champion"] == model
    assert second.decision.reference_role == "champion"
    assert second.decision.outcome == "rejected"
    assert second.decision.change < 0
    assert second.decision.ci_high < 0  # clearly worse, not just unproven
    assert set(second.result.comparisons) == {"champion", "base"}
    history = read_history(root, "dataset")
    assert [(e.model, e.decision) for e in history] == [(model, "promoted"), (WORSE, "rejected")]
    assert history[0].job_id
    assert history[0].job_id.startswith("ftjob-")
    assert current_champion(root, "dataset").model == model

    from typer.testing import CliRunner

    from ftflow.cli import app

    listed = CliRunner().invoke(app, ["models", "--dest", dest], env={"COLUMNS": "300"})
    assert listed.exit_code == 0, listed.output
    assert f"champion of dataset: {model}" in listed.output
    assert WORSE in listed.output


def test_rerun_from_the_command_line_is_answered_from_the_cache(tuned, dest, emulator):
    from ftflow.tasks.evaluate.stage import run_evaluation

    ds, model = tuned
    root = Root(dest)
    cfg = CFG.model_copy(update={"max_items": 12})
    first = run_evaluation(ds, model, cfg, root=root, job_id="ftjob-given", log=quiet)
    assert first.result.stats["requests"] >= 24
    before = fault_stats(emulator)["requests"]
    cmd = [sys.executable, "-m", "ftflow.cli", "evaluate", str(ds), "--candidate", model, "--dest", dest,
           "--job", "ftjob-given", "--max-items", "12", "--rpm", "6000", "--tpm", "10000000"]  # fmt: skip
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert rerun.returncode == 0, rerun.stderr
    assert fault_stats(emulator)["requests"] == before  # not one request to the emulator
    assert "0 requests (0 retries), 24 cached" in rerun.stderr
    assert "UNCHANGED" in rerun.stdout  # the candidate is the champion now
    run_id = default_run_id(open_dataset(ds).sha256, model)
    beside = ds / "eval" / run_id  # the local copy, beside the dataset the run is named after
    assert json.loads((beside / "eval.json").read_text())["decision"]["outcome"] == "unchanged"
    assert (beside / "report.md").read_text().startswith(f"# Evaluation `{run_id}`")
    assert len(read_history(root)) == 1  # an unchanged champion is not recorded again


def test_429_and_500_storm_is_survived_without_failed_items(tuned, dest, emulator):
    ds, model = tuned
    # a guaranteed burst first, then a seeded storm; the retry-after is short to keep the test fast
    set_faults(emulator, next_429=3, next_500=3, rate_429=0.15, rate_500=0.15, retry_after=0.05, seed=4)
    try:
        before = fault_stats(emulator)
        result = evaluate_models(ds, model, CFG, root=Root(dest), run_id="storm", log=quiet)
        after = fault_stats(emulator)
    finally:
        set_faults(emulator, rate_429=0.0, rate_500=0.0, next_429=0, next_500=0, retry_after=1.0)
    injected_429 = after["injected_429"] - before["injected_429"]
    injected_500 = after["injected_500"] - before["injected_500"]
    assert injected_429 >= 3
    assert injected_500 >= 3
    assert result.failed_items == 0
    assert result.stats["failed"] == 0
    assert result.stats["rate_limited"] == injected_429
    assert result.stats["server_errors"] == injected_500
    assert result.stats["retries"] == injected_429 + injected_500
    assert result.stats["requests"] == after["requests"] - before["requests"]


def test_unknown_model_stops_at_once_with_openai_message(tuned, dest):
    ds, _ = tuned
    with pytest.raises(EvaluationError, match=r"gpt-no-such-model: HTTP 404: .*does not exist"):
        evaluate_models(ds, "gpt-no-such-model", CFG.model_copy(update={"base_model": "gpt-4o-mini"}),
                        root=Root(dest), log=quiet)  # fmt: skip


def test_inside_a_flow_the_report_becomes_prefect_artifacts(prefect_harness, tuned, dest):
    from prefect import flow, task
    from prefect.cache_policies import NO_CACHE
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    from ftflow.retries import task_options
    from ftflow.tasks.evaluate.promotion import decide_promotion
    from ftflow.tasks.evaluate.report import publish_report

    evaluate_models_task = task(name="evaluate-models", **task_options(600, cache_policy=NO_CACHE))(evaluate_models)
    publish_report_task = task(name="publish-eval-report", **task_options(600, cache_policy=NO_CACHE))(publish_report)

    ds, model = tuned
    root = Root(dest)

    @flow(name="evaluate-artifacts-test")
    def evaluate_flow() -> list[str]:
        result = evaluate_models_task(str(ds), model, CFG.model_copy(update={"max_items": 6}), root=root, log=quiet)
        decision = decide_promotion(result, CFG.promotion)
        return publish_report_task(result, decision, root).artifacts

    state = evaluate_flow(return_state=True)
    assert state.is_completed(), state.message
    assert len(state.result()) == 3

    async def artifacts():
        async with get_client() as client:
            flow_run_id = state.state_details.flow_run_id
            return await client.read_artifacts(
                artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
            )

    found = {a.key: a for a in asyncio.run(artifacts())}
    assert set(found) == {"evaluation-report", "evaluation-metrics", "evaluation-chart"}
    assert "## Decision:" in found["evaluation-report"].data
    chart = found["evaluation-chart"].data
    # The PNG itself (a data: URI): the artifact shows it as long as it exists, no link to expire.
    assert chart.startswith("data:image/png;base64,")
    stored = [u for u in root.list("runs") if u.endswith("/eval/eval_chart.png")]
    assert stored
    assert base64.b64decode(chart.split(",", 1)[1]) == root.get(stored[-1])
    assert f"]({chart})" in found["evaluation-report"].data
    assert re.search(r'\[eval.json\]\(\S+ "s3://\S+/eval/eval.json"\)', found["evaluation-report"].data)

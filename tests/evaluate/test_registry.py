"""The promotion rule's edge cases, the append-only registry (local directory format, the same
as in S3), the answer cache's segments, and `ftflow models`."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import numpy as np
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from ftflow.chat_runner import AnswerCache
from ftflow.cli import app
from ftflow.config import EvaluateConfig, PromotionRule
from ftflow.store import LOCAL_DEFAULT, Root, dataset_location, resolve_root
from ftflow.tasks.evaluate.evaluation import Comparison, MetricDiff
from ftflow.tasks.evaluate.metrics import compare
from ftflow.tasks.evaluate.promotion import apply_rule
from ftflow.tasks.evaluate.registry import (
    RegistryError,
    RegistryEvent,
    already_recorded,
    champions,
    current_champion,
    read_history,
    record_event,
)

BASE, CHAMP, CAND = (
    "gpt-4o-mini-2024-07-18",
    "ft:gpt-4o-mini-2024-07-18:org:old:1",
    "ft:gpt-4o-mini-2024-07-18:org:new:2",
)


def diff(metric, d, low, high, higher=True, cand=0.5):
    return MetricDiff(metric=metric, higher_is_better=higher, candidate=cand, reference=cand - d, diff=d, ci_low=low,
                      ci_high=high, n=100)  # fmt: skip


def comparison(role="champion", **metrics):
    model = CHAMP if role == "champion" else BASE
    return Comparison(reference_role=role, reference_model=model, metrics={m: d for m, d in metrics.items()})


RULE = PromotionRule(primary="token_f1", guards={"rouge_l": 0.02, "refusal": 0.01})


# --- promotion rule --------------------------------------------------------------------------


def test_first_run_promotes_over_the_base_model_when_the_interval_is_above_zero():
    c = comparison("base", token_f1=diff("token_f1", 0.12, 0.08, 0.16), rouge_l=diff("rouge_l", 0.05, 0.02, 0.08),
                   refusal=diff("refusal", 0.0, 0.0, 0.0, higher=False))  # fmt: skip
    d = apply_rule(c, RULE, candidate=CAND, champion=None)
    assert d.outcome == "promoted"
    assert d.promoted
    assert d.reference_role == "base"
    assert d.reference_model == BASE
    assert d.previous_champion is None
    assert (d.change, d.ci_low, d.ci_high) == (0.12, 0.08, 0.16)
    assert "over the base" in d.reasons[0]


def test_better_mean_but_interval_crossing_zero_is_rejected():
    c = comparison(token_f1=diff("token_f1", 0.03, -0.01, 0.07), rouge_l=diff("rouge_l", 0.0, -0.01, 0.01))
    d = apply_rule(c, RULE, candidate=CAND, champion=CHAMP)
    assert d.outcome == "rejected"
    assert any("lower bound is not above 0" in r for r in d.reasons)


def test_lower_bound_exactly_zero_is_not_enough():
    c = comparison(token_f1=diff("token_f1", 0.03, 0.0, 0.07))
    assert apply_rule(c, RULE, candidate=CAND, champion=CHAMP).outcome == "rejected"


def test_a_tie_is_rejected():
    c = comparison(token_f1=diff("token_f1", 0.0, 0.0, 0.0), rouge_l=diff("rouge_l", 0.0, 0.0, 0.0))
    d = apply_rule(c, RULE, candidate=CAND, champion=CHAMP)
    assert d.outcome == "rejected"
    assert any("not better than the champion" in r for r in d.reasons)


def test_worse_candidate_is_rejected():
    c = comparison(token_f1=diff("token_f1", -0.2, -0.25, -0.15))
    d = apply_rule(c, RULE, candidate=CAND, champion=CHAMP)
    assert d.outcome == "rejected"
    assert d.previous_champion == CHAMP


def test_guard_regression_beyond_tolerance_blocks_promotion():
    c = comparison(token_f1=diff("token_f1", 0.1, 0.05, 0.15), rouge_l=diff("rouge_l", -0.03, -0.05, -0.01))
    d = apply_rule(c, RULE, candidate=CAND, champion=CHAMP)
    assert d.outcome == "rejected"
    (guard,) = [g for g in d.guards if g.metric == "rouge_l"]
    assert not guard.ok
    assert guard.change == pytest.approx(-0.03)
    assert any("guard rouge_l regressed by 0.0300 (tolerance 0.02)" in r for r in d.reasons)


def test_guard_regression_within_tolerance_is_allowed():
    c = comparison(token_f1=diff("token_f1", 0.1, 0.05, 0.15), rouge_l=diff("rouge_l", -0.02, -0.04, 0.0))
    assert apply_rule(c, RULE, candidate=CAND, champion=CHAMP).outcome == "promoted"


def test_lower_is_better_guard_is_turned_the_right_way():
    # refusal rate up by 0.02 (worse) with tolerance 0.01
    worse = comparison(token_f1=diff("token_f1", 0.1, 0.05, 0.15), refusal=diff("refusal", 0.02, 0.0, 0.04, False))
    d = apply_rule(worse, RULE, candidate=CAND, champion=CHAMP)
    assert d.outcome == "rejected"
    assert [g.change for g in d.guards] == [pytest.approx(-0.02)]
    fewer = comparison(token_f1=diff("token_f1", 0.1, 0.05, 0.15), refusal=diff("refusal", -0.05, -0.08, -0.02, False))
    assert apply_rule(fewer, RULE, candidate=CAND, champion=CHAMP).outcome == "promoted"


def test_lower_is_better_primary_metric():
    rule = PromotionRule(primary="refusal", guards={})
    fewer = comparison(refusal=diff("refusal", -0.1, -0.15, -0.05, higher=False))
    d = apply_rule(fewer, rule, candidate=CAND, champion=CHAMP)
    assert d.outcome == "promoted"
    assert (d.change, d.ci_low, d.ci_high) == (pytest.approx(0.1), pytest.approx(0.05), pytest.approx(0.15))


def test_min_improvement_raises_the_bar():
    c = comparison(token_f1=diff("token_f1", 0.04, 0.01, 0.07))
    assert apply_rule(c, PromotionRule(guards={}), candidate=CAND, champion=CHAMP).promoted
    rule = PromotionRule(guards={}, min_improvement=0.02)
    assert apply_rule(c, rule, candidate=CAND, champion=CHAMP).outcome == "rejected"


def test_failed_items_block_promotion():
    c = comparison(token_f1=diff("token_f1", 0.1, 0.05, 0.15))
    d = apply_rule(c, RULE, candidate=CAND, champion=CHAMP, failed_items=1)
    assert d.outcome == "rejected"
    assert "1 test items have no answer" in d.reasons[0]
    rule = PromotionRule(guards={}, max_failed_items=1)
    assert apply_rule(c, rule, candidate=CAND, champion=CHAMP, failed_items=1).promoted


def test_the_champion_itself_is_unchanged():
    c = comparison("base", token_f1=diff("token_f1", 0.1, 0.05, 0.15))
    d = apply_rule(c, RULE, candidate=CHAMP, champion=CHAMP)
    assert d.outcome == "unchanged"


def test_guards_without_a_comparison_are_skipped_and_missing_primary_rejects():
    rule = PromotionRule(primary="judge", guards={"judge": 0.0, "rouge_l": 0.02})
    c = comparison(rouge_l=diff("rouge_l", 0.0, -0.01, 0.01))
    d = apply_rule(c, rule, candidate=CAND, champion=CHAMP)
    assert [g.metric for g in d.guards] == ["rouge_l"]
    assert d.outcome == "rejected"
    assert "no judge comparison" in d.reasons[0]


def test_rule_on_bootstrapped_item_scores():
    """End to end through compare(): a consistent small gain passes, noise does not."""
    rng = np.random.default_rng(0)
    ref = rng.uniform(0, 1, 300)
    gain = {"token_f1": np.clip(ref + 0.05 + rng.normal(0, 0.05, 300), 0, 1)}
    noise = {"token_f1": np.clip(ref + rng.normal(0, 0.3, 300), 0, 1)}
    for cand, expected in ((gain, "promoted"), (noise, "rejected")):
        diffs = compare(cand, {"token_f1": ref})
        c = Comparison(reference_role="base", reference_model=BASE,
                       metrics={k: MetricDiff(**vars(v)) for k, v in diffs.items()})  # fmt: skip
        assert apply_rule(c, PromotionRule(guards={}), candidate=CAND).outcome == expected


def test_config_validates_guards_and_judge_primary():
    with pytest.raises(ValidationError, match="unknown guard metric"):
        PromotionRule(guards={"bleu": 0.1})
    with pytest.raises(ValidationError, match="must not be negative"):
        PromotionRule(guards={"rouge_l": -0.1})
    with pytest.raises(ValidationError, match="needs judge_model"):
        EvaluateConfig(promotion=PromotionRule(primary="judge"))
    assert EvaluateConfig(judge_model="gpt-4o", promotion=PromotionRule(primary="judge")).judge_model == "gpt-4o"


# --- registry ----------------------------------------------------------------------------------


def event(model, decision, name="support", run_id="r1", reference=BASE, sha="a" * 64):
    return RegistryEvent(event_id="", recorded_at="", name=name, dataset_sha256=sha, dataset_uri="ds", job_id="ftjob-1",
                         model=model, base_model=BASE, reference_role="base", reference_model=reference,
                         previous_champion=None, run_id=run_id, run_uri="runs/r1/eval", primary="token_f1",
                         metrics={"token_f1": {"candidate": 0.3, "reference": 0.2, "diff": 0.1, "ci_low": 0.05,
                                               "ci_high": 0.15, "n": 100}},
                         decision=decision, reasons=["because"])  # fmt: skip


def test_history_is_append_only_and_the_champion_is_the_latest_promotion(tmp_path):
    root = Root(tmp_path)
    assert current_champion(root, "support") is None
    first = record_event(root, event(CHAMP, "promoted", run_id="r1"))
    record_event(root, event(CAND, "rejected", run_id="r2", reference=CHAMP))
    record_event(root, event("ft:other", "promoted", name="billing", run_id="r3"))
    history = read_history(root)
    assert [e.model for e in history] == [CHAMP, CAND, "ft:other"]
    assert [e.name for e in read_history(root, "support")] == ["support", "support"]
    assert current_champion(root, "support").model == CHAMP  # a rejection changes nothing
    assert current_champion(root, "support").event_id == first.event_id
    assert {n: e.model for n, e in champions(history).items()} == {"support": CHAMP, "billing": "ft:other"}
    later = record_event(root, event(CAND, "promoted", run_id="r4", reference=CHAMP))
    assert current_champion(root, "support").model == CAND
    assert later.recorded_at > first.recorded_at
    files = sorted(p.name for p in (tmp_path / "registry" / "events").iterdir())
    assert len(files) == 4
    assert files == sorted(files)
    on_disk = json.loads((tmp_path / "registry" / "events" / files[0]).read_text())
    assert on_disk["event_id"] == first.event_id
    assert on_disk["decision"] == "promoted"
    assert set(on_disk) >= {"recorded_at", "dataset_sha256", "job_id", "model", "metrics", "decision"}


def test_concurrent_writers_never_overwrite_each_other(tmp_path):
    root = Root(tmp_path)
    now = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)  # the very same timestamp for all
    with ThreadPoolExecutor(8) as pool:
        written = list(pool.map(lambda i: record_event(root, event(f"ft:m{i}", "promoted"), now=now), range(40)))
    assert len({e.event_id for e in written}) == 40
    assert len(read_history(root)) == 40


def test_unreadable_event_is_an_error_and_foreign_files_are_ignored(tmp_path):
    root = Root(tmp_path)
    record_event(root, event(CHAMP, "promoted"))
    (tmp_path / "registry" / "events" / "README.txt").write_text("not an event")
    assert len(read_history(root)) == 1
    (tmp_path / "registry" / "events" / "20990101T000000.000000Z-deadbeef.json").write_text("{broken")
    with pytest.raises(RegistryError, match="not a valid registry event"):
        read_history(root)


def test_a_rerun_of_the_same_evaluation_is_recognised():
    history = [event(CHAMP, "promoted", run_id="r1")]
    assert already_recorded(history, event(CHAMP, "promoted", run_id="r1")) is history[0]
    assert already_recorded(history, event(CHAMP, "rejected", run_id="r1")) is None
    assert already_recorded(history, event(CHAMP, "promoted", run_id="r1", reference=CAND)) is None


# --- storage root and answer cache ----------------------------------------------------------------


def test_local_root_put_get_list(tmp_path):
    root = Root(tmp_path / "dest")
    assert root.get("runs/x/a.json") is None
    assert root.list("runs") == []
    root.put("runs/x/a.json", b"1")
    root.put("runs/x/sub/b.json", b"2")
    assert root.get("runs/x/a.json") == b"1"
    assert root.list("runs/x") == ["runs/x/a.json", "runs/x/sub/b.json"]
    assert root.run("r7", "report.md") == "runs/r7/eval/report.md"
    assert root.url("runs/x/a.json").startswith("file://")


def test_where_runs_and_the_registry_live(monkeypatch):
    monkeypatch.delenv("FTFLOW_BUCKET", raising=False)
    version = "s3://bkt/team/datasets/support/" + "b" * 64
    assert dataset_location(version) == ("s3://bkt/team", "support")
    assert dataset_location("/data/ds") == (None, None)
    assert resolve_root("s3://given/x", version).root == "s3://given/x"
    assert resolve_root(None, version).root == "s3://bkt/team"
    assert resolve_root(None, "/data/ds").root.endswith(LOCAL_DEFAULT)
    monkeypatch.setenv("FTFLOW_BUCKET", "envbucket")
    assert resolve_root(None, "/data/ds").root == "s3://envbucket"
    assert resolve_root(None, version).root == "s3://bkt/team"  # the dataset's own root comes first


def test_answer_cache_segments_round_trip(tmp_path):
    root = Root(tmp_path)
    cache = AnswerCache(root, "runs/r/eval/cache", flush_every=2)
    for i in range(5):
        cache.add({"key": f"k{i}", "content": f"answer {i}"})
    cache.flush()
    segments = root.list("runs/r/eval/cache")
    assert len(segments) == 3
    assert all(s.endswith(".jsonl") for s in segments)
    fresh = AnswerCache(root, "runs/r/eval/cache")
    assert fresh.load() == 5
    assert fresh.get("k3")["content"] == "answer 3"
    assert fresh.get("nope") is None
    fresh.flush()  # nothing pending: no empty segment
    assert len(root.list("runs/r/eval/cache")) == 3


# --- ftflow models ---------------------------------------------------------------------------------


def test_models_command_lists_history_and_champion(tmp_path):
    root = Root(tmp_path)
    runner = CliRunner()
    empty = runner.invoke(app, ["models", "--dest", str(tmp_path)])
    assert empty.exit_code == 0
    assert "no evaluations recorded" in empty.output
    record_event(root, event(CHAMP, "promoted", run_id="r1"))
    record_event(root, event(CAND, "rejected", run_id="r2", reference=CHAMP))
    result = runner.invoke(app, ["models", "--dest", str(tmp_path)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "rejected" in result.output
    assert "promoted" in result.output
    assert f"{CHAMP} ★" in result.output
    assert f"champion of support: {CHAMP}" in result.output
    assert "+0.100 [+0.050, +0.150]" in result.output

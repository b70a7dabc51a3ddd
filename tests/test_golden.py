"""Parity with a golden set (the promotion rule's continuity check), the golden set's storage in a
local registry root, and the evaluation scoring golden answers with the evaluation's own metrics."""

import json
from datetime import UTC, datetime

import numpy as np
import pytest

from ftflow.config import EvaluateConfig, PromotionRule
from ftflow.store import Root
from ftflow.tasks.evaluate.evaluation import Comparison, EvalResult, GoldenInfo, MetricDiff, score_texts
from ftflow.tasks.evaluate.evaluation import TestItem as Item
from ftflow.tasks.evaluate.golden import GoldenError, GoldenItem, GoldenSet, golden_prefix, latest_golden
from ftflow.tasks.evaluate.promotion import decide_promotion

BASE, CHAMP, CAND = "gpt-4o-mini-2024-07-18", "ft:gpt-4o-mini-2024-07-18:o:old:1", "ft:gpt-4o-mini-2024-07-18:o:new:2"
RULE = PromotionRule(primary="token_f1", guards={}, golden_tolerance=0.02)


def diff(metric, d, low, high, n=50, cand=0.6):
    return MetricDiff(metric=metric, higher_is_better=metric != "refusal", candidate=cand, reference=cand - d, diff=d,
                      ci_low=low, ci_high=high, n=n)  # fmt: skip


def result(*, base_gain=(0.2, 0.1, 0.3), golden=None, gone=None, champion=CHAMP, n=50):
    comparisons = {"base": Comparison(reference_role="base", reference_model=BASE,
                                      metrics={"token_f1": diff("token_f1", *base_gain)})}  # fmt: skip
    info = None
    if golden is not None:
        comparisons["golden"] = Comparison(reference_role="golden", reference_model=CHAMP,
                                           metrics={"token_f1": diff("token_f1", *golden, n=n)})  # fmt: skip
        info = GoldenInfo(model=CHAMP, recorded_at="2026-12-01T10:00:00+00:00", dataset_sha256="a" * 64, uri="x",
                          items_shared=n)  # fmt: skip
    return EvalResult.model_construct(
        run_id="r", name="support", roles={"candidate": CAND, "base": BASE}, champion=champion, reference_role="base",
        comparisons=comparisons, items=[], golden=info, champion_gone=gone,
    )  # fmt: skip


def test_at_parity_within_tolerance_is_promoted_and_recorded_with_its_interval():
    d = decide_promotion(result(golden=(-0.015, -0.04, 0.01), gone="champion … has shut down"), RULE)
    assert d.outcome == "promoted"
    assert d.golden.ok
    assert (d.golden.change, d.golden.ci_low, d.golden.ci_high, d.golden.n) == (-0.015, -0.04, 0.01, 50)
    assert d.golden.candidate == 0.6
    assert d.golden.golden == pytest.approx(0.615)
    assert "champion … has shut down" in d.reasons
    assert any("at parity or better with the golden set of" in r and "[-0.0400, +0.0100]" in r for r in d.reasons)


def test_below_parity_rejects_even_when_the_base_is_beaten():
    d = decide_promotion(result(golden=(-0.03, -0.06, 0.0)), RULE)
    assert d.outcome == "rejected"
    assert not d.golden.ok
    assert any(r.startswith("below parity with the golden set") and "(tolerance 0.02)" in r for r in d.reasons)


def test_exactly_at_the_tolerance_is_parity():
    assert decide_promotion(result(golden=(-0.02, -0.05, 0.01)), RULE).outcome == "promoted"
    strict = RULE.model_copy(update={"golden_tolerance": 0.0})
    assert decide_promotion(result(golden=(-0.001, -0.02, 0.02)), strict).outcome == "rejected"
    assert decide_promotion(result(golden=(0.0, -0.02, 0.02)), strict).outcome == "promoted"


def test_a_golden_set_sharing_no_item_fails_parity():
    d = decide_promotion(result(golden=(float("nan"), float("nan"), float("nan")), n=0), RULE)
    assert d.outcome == "rejected"
    assert any("shares no test item" in r and "ftflow models record support" in r for r in d.reasons)


def test_parity_does_not_rescue_a_candidate_that_fails_the_main_rule():
    d = decide_promotion(result(base_gain=(0.01, -0.02, 0.04), golden=(0.05, 0.01, 0.09)), RULE)
    assert d.outcome == "rejected"
    assert d.golden.ok


def test_a_dead_champion_without_golden_set_is_said_so():
    d = decide_promotion(result(gone="champion X has shut down (shut down 2026-01-01): not asked"), RULE)
    assert d.outcome == "promoted"
    assert d.golden is None
    assert "no golden set was recorded: the candidate was compared with the base model only" in d.reasons


def test_the_champion_itself_stays_unchanged():
    d = decide_promotion(result(golden=(-0.5, -0.6, -0.4), champion=CAND), RULE)
    assert d.outcome == "unchanged"


def golden_set(name="support", model=CHAMP, answers=("a",)):
    items = [GoldenItem(id=f"i{n}", line=n + 1, question="q", reference="r", answer=a, metrics={"token_f1": 1.0})
             for n, a in enumerate(answers)]  # fmt: skip
    return GoldenSet(name=name, model=model, model_shutdown_date="2027-01-14", shutdown_source="models API",
                     dataset_uri="ds", dataset_sha256="b" * 64, recorded_at="2026-12-04T10:00:00+00:00",
                     settings={}, means={"token_f1": 1.0}, items=items)  # fmt: skip


def put(root, golden, when):
    key = f"{golden_prefix(golden.name)}/{when.strftime('%Y%m%dT%H%M%S.%fZ')}-0000abcd.json"
    root.put(key, json.dumps(golden.model_dump(mode="json")).encode())


def test_the_newest_golden_set_counts_and_the_cache_is_ignored(tmp_path):
    root = Root(tmp_path)
    assert latest_golden(root, "support") is None
    put(root, golden_set(answers=("old",)), datetime(2026, 12, 1, tzinfo=UTC))
    put(root, golden_set(answers=("new",)), datetime(2026, 12, 3, tzinfo=UTC))
    root.put(f"{golden_prefix('support')}/cache/20261209T000000.000000Z-0000abcd.jsonl", b"{}\n")
    put(root, golden_set(name="other", answers=("x",)), datetime(2026, 12, 9, tzinfo=UTC))
    found = latest_golden(root, "support")
    assert [i.answer for i in found.items] == ["new"]
    assert found.uri.endswith("20261203T000000.000000Z-0000abcd.json")
    assert found.info().answers == {"i0": "new"}


def test_a_broken_golden_set_names_its_file(tmp_path):
    root = Root(tmp_path)
    root.put(f"{golden_prefix('support')}/20261201T000000.000000Z-0000abcd.json", b"{not json")
    with pytest.raises(GoldenError, match=r"20261201T000000.000000Z-0000abcd.json is not a valid golden set"):
        latest_golden(root, "support")


def test_golden_answers_are_scored_with_the_evaluation_metrics():
    items = [Item(id="a", line=1, messages=[], reference="Open Settings and reset it", question="q"),
             Item(id="b", line=2, messages=[], reference="Visa and PayPal", question="q")]  # fmt: skip
    values = score_texts(["Open Settings and reset it", None], items, EvaluateConfig(),
                         lambda texts: np.array([len(t.split()) for t in texts]))  # fmt: skip
    assert values["exact_match"][0] == 1.0
    assert values["token_f1"][0] == 1.0
    assert np.isnan(values["token_f1"][1])  # no golden answer for this item: left out, not a zero

"""The promotion rule: does the candidate become champion?

It must beat the reference, which is the current champion or, when there is none yet, the
base model, on the primary metric with the paired bootstrap interval's lower bound above
``min_improvement`` (0 by default: a tie or an interval that crosses zero is not enough); no
guard metric may get worse by more than its tolerance (mean difference, in the metric's own
units, turned so that "worse" is the same direction for every metric); and no more than
``max_failed_items`` test items may be missing an answer. A candidate that already is the
champion is left as it is.

Golden set (continuity when a champion shuts down): when one was recorded for the registry name,
the candidate must also be at parity or better with it. Parity, precisely: on the test items the
golden set answered, the candidate's mean primary metric against the reference answers is at
least the golden answers' mean on the same items minus ``golden_tolerance`` (oriented, so for a
lower-is-better metric "at least" means "at most … plus"); the paired bootstrap interval of the
difference is recorded and shown, not required. A golden set sharing no test item fails the check.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel

from ftflow.config import PromotionRule
from ftflow.tasks.evaluate.evaluation import Comparison, EvalResult
from ftflow.tasks.evaluate.metrics import METRICS

Outcome = Literal["promoted", "rejected", "unchanged"]


class GuardCheck(BaseModel):
    metric: str
    tolerance: float
    change: float | None  # oriented: positive = better, negative = regression
    ok: bool


class GoldenCheck(BaseModel):
    model: str  # whose recorded answers
    recorded_at: str
    metric: str
    candidate: float | None  # means on the shared items, against the reference answers
    golden: float | None
    change: float | None  # oriented candidate - golden (positive = better)
    ci_low: float | None
    ci_high: float | None
    n: int
    tolerance: float
    ok: bool


class Decision(BaseModel):
    outcome: Outcome
    candidate: str
    reference_role: str
    reference_model: str
    previous_champion: str | None
    primary: str
    change: float | None  # oriented mean difference on the primary metric (positive = better)
    ci_low: float | None  # its interval, oriented
    ci_high: float | None
    guards: list[GuardCheck]
    reasons: list[str]
    golden: GoldenCheck | None = None

    @property
    def promoted(self) -> bool:
        return self.outcome == "promoted"


def _oriented(comparison: Comparison, metric: str) -> tuple[float, float, float] | None:
    d = comparison.metrics.get(metric)
    if d is None or any(math.isnan(x) for x in (d.diff, d.ci_low, d.ci_high)):
        return None
    higher = METRICS[metric].higher_is_better if metric in METRICS else d.higher_is_better
    return (d.diff, d.ci_low, d.ci_high) if higher else (-d.diff, -d.ci_high, -d.ci_low)


def apply_rule(comparison: Comparison, rule: PromotionRule, *, candidate: str, champion: str | None = None,
               failed_items: int = 0) -> Decision:  # fmt: skip
    """The rule on one comparison of the candidate with its reference (champion or base)."""
    reasons: list[str] = []
    primary = _oriented(comparison, rule.primary)
    guards = []
    for metric, tolerance in sorted(rule.guards.items()):
        oriented = _oriented(comparison, metric)
        if oriented is None:
            continue  # e.g. the judge guard when no judge ran
        ok = oriented[0] >= -tolerance - 1e-12
        guards.append(GuardCheck(metric=metric, tolerance=tolerance, change=oriented[0], ok=ok))
    outcome: Outcome = "rejected"
    against = f"the {comparison.reference_role} {comparison.reference_model}"
    if champion is not None and candidate == champion:
        outcome = "unchanged"
        reasons.append(f"{candidate} already is the champion")
    else:
        if failed_items > rule.max_failed_items:
            reasons.append(f"{failed_items} test items have no answer (allowed {rule.max_failed_items}); "
                           "run again: answers already paid for come from the cache")  # fmt: skip
        if primary is None:
            reasons.append(f"no {rule.primary} comparison with {against}")
        else:
            mean, low, high = primary
            span = f"{rule.primary} {mean:+.4f} [{low:+.4f}, {high:+.4f}]"
            if mean <= 0:
                reasons.append(f"{span}: not better than {against}")
            elif low <= rule.min_improvement:
                reasons.append(f"{span}: the interval's lower bound is not above {rule.min_improvement:g}")
        for g in guards:
            if not g.ok:
                reasons.append(f"guard {g.metric} regressed by {-(g.change or 0):.4f} (tolerance {g.tolerance:g})")
        if not reasons and primary is not None:
            outcome = "promoted"
            reasons.append(f"{rule.primary} {primary[0]:+.4f} [{primary[1]:+.4f}, {primary[2]:+.4f}] over {against}; "
                           "no guard regressed")  # fmt: skip
    return Decision(outcome=outcome, candidate=candidate, reference_role=comparison.reference_role,
                    reference_model=comparison.reference_model, previous_champion=champion, primary=rule.primary,
                    change=primary[0] if primary else None, ci_low=primary[1] if primary else None,
                    ci_high=primary[2] if primary else None, guards=guards, reasons=reasons)  # fmt: skip


def golden_parity(result: EvalResult, rule: PromotionRule) -> GoldenCheck | None:
    """Parity with the golden set on the primary metric (None when no golden set was compared)."""
    comparison, info = result.comparisons.get("golden"), result.golden
    if comparison is None or info is None:
        return None
    d = comparison.metrics.get(rule.primary)
    oriented = _oriented(comparison, rule.primary)
    ok = oriented is not None and d is not None and d.n > 0 and oriented[0] >= -rule.golden_tolerance - 1e-12
    return GoldenCheck(model=info.model, recorded_at=info.recorded_at, metric=rule.primary,
                       candidate=d.candidate if oriented and d else None, golden=d.reference if oriented and d else None,
                       change=oriented[0] if oriented else None, ci_low=oriented[1] if oriented else None,
                       ci_high=oriented[2] if oriented else None, n=d.n if d else 0, tolerance=rule.golden_tolerance,
                       ok=ok)  # fmt: skip


def decide_promotion(result: EvalResult, rule: PromotionRule) -> Decision:
    """The rule applied to an evaluation: the candidate against its reference, and at parity or
    better with the golden set when there is one."""
    comparison = result.comparisons[result.reference_role]
    decision = apply_rule(comparison, rule, candidate=result.candidate, champion=result.champion,
                          failed_items=result.failed_items)  # fmt: skip
    notes = []
    if result.champion_gone:
        notes.append(result.champion_gone)
    check = golden_parity(result, rule)
    if check is not None and decision.outcome != "unchanged":
        who = f"the golden set of {check.model} (recorded {check.recorded_at[:10]})"
        if check.n == 0 or check.change is None:
            notes.append(f"{who} shares no test item with this dataset: parity cannot be shown; record a new "
                         f"one (`ftflow models record {result.name}`) while the champion still answers")  # fmt: skip
        else:
            span = (f"{check.metric} {check.candidate:.4f} vs {check.golden:.4f} on {check.n} items, "
                    f"{check.change:+.4f} [{check.ci_low:+.4f}, {check.ci_high:+.4f}]")  # fmt: skip
            notes.append(f"{'at parity or better with' if check.ok else 'below parity with'} {who}: {span} "
                         f"(tolerance {check.tolerance:g})")  # fmt: skip
    elif result.champion_gone and decision.outcome != "unchanged":
        notes.append("no golden set was recorded: the candidate was compared with the base model only")
    outcome = decision.outcome
    if check is not None and not check.ok and outcome == "promoted":
        outcome = "rejected"
    return decision.model_copy(update={"outcome": outcome, "golden": check, "reasons": decision.reasons + notes})

"""The promotion rule: does the candidate become champion?

It must beat the reference, which is the current champion or, when there is none yet, the
base model, on the primary metric with the paired bootstrap interval's lower bound above
``min_improvement`` (0 by default: a tie or an interval that crosses zero is not enough); no
guard metric may get worse by more than its tolerance (mean difference, in the metric's own
units, turned so that "worse" is the same direction for every metric); and no more than
``max_failed_items`` test items may be missing an answer. A candidate that already is the
champion is left as it is.
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


def decide_promotion(result: EvalResult, rule: PromotionRule) -> Decision:
    """The rule applied to an evaluation: the candidate against its reference."""
    comparison = result.comparisons[result.reference_role]
    return apply_rule(comparison, rule, candidate=result.candidate, champion=result.champion,
                      failed_items=result.failed_items)  # fmt: skip

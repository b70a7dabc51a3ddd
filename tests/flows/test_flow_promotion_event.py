"""The retrain flow's automatic promotion sends the same Prefect event as a promotion by hand
(`ftflow.model.promoted`, kind `evaluation`), so `ftflow notify` hears of every champion change;
a rejection, or a decision recorded by an earlier run, sends nothing."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from prefect import flow

from ftflow.config import PipelineConfig
from ftflow.flows import steps
from ftflow.flows.rollback import PROMOTED
from ftflow.tasks.evaluate.registry import RegistryEvent
from tests.helpers import capturing_events, emitted

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture(autouse=True)
def capture_events() -> Iterator[None]:
    with capturing_events():
        yield


def promoted_events() -> list[Any]:
    return emitted(PROMOTED)


def outcome(decision: str, *, newly_recorded: bool) -> SimpleNamespace:
    event = RegistryEvent(
        event_id="ev-1", recorded_at="2026-12-04T00:00:00Z", name="faq", dataset_sha256="ab" * 32,
        dataset_uri="s3://b/datasets/faq/x", job_id="ftjob-1", model="ft:gpt-4.1-mini:acme:faq:1",
        base_model="gpt-4.1-mini", reference_role="base", reference_model="gpt-4.1-mini",
        previous_champion="ft:gpt-4.1-mini:acme:faq:0", run_id="r", run_uri="s3://b/runs/r", primary="exact",
        metrics={}, decision=decision, reasons=["exact +0.12 [0.05, 0.19]"],
    )  # fmt: skip
    promoted = decision == "promoted"
    return SimpleNamespace(
        newly_recorded=newly_recorded,
        event=event,
        summary=decision,
        champion=event.model,
        decision=SimpleNamespace(promoted=promoted, outcome=decision),
        report=SimpleNamespace(files={"report.md": "s3://b/runs/r/report.md"}, run_uri="s3://b/runs/r"),
    )


def run_step(monkeypatch: pytest.MonkeyPatch, tmp_path, result: SimpleNamespace) -> steps.DecisionRef:
    monkeypatch.setattr(steps, "run_evaluation", lambda *a, **k: result)
    dataset = steps.DatasetRef.model_construct(uri="s3://b/datasets/faq/x", dataset_sha256="ab" * 32)
    model = steps.ModelRef(job_id="ftjob-1", fine_tuned_model=result.event.model, trained_tokens=1,
                           estimated_tokens=1, reattached=False)  # fmt: skip

    @flow
    def one_step() -> steps.DecisionRef:
        return steps.evaluate_and_promote(dataset, model, PipelineConfig(), str(tmp_path))

    return one_step()


def test_an_automatic_promotion_announces_the_champion_change(monkeypatch, tmp_path):
    decision = run_step(monkeypatch, tmp_path, outcome("promoted", newly_recorded=True))
    assert decision.outcome == "promoted"
    [event] = promoted_events()
    assert event.payload["kind"] == "evaluation"
    assert event.payload["by"] == "evaluation"
    assert event.payload["model"] == "ft:gpt-4.1-mini:acme:faq:1"
    assert event.payload["previous_champion"] == "ft:gpt-4.1-mini:acme:faq:0"
    assert event.resource.id == "ftflow.model.faq"


@pytest.mark.parametrize(("decision", "newly"), [("rejected", True), ("promoted", False)])
def test_a_rejection_or_an_already_recorded_promotion_announces_nothing(monkeypatch, tmp_path, decision, newly):
    run_step(monkeypatch, tmp_path, outcome(decision, newly_recorded=newly))
    assert promoted_events() == []

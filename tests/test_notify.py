"""The automations of `ftflow notify`, without a server: which events each one fires on, and the
message each renders (with Prefect's own template renderer and filters). The real server, with
real events reaching a webhook, is tests/integration/test_notify_and_wait.py."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from prefect.server.events.jinja_filters import all_filters
from prefect.server.utilities.user_templates import register_user_template_filters, render_user_template_sync

from ftflow import notify

BLOCK = uuid.uuid4()
register_user_template_filters(all_filters)


def render(kind: str, **context: object) -> str:
    (action,) = notify.automation(kind, BLOCK).actions
    return render_user_template_sync(action.subject, context) + "\n" + render_user_template_sync(action.body, context)


def run(state: str, message: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(name="brave-otter", state=SimpleNamespace(name=state, message=message))


@pytest.mark.parametrize(
    ("kind", "events"),
    [
        ("failed", {"prefect.flow-run.Failed", "prefect.flow-run.Crashed", "prefect.flow-run.TimedOut"}),
        ("waiting", {"prefect.flow-run.Suspended", "prefect.flow-run.Paused"}),
        ("champion", {"ftflow.model.promoted", "ftflow.model.rolled-back"}),
        ("shutdown", {"ftflow.champion.shutdown-soon"}),
    ],
)
def test_each_kind_fires_on_its_events(kind, events):
    auto = notify.automation(kind, BLOCK)
    assert auto.trigger.expect == events
    assert auto.trigger.posture == "Reactive"
    (action,) = auto.actions
    assert action.block_document_id == BLOCK
    if kind in ("failed", "waiting"):  # runs of ftflow's own flows only
        assert auto.trigger.match_related["prefect.resource.name"] == list(notify.FLOWS)
        assert {"retrain", "watch-landing", "rollback", "train-hf-lora"} <= set(notify.FLOWS)
    else:
        assert not auto.trigger.match_related


def test_the_kinds_have_distinct_names():
    assert len({notify.automation(k, BLOCK).name for k in notify.KINDS}) == 4
    assert notify.AUTOMATION_NAME not in notify.LEGACY_AUTOMATION_NAMES


@pytest.mark.parametrize(
    ("state", "message"),
    [("Failed", "quality gate refused: 31% of rows rejected"),
     ("Crashed", "Flow run process exited with non-zero status code -9."),
     ("TimedOut", "Flow run exceeded timeout of 21600.0 second(s)")],
)  # fmt: skip
def test_failed_crashed_and_timed_out_runs_say_why(state, message):
    text = render("failed", flow_run=run(state, message), flow=SimpleNamespace(name="retrain"))
    assert text == f"ftflow run {state}\nFlow run brave-otter of retrain ended {state}: {message}"


def test_a_waiting_run_links_to_its_form_when_the_ui_url_is_known():
    context = {"flow_run": run("Suspended"), "flow": SimpleNamespace(name="retrain")}
    register_user_template_filters({"ui_url": lambda obj: None})  # a server without PREFECT_UI_URL
    assert render("waiting", **context) == (
        "ftflow run waits for approval\nFlow run brave-otter of retrain waits for a person (Suspended): "
        "open it in the Prefect UI (Runs) and press Resume to answer its form. "
        "Unanswered before its timeout, the run fails."
    )
    register_user_template_filters({"ui_url": lambda obj: "http://127.0.0.1:4200/runs/flow-run/42"})
    try:
        assert "open http://127.0.0.1:4200/runs/flow-run/42 and press Resume" in render("waiting", **context)
    finally:
        register_user_template_filters(all_filters)


def test_promotions_and_rollbacks_say_who_and_why():
    payload = {"name": "dataset", "model": "ft:new", "previous_champion": "ft:old", "by": "evaluation",
               "kind": "evaluation", "reason": "rougeL +0.04 [+0.01, +0.07] over the champion"}  # fmt: skip
    promoted = render("champion", event=SimpleNamespace(event="ftflow.model.promoted", payload=payload))
    assert promoted == (
        "ftflow champion changed\nPromoted: the champion of dataset is now ft:new (was ft:old), by evaluation "
        "(evaluation): rougeL +0.04 [+0.01, +0.07] over the champion"
    )
    first = render("champion", event=SimpleNamespace(event="ftflow.model.promoted",
                                                     payload={**payload, "previous_champion": None}))  # fmt: skip
    assert "(was none)" in first
    rolled = {**payload, "model": "ft:old", "previous_champion": "ft:new", "by": "alice", "kind": "rollback",
              "reason": "answers in the wrong language"}  # fmt: skip
    assert render("champion", event=SimpleNamespace(event="ftflow.model.rolled-back", payload=rolled)) == (
        "ftflow champion changed\nRolled back: the champion of dataset is now ft:old (was ft:new), by alice "
        "(rollback): answers in the wrong language"
    )


def test_a_champion_near_shutdown_posts_the_flows_message():
    message = "champion of 'dataset', ft:old, shuts down on 2027-01-14 (41 days)"
    assert render("shutdown", event=SimpleNamespace(payload={"message": message})).endswith("\n" + message)

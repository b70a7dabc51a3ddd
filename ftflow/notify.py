"""Notifications through Prefect itself: automations that post to a webhook (Slack, Teams,
PagerDuty and most chat tools accept one). `ftflow notify --webhook URL` creates all four:

- **failed**: a run of an ftflow flow ended Failed, Crashed (its process or machine died) or
  TimedOut (a flow timeout, or an approval nobody answered in time); the message carries the
  state's message (the reason). A refused quality gate and a failed fine-tune both end Failed.
- **waiting**: a run waits for a person: Suspended (the spend approval of a deployment run; its
  process has exited) or Paused (an approval or document review of a run started in-process);
  the message links to the run's page, whose Resume button shows the form.
- **champion**: every champion change: `ftflow.model.promoted` (the evaluation's automatic
  promotion, and `ftflow models promote`) and `ftflow.model.rolled-back` (`ftflow models rollback`,
  the rollback deployment).
- **shutdown**: the retrain flow's `ftflow.champion.shutdown-soon` events: a champion within
  `lifecycle.warn_days` of its shutdown date.

Every setup is safe to run again: the automation of the same name is replaced.
"""

from __future__ import annotations

from typing import Any

from prefect.automations import Automation, EventTrigger, SendNotification
from prefect.blocks.notifications import CustomWebhookNotificationBlock

BLOCK_NAME = "ftflow-failure-webhook"
FLOWS = ("retrain", "watch-landing", "rollback", "train-hf-lora", "prepare")  # the @flow names under flows/

AUTOMATION_NAME = "ftflow: notify on failed, crashed or timed-out runs"
LEGACY_AUTOMATION_NAMES = ("ftflow: notify on failed retrain",)  # replaced by AUTOMATION_NAME
# Prefect emits `prefect.flow-run.<state name>` on every state change; TimedOut is a Failed type
# with its own name, so it needs its own entry.
FAILED_EVENTS = ("prefect.flow-run.Failed", "prefect.flow-run.Crashed", "prefect.flow-run.TimedOut")
BODY = "Flow run {{ flow_run.name }} of {{ flow.name }} ended {{ flow_run.state.name }}: {{ flow_run.state.message }}"

WAITING_AUTOMATION_NAME = "ftflow: notify when a run waits for approval"
WAITING_EVENTS = ("prefect.flow-run.Suspended", "prefect.flow-run.Paused")
WAITING_BODY = (
    "Flow run {{ flow_run.name }} of {{ flow.name }} waits for a person ({{ flow_run.state.name }}): "
    "{% set url = flow_run|ui_url %}open {% if url %}{{ url }}{% else %}it in the Prefect UI (Runs){% endif %} "
    "and press Resume to answer its form. Unanswered before its timeout, the run fails."
)

CHAMPION_AUTOMATION_NAME = "ftflow: notify on champion changes"
CHAMPION_EVENTS = ("ftflow.model.promoted", "ftflow.model.rolled-back")  # emitted by flows/rollback.py `announce`
CHAMPION_BODY = (
    "{% if event.event == 'ftflow.model.rolled-back' %}Rolled back{% else %}Promoted{% endif %}: "
    "the champion of {{ event.payload.name }} is now {{ event.payload.model }} "
    "(was {{ event.payload.previous_champion or 'none' }}), by {{ event.payload.by }} "
    "({{ event.payload.kind }}): {{ event.payload.reason }}"
)

SHUTDOWN_AUTOMATION_NAME = "ftflow: notify when a champion nears shutdown"
SHUTDOWN_EVENT = "ftflow.champion.shutdown-soon"  # emitted by flows/lifecycle.py
SHUTDOWN_BODY = "{{ event.payload.message }}"


def _save_block(webhook_url: str) -> object:
    block = CustomWebhookNotificationBlock(
        name=BLOCK_NAME,
        url=webhook_url,
        json_data={"text": "{{subject}}\n{{body}}"},
        allow_private_urls=True,  # a local receiver (tests, on-prem chat) is a valid target
    )
    return block.save(BLOCK_NAME, overwrite=True)


def _flow_runs_of(flows: tuple[str, ...], events: tuple[str, ...]) -> EventTrigger:
    return EventTrigger(
        expect=set(events),
        match_related={"prefect.resource.role": "flow", "prefect.resource.name": list(flows)},
        posture="Reactive",
        threshold=1,
    )


def _events(events: tuple[str, ...]) -> EventTrigger:
    return EventTrigger(expect=set(events), posture="Reactive", threshold=1)


# kind -> (automation name, description, subject, body); the trigger is in `automation`.
KINDS: dict[str, tuple[str, str, str, str]] = {
    "failed": (AUTOMATION_NAME, "Posts the reason when an ftflow run fails (quality gate, fine-tune, storage), "
               "crashes or times out.", "ftflow run {{ flow_run.state.name }}", BODY),
    "waiting": (WAITING_AUTOMATION_NAME, "Posts when an ftflow run is suspended or paused for a person's approval "
                "or review.", "ftflow run waits for approval", WAITING_BODY),
    "champion": (CHAMPION_AUTOMATION_NAME, "Posts every champion change: automatic promotions, promotions by hand, "
                 "rollbacks.", "ftflow champion changed", CHAMPION_BODY),
    "shutdown": (SHUTDOWN_AUTOMATION_NAME, "Posts when the retrain flow finds a champion within "
                 "lifecycle.warn_days of its shutdown date.", "ftflow champion shuts down soon", SHUTDOWN_BODY),
}  # fmt: skip


def automation(kind: str, block_id: Any, flows: tuple[str, ...] = FLOWS) -> Automation:
    """The (unsaved) automation of one kind: failed, waiting, champion or shutdown."""
    triggers = {
        "failed": lambda: _flow_runs_of(flows, FAILED_EVENTS),
        "waiting": lambda: _flow_runs_of(flows, WAITING_EVENTS),
        "champion": lambda: _events(CHAMPION_EVENTS),
        "shutdown": lambda: _events((SHUTDOWN_EVENT,)),
    }
    name, description, subject, body = KINDS[kind]
    return Automation(name=name, description=description, trigger=triggers[kind](),
                      actions=[SendNotification(block_document_id=block_id, subject=subject, body=body)])  # fmt: skip


def _setup(kind: str, webhook_url: str, flows: tuple[str, ...] = FLOWS) -> Automation:
    block_id = _save_block(webhook_url)
    new = automation(kind, block_id, flows)
    _delete_existing(new.name)
    return new.create()


def setup_failure_notifications(webhook_url: str, flows: tuple[str, ...] = FLOWS) -> Automation:
    """Create (or replace) the webhook block and the automation on Failed, Crashed and TimedOut runs."""
    for legacy in LEGACY_AUTOMATION_NAMES:
        _delete_existing(legacy)
    return _setup("failed", webhook_url, flows)


def setup_waiting_notifications(webhook_url: str, flows: tuple[str, ...] = FLOWS) -> Automation:
    """Create (or replace) the automation posting runs that wait for a person (Suspended, Paused)."""
    return _setup("waiting", webhook_url, flows)


def setup_champion_notifications(webhook_url: str) -> Automation:
    """Create (or replace) the automation posting every promotion and rollback."""
    return _setup("champion", webhook_url)


def setup_shutdown_notifications(webhook_url: str) -> Automation:
    """Create (or replace) the automation posting each `ftflow.champion.shutdown-soon` event."""
    return _setup("shutdown", webhook_url)


def setup_all(webhook_url: str) -> list[tuple[str, str]]:
    """Every automation above; returns (name, what it posts) for each."""
    return [
        (setup_failure_notifications(webhook_url).name, "failed, crashed and timed-out runs"),
        (setup_waiting_notifications(webhook_url).name, "runs suspended or paused for approval"),
        (setup_champion_notifications(webhook_url).name, "promotions (automatic and by hand) and rollbacks"),
        (setup_shutdown_notifications(webhook_url).name, "champions near their shutdown date"),
    ]


def _delete_existing(name: str = AUTOMATION_NAME) -> None:
    """Automation names are not unique in Prefect: remove ours before creating it again."""
    while True:
        try:
            Automation.read(name=name).delete()
        except ValueError:  # none left
            return

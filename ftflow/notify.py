"""Failure notifications through Prefect itself: an automation on failed retrain runs that
posts to a webhook (Slack, Teams, PagerDuty and most chat tools accept one).

A refused quality gate and a failed fine-tune both end the run Failed, so this one
automation covers both; its message carries the run's state message (the reason). A second
automation posts the retrain flow's `ftflow.champion.shutdown-soon` events: a champion within
`lifecycle.warn_days` of its shutdown date.
"""

from __future__ import annotations

from prefect.automations import Automation, EventTrigger, SendNotification
from prefect.blocks.notifications import CustomWebhookNotificationBlock

BLOCK_NAME = "ftflow-failure-webhook"
AUTOMATION_NAME = "ftflow: notify on failed retrain"
BODY = "Flow run {{ flow_run.name }} of {{ flow.name }} ended {{ flow_run.state.name }}: {{ flow_run.state.message }}"
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


def setup_failure_notifications(webhook_url: str, flows: tuple[str, ...] = ("retrain", "watch-landing")) -> Automation:
    """Create (or replace) the webhook block and the automation; safe to run again."""
    block_id = _save_block(webhook_url)
    _delete_existing()
    automation = Automation(
        name=AUTOMATION_NAME,
        description="Posts the reason when a retrain or watch run fails (quality gate, fine-tune, storage).",
        trigger=EventTrigger(
            expect={"prefect.flow-run.Failed"},
            match_related={"prefect.resource.role": "flow", "prefect.resource.name": list(flows)},
            posture="Reactive",
            threshold=1,
        ),
        actions=[SendNotification(block_document_id=block_id, subject="ftflow run failed", body=BODY)],
    )
    return automation.create()


def setup_shutdown_notifications(webhook_url: str) -> Automation:
    """Create (or replace) the automation posting each `ftflow.champion.shutdown-soon` event."""
    block_id = _save_block(webhook_url)
    _delete_existing(SHUTDOWN_AUTOMATION_NAME)
    automation = Automation(
        name=SHUTDOWN_AUTOMATION_NAME,
        description="Posts when the retrain flow finds a champion within lifecycle.warn_days of its shutdown date.",
        trigger=EventTrigger(expect={SHUTDOWN_EVENT}, posture="Reactive", threshold=1),
        actions=[
            SendNotification(block_document_id=block_id, subject="ftflow champion shuts down soon", body=SHUTDOWN_BODY)
        ],
    )
    return automation.create()


def _delete_existing(name: str = AUTOMATION_NAME) -> None:
    """Automation names are not unique in Prefect: remove ours before creating it again."""
    while True:
        try:
            Automation.read(name=name).delete()
        except ValueError:  # none left
            return

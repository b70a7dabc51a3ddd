"""The `rollback` flow (a deployment runnable from the Prefect UI) and the Prefect events that
announce every promotion and rollback made by hand (`ftflow.model.promoted`,
`ftflow.model.rolled-back`), so automations can react to a champion change.

The ledger itself is ftflow.tasks.evaluate.ledger; the CLI (`ftflow models promote|rollback`)
and this flow both call it and then `announce` the change.
"""

from __future__ import annotations

from typing import Annotated, Any

from prefect import flow, get_run_logger
from prefect.events import emit_event
from prefect.events.worker import EventsWorker
from prefect.runtime import flow_run
from pydantic import Field

from ftflow import credentials
from ftflow.config import CredentialsConfig, DataConfig
from ftflow.store import Root
from ftflow.tasks.evaluate import ledger
from ftflow.tasks.evaluate.registry import RegistryEvent

EVENTS = {ledger.PROMOTION: "ftflow.model.promoted", ledger.ROLLBACK: "ftflow.model.rolled-back"}


def announce(entry: RegistryEvent, root: Root) -> bool:
    """Emit the Prefect event of a ledger entry and wait until it is sent; False when no Prefect
    API is configured (the ledger entry is written either way)."""
    sent = emit_event(
        event=EVENTS[entry.kind],
        resource={"prefect.resource.id": f"ftflow.model.{entry.name}", "ftflow.registry": root.uri(root.registry())},
        payload={"name": entry.name, "model": entry.model, "previous_champion": entry.previous_champion,
                 "by": entry.by, "reason": entry.reasons[0] if entry.reasons else "", "event_id": entry.event_id,
                 "kind": entry.kind},
    )  # fmt: skip
    if sent is None:
        return False
    EventsWorker.instance().wait_until_empty()
    return True


@flow(name="rollback", log_prints=True)
def rollback_champion(
    reason: Annotated[str, Field(min_length=1, description="Why (kept in the promotion ledger).")],
    name: Annotated[str, Field(description="Registry name whose champion goes back one step.")] = "dataset",
    by: Annotated[str | None, Field(description="Who asks for it (default: this flow run's name).")] = None,
    data: DataConfig = DataConfig(),  # noqa: B008 (a default instance gives the UI form its defaults)
    credentials_config: CredentialsConfig = CredentialsConfig(),  # noqa: B008
) -> dict[str, Any]:
    """Make the previous champion of `name` the champion again.

    Args:
        reason: Why (kept in the promotion ledger).
        name: Registry name whose champion goes back one step.
        by: Who asks for it (default: this flow run's name).
        data: Where the registry lives (data.storage, else s3://$FTFLOW_BUCKET).
        credentials_config: Prefect blocks holding the S3 credentials, if any.
    """
    credentials.configure(credentials_config)
    root = Root(data.storage_root())
    requested_by = by or f"prefect flow run {flow_run.get_name() or 'local'}"
    entry = ledger.rollback(root, name, by=requested_by, reason=reason)
    sent = announce(entry, root)
    get_run_logger().info("rolled back %s: %s → %s (%s)%s", name, entry.previous_champion, entry.model, reason,
                          "" if sent else "; no Prefect API: event not sent")  # fmt: skip
    return {"name": name, "champion": entry.model, "replaced": entry.previous_champion, "event_id": entry.event_id}

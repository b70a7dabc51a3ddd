"""The `rollback` flow (a deployment runnable from the Prefect UI) and the Prefect events that
announce every champion change (`ftflow.model.promoted`, `ftflow.model.rolled-back`), so
automations (`ftflow notify`) can react to it: promotions and rollbacks by hand, and the
evaluation's automatic promotion (the retrain flow and `ftflow evaluate`). The payload's `kind`
tells them apart: `evaluation`, `promotion` (by hand) or `rollback`.

The ledger itself is ftflow.tasks.evaluate.ledger; the CLI (`ftflow models promote|rollback`,
`ftflow evaluate`), the retrain flow and this flow all record the change, then `announce` it.
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

PROMOTED, ROLLED_BACK = "ftflow.model.promoted", "ftflow.model.rolled-back"
# Registry event kind -> Prefect event: an evaluation that promoted is a promotion like one by hand.
EVENTS = {ledger.PROMOTION: PROMOTED, ledger.ROLLBACK: ROLLED_BACK, "evaluation": PROMOTED}


def announce(entry: RegistryEvent, root: Root) -> bool:
    """Emit the Prefect event of a champion change (a promotion, by hand or by an evaluation, or
    a rollback) and wait until it is sent; False when no Prefect API is configured (the registry
    entry is written either way)."""
    if entry.decision != "promoted":
        raise ValueError(f"registry event {entry.event_id} changed no champion (decision {entry.decision})")
    sent = emit_event(
        event=EVENTS[entry.kind],
        resource={"prefect.resource.id": f"ftflow.model.{entry.name}", "ftflow.registry": root.uri(root.registry())},
        payload={"name": entry.name, "model": entry.model, "previous_champion": entry.previous_champion,
                 "by": entry.by or "evaluation", "reason": entry.reasons[0] if entry.reasons else "",
                 "event_id": entry.event_id, "kind": entry.kind},
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

"""The `watch-landing` flow: turn new files in landing/ into one `dataset.arrived` event.

Webhooks are Prefect Cloud only, so on a self-hosted server new-data triggers come from
this flow (on an interval schedule) plus the retrain deployment's event trigger.

Nothing is picked up twice: the ETags already announced are kept in S3 beside the data
(`runs/watch/seen.json`), written only after the event went out. Nothing is missed: a
batch is announced only when the prefix has been quiet for a while (uploads finished)
and holds enough new rows; until then the objects stay "new" for the next run. Their row counts
are cached by ETag (flows/watch_counts.py: Parquet from its footer, with ranged reads), so a file
that keeps waiting is downloaded once, not every minute. The deployment runs one at a time
(prefect.yaml: `concurrency_limit` 1, a tick that finds the previous one still running is
cancelled), so two runs never announce the same files. If the
flow dies between emitting and recording, the next run announces the same objects
again, and the retrain's content-hash keys make that a no-op rather than a second job.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from prefect import flow, get_run_logger
from prefect.events import emit_event
from prefect.events.worker import EventsWorker
from pydantic import BaseModel, Field

from ftflow import credentials, s3
from ftflow.config import CredentialsConfig, DataConfig
from ftflow.flows.watch_counts import cached_counts
from ftflow.layout import StorageLayout
from ftflow.tasks.prepare.ingest import INPUT_FORMATS

EVENT = "dataset.arrived"


class WatchConfig(BaseModel):
    data: DataConfig = Field(default_factory=DataConfig)
    quiet_seconds: float = Field(60, ge=0, description="Announce only when nothing new arrived for this long.")
    min_rows: int = Field(10, ge=1, description="Announce only when the new files hold at least this many rows.")
    credentials: CredentialsConfig = Field(default_factory=CredentialsConfig)


def seen_uri(storage: str) -> str:
    return s3.join(StorageLayout(storage).run("watch"), "seen.json")


def load_seen(storage: str) -> dict[str, str]:
    """uri -> ETag of every object already announced."""
    uri = seen_uri(storage)
    return json.loads(s3.read_bytes(uri)) if s3.head(uri) else {}


def find_new(storage: str) -> tuple[list[s3.ObjectInfo], dict[str, str]]:
    seen = load_seen(storage)
    objects = [
        o
        for o in s3.list_objects(StorageLayout(storage).landing())
        if ("." + o.uri.rsplit(".", 1)[-1].lower()) in INPUT_FORMATS
    ]
    return [o for o in objects if seen.get(o.uri) != o.etag], seen


@flow(name="watch-landing", log_prints=True)
def watch_landing(config: WatchConfig = WatchConfig()) -> dict[str, Any]:  # noqa: B008 (defaults for the UI form)
    """Announce new files under landing/ once they are complete and large enough."""
    cfg = config
    credentials.configure(cfg.credentials)
    log = get_run_logger()
    storage = cfg.data.storage_root()
    new, seen = find_new(storage)
    if not new:
        log.info("nothing new under %s", StorageLayout(storage).landing())
        return {"announced": [], "waiting": []}
    newest = max(o.last_modified for o in new if o.last_modified)
    if datetime.now(UTC) - newest < timedelta(seconds=cfg.quiet_seconds):
        log.info(
            "%d new object(s), but the last arrived %s: waiting for %ss of quiet", len(new), newest, cfg.quiet_seconds
        )
        return {"announced": [], "waiting": [o.uri for o in new]}
    counts, counted = cached_counts(storage, new)  # an unchanged waiting file is never downloaded again
    rows = sum(counts.values())
    log.info("%d new object(s), %d rows (%d counted now, %d from the cache)", len(new), rows, counted,
             len(new) - counted)  # fmt: skip
    if rows < cfg.min_rows:
        log.info("%d new object(s) with %d rows: waiting for at least %d", len(new), rows, cfg.min_rows)
        return {"announced": [], "waiting": [o.uri for o in new]}
    uris = sorted(o.uri for o in new)
    sent = emit_event(
        event=EVENT,
        resource={
            "prefect.resource.id": f"ftflow.landing.{StorageLayout(storage).landing()}",
            "ftflow.storage": storage,
        },
        payload={"objects": uris, "rows": rows, "storage": storage},
    )
    if sent is not None:
        # emit_event only queues it: have it sent before the files count as seen. (Were it lost
        # anyway, the scheduled retrain still reads all of landing/.)
        EventsWorker.instance().wait_until_empty()
    seen.update({o.uri: o.etag or "" for o in new})
    s3.put_bytes(
        json.dumps(seen, indent=1, sort_keys=True).encode(), seen_uri(storage), content_type="application/json"
    )
    log.info("announced %d object(s), %d rows: %s", len(uris), rows, ", ".join(uris))
    return {"announced": uris, "waiting": []}

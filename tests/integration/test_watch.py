"""The watch-landing flow against the real S3 server and a Prefect test server: what it
announces, when it waits, and that nothing is announced twice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ftflow import s3
from ftflow.config import DataConfig
from ftflow.flows.watch import EVENT, WatchConfig, seen_uri, watch_landing
from ftflow.layout import StorageLayout
from tests.helpers import capturing_events, emitted

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_harness")]
LINE = b'{"messages": [{"role": "user", "content": "Q?"}, {"role": "assistant", "content": "A."}]}\n'


@pytest.fixture(autouse=True)
def capture_events() -> Iterator[None]:
    """The events the flow emits are recorded instead of sent (see `announced`)."""
    with capturing_events():
        yield


def announced() -> list[Any]:
    return emitted(EVENT)


def config(dest: str, **kw: Any) -> WatchConfig:
    return WatchConfig(data=DataConfig(storage=dest), **{"quiet_seconds": 0, "min_rows": 5, **kw})


def test_new_files_are_announced_once(dest: str):
    s3.put_bytes(LINE * 6, s3.join(StorageLayout(dest).landing(), "a.jsonl"))
    s3.put_bytes(b"question,answer\nQ?,A.\n", s3.join(StorageLayout(dest).landing(), "b.csv"))
    s3.put_bytes(b"not data", s3.join(StorageLayout(dest).landing(), "notes.log"))  # not an input format: ignored

    first = watch_landing(config(dest))
    assert first["announced"] == [
        s3.join(StorageLayout(dest).landing(), "a.jsonl"),
        s3.join(StorageLayout(dest).landing(), "b.csv"),
    ]
    (event,) = announced()
    assert event.payload == {"objects": first["announced"], "rows": 7, "storage": dest}
    assert s3.head(seen_uri(dest)) is not None  # recorded after the event went out

    assert watch_landing(config(dest)) == {"announced": [], "waiting": []}  # nothing new
    s3.put_bytes(LINE * 8, s3.join(StorageLayout(dest).landing(), "a.jsonl"))  # replaced: a new ETag is new data
    again = watch_landing(config(dest))
    assert again["announced"] == [s3.join(StorageLayout(dest).landing(), "a.jsonl")]
    assert len(announced()) == 2


def test_waits_for_quiet_and_for_enough_rows(dest: str):
    s3.put_bytes(LINE * 3, s3.join(StorageLayout(dest).landing(), "small.jsonl"))
    too_few = watch_landing(config(dest))
    assert too_few == {"announced": [], "waiting": [s3.join(StorageLayout(dest).landing(), "small.jsonl")]}
    s3.put_bytes(LINE * 3, s3.join(StorageLayout(dest).landing(), "more.jsonl"))
    still_uploading = watch_landing(config(dest, quiet_seconds=3600))
    assert still_uploading["announced"] == []
    assert len(still_uploading["waiting"]) == 2
    assert announced() == []
    assert s3.head(seen_uri(dest)) is None  # nothing counts as seen until it is announced
    ready = watch_landing(config(dest))
    assert len(ready["announced"]) == 2
    assert announced()[0].payload["rows"] == 6


def test_documents_in_landing_trigger_a_retrain(dest: str, tmp_path):
    """A PDF or Markdown file dropped into landing/ is new data, like a table (prepare judges its rows)."""
    from benchmarks import documents_fixtures as fx

    pdf = fx.text_pdf(tmp_path / "handbook.pdf")
    s3.put_bytes(pdf.read_bytes(), s3.join(StorageLayout(dest).landing(), "docs/handbook.pdf"))
    s3.put_bytes(
        fx.markdown_file(tmp_path / "help.md").read_bytes(), s3.join(StorageLayout(dest).landing(), "docs/help.md")
    )
    result = watch_landing(config(dest))
    assert result["announced"] == [s3.join(StorageLayout(dest).landing(), "docs/handbook.pdf"),
                                   s3.join(StorageLayout(dest).landing(), "docs/help.md")]  # fmt: skip
    (event,) = announced()
    assert event.payload["objects"] == result["announced"]

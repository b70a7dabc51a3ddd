"""watch-landing's row counts against the real S3 server: Parquet from its footer with ranged
GETs (the data pages are never downloaded), and a cache by ETag, so a file that keeps waiting is
not downloaded again on the next tick. Every GetObject is recorded with a boto3 event hook."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ftflow import s3
from ftflow.config import DataConfig
from ftflow.flows.watch import WatchConfig, watch_landing
from ftflow.flows.watch_counts import FOOTER_PROBE, cached_counts, counts_uri, parquet_rows
from ftflow.layout import StorageLayout

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_harness")]
LINE = b'{"messages": [{"role": "user", "content": "Q?"}, {"role": "assistant", "content": "A."}]}\n'


@pytest.fixture
def gets(s3_server) -> Iterator[list[dict[str, Any]]]:
    """Every GetObject of the shared S3 client: key, Range header, bytes received."""
    calls: list[dict[str, Any]] = []
    client = s3.client()

    def before(params, **_):
        calls.append({"url": params["url"], "range": params["headers"].get("Range"), "bytes": None})

    def after(parsed, **_):
        calls[-1]["bytes"] = parsed.get("ContentLength")

    client.meta.events.register("before-call.s3.GetObject", before)
    client.meta.events.register("after-call.s3.GetObject", after)
    yield calls
    client.meta.events.unregister("before-call.s3.GetObject", before)
    client.meta.events.unregister("after-call.s3.GetObject", after)


def landing(dest: str, name: str) -> str:
    return s3.join(StorageLayout(dest).landing(), name)


def of(calls: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [c for c in calls if c["url"].split("?")[0].endswith("/landing/" + name)]


def parquet_bytes(rows: int, columns: int = 2) -> bytes:
    table = pa.table({f"c{i}": [f"question {j} about item {i}" for j in range(rows)] for i in range(columns)})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def config(dest: str, **kw: Any) -> WatchConfig:
    return WatchConfig(data=DataConfig(storage=dest), **{"quiet_seconds": 0, **kw})


def test_parquet_rows_come_from_the_footer_with_one_ranged_get(dest, gets):
    data = parquet_bytes(20_000)
    assert len(data) > 4 * FOOTER_PROBE  # the data pages are far larger than what is read
    s3.put_bytes(data, landing(dest, "big.parquet"))
    info = s3.head(landing(dest, "big.parquet"))
    assert parquet_rows(info.uri, info.size) == 20_000
    (call,) = of(gets, "big.parquet")
    assert call["range"] == f"bytes=-{FOOTER_PROBE}"
    assert call["bytes"] <= FOOTER_PROBE


def test_a_footer_larger_than_the_probe_takes_a_second_exact_get(dest, gets):
    data = parquet_bytes(3, columns=1500)  # a wide table: the footer alone is over 64 KiB
    s3.put_bytes(data, landing(dest, "wide.parquet"))
    info = s3.head(landing(dest, "wide.parquet"))
    assert parquet_rows(info.uri, info.size) == 3
    first, second = of(gets, "wide.parquet")
    assert first["range"] == f"bytes=-{FOOTER_PROBE}"
    footer = pq.ParquetFile(io.BytesIO(data)).metadata.serialized_size + 8
    assert footer > FOOTER_PROBE
    assert second["range"] == f"bytes=-{footer}"
    assert second["bytes"] == footer


def test_a_waiting_file_is_not_downloaded_again_on_the_next_tick(dest, gets):
    s3.put_bytes(LINE * 3, landing(dest, "a.jsonl"))
    s3.put_bytes(b"question,answer\nQ?,A.\nQ2?,A2.\n", landing(dest, "b.csv"))
    s3.put_bytes(parquet_bytes(4), landing(dest, "c.parquet"))
    waiting = {"announced": [], "waiting": [landing(dest, n) for n in ("a.jsonl", "b.csv", "c.parquet")]}

    first = watch_landing(config(dest, min_rows=100))
    assert sorted(first["waiting"]) == waiting["waiting"]
    assert first["announced"] == []
    assert {n: len(of(gets, n)) for n in ("a.jsonl", "b.csv", "c.parquet")} == {"a.jsonl": 1, "b.csv": 1,
                                                                                "c.parquet": 1}  # fmt: skip
    assert s3.head(counts_uri(dest)) is not None

    gets.clear()
    second = watch_landing(config(dest, min_rows=100))
    assert sorted(second["waiting"]) == waiting["waiting"]
    assert [c for c in gets if "/landing/" in c["url"]] == []  # nothing under landing/ downloaded
    assert sum(c["bytes"] for c in gets) < 2_000  # only the small seen/counts records

    # A file replaced under the same name has a new ETag: only it is counted again.
    gets.clear()
    s3.put_bytes(LINE * 200, landing(dest, "a.jsonl"))
    third = watch_landing(config(dest, min_rows=100))
    assert sorted(third["announced"]) == waiting["waiting"]  # 200 + 2 + 4 rows: enough
    assert [c["url"].rsplit("/", 1)[-1] for c in gets if "/landing/" in c["url"]] == ["a.jsonl"]


def test_cached_counts_are_per_etag_and_only_for_waiting_files(dest):
    s3.put_bytes(LINE * 2, landing(dest, "x.jsonl"))
    s3.put_bytes(parquet_bytes(7), landing(dest, "y.parquet"))
    objects = s3.list_objects(StorageLayout(dest).landing())
    rows, counted = cached_counts(dest, objects)
    assert rows == {landing(dest, "x.jsonl"): 2, landing(dest, "y.parquet"): 7}
    assert counted == 2
    rows, counted = cached_counts(dest, objects)
    assert counted == 0
    assert sum(rows.values()) == 9
    only_y = [o for o in objects if o.uri.endswith("y.parquet")]
    assert cached_counts(dest, only_y) == ({landing(dest, "y.parquet"): 7}, 0)
    import json

    assert list(json.loads(s3.read_bytes(counts_uri(dest)))) == [landing(dest, "y.parquet")]


def test_a_broken_parquet_is_announced_for_prepare_to_judge(dest):
    s3.put_bytes(b"this is not parquet at all", landing(dest, "broken.parquet"))
    result = watch_landing(config(dest, min_rows=10))
    assert result["announced"] == [landing(dest, "broken.parquet")]

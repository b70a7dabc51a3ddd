"""The prepare flow with prepare.dask_address: its sub-stage tasks hand their partitions to the
Dask cluster (the flow passes the config to prepare; no task runner needed), same dataset."""

import pytest

pytest.importorskip("distributed", reason="the dask extra (requirements-train.lock, scripts/test.sh) installs it")

from distributed import LocalCluster

from ftflow.config import PrepareConfig
from ftflow.flows.prepare import prepare
from ftflow.tasks.prepare import executor_dask, parallel
from ftflow.tasks.prepare.readers import jsonl as jsonl_reader

pytestmark = pytest.mark.slow


def test_the_flow_runs_the_partitions_on_the_cluster(prefect_harness, labelled, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PARALLEL_ITEMS", 50)
    monkeypatch.setattr(jsonl_reader, "MIN_PARALLEL_BYTES", 1)
    sent = []
    original = executor_dask.DaskExecutor.start

    def recording(self, fn, shared, parts):
        sent.append(fn.__name__)
        return original(self, fn, shared, parts)

    monkeypatch.setattr(executor_dask.DaskExecutor, "start", recording)
    src = str(labelled / "examples.jsonl")
    local = prepare(inputs=[src], out=str(tmp_path / "local"), config=PrepareConfig(executor="inline"))
    assert sent == []
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        on_dask = prepare(inputs=[src], out=str(tmp_path / "dask"),
                          config=PrepareConfig(dask_address=cluster.scheduler_address))  # fmt: skip
    assert {"_parse_span", "_normalize_span", "_span_features"} <= set(sent)  # inside the flow's task runs
    assert on_dask["dataset_sha256"] == local["dataset_sha256"]

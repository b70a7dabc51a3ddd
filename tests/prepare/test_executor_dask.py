"""The dask executor: prepare's partitions run as tasks on a real (local, two-process) Dask cluster
and the dataset is byte-identical to the forked run's."""

import dataclasses

import numpy as np
import pyarrow as pa
import pytest

pytest.importorskip("distributed", reason="the dask extra (requirements-train.lock, scripts/test.sh) installs it")

from distributed import Client, LocalCluster

from ftflow.config import PrepareConfig
from ftflow.errors import InputError
from ftflow.tasks.prepare import executors, parallel
from ftflow.tasks.prepare.executor_dask import DaskExecutor
from ftflow.tasks.prepare.readers import jsonl as jsonl_reader
from ftflow.tasks.prepare.stage import prepare_dataset


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, one thread each: partitions really leave this process."""
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                      worker_dashboard_address=None) as c:  # fmt: skip
        yield c


@pytest.fixture
def many_partitions(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PARALLEL_ITEMS", 50)
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    monkeypatch.setattr(jsonl_reader, "MIN_PARALLEL_BYTES", 1)


class Recording(DaskExecutor):
    """The dask executor, noting which functions it sent to the cluster and how many partitions."""

    def __init__(self, address):
        super().__init__(address)
        self.sent: dict[str, int] = {}

    def start(self, fn, shared, parts):
        if not executors.runs_on_client(fn):
            self.sent[fn.__name__] = self.sent.get(fn.__name__, 0) + len(parts)
        return super().start(fn, shared, parts)


@pytest.mark.slow
def test_a_dask_cluster_writes_the_same_dataset_as_the_forked_run(labelled, tmp_path, many_partitions, cluster):
    src = str(labelled / "examples.jsonl")
    local = prepare_dataset([src], tmp_path / "fork", PrepareConfig(executor="fork"))
    engine = Recording(cluster.scheduler_address)
    try:
        on_dask = prepare_dataset([src], tmp_path / "dask", PrepareConfig(dask_address=cluster.scheduler_address),
                                  executor=engine)  # fmt: skip
        workers = engine.client().run(lambda: 1)  # every worker is alive and reachable
    finally:
        engine.close()
    assert on_dask.dataset_sha256 == local.dataset_sha256
    assert on_dask.manifest.counts.per_reason == local.manifest.counts.per_reason
    assert sum(local.manifest.counts.per_reason.values()) > 0  # the labelled defects were found
    for name in ("train", "validation", "test", "quarantine"):
        assert (tmp_path / "dask" / f"{name}.jsonl").read_bytes() == (tmp_path / "fork" / f"{name}.jsonl").read_bytes()
    # the map steps ran on the cluster, each in as many partitions as it has worker threads
    assert {"_parse_span", "_normalize_span", "_span_features"} <= set(engine.sent)
    assert engine.sent["_span_features"] == len(workers) == 2


def test_the_config_address_selects_the_dask_executor(labelled, tmp_path, cluster):
    """Through the config alone (what the CLI's --dask and the flow pass): a client opened and closed."""
    cfg = PrepareConfig(dask_address=cluster.scheduler_address)
    assert cfg.executor == "dask"
    result = prepare_dataset([str(labelled / "examples.jsonl")], tmp_path / "out", cfg)
    assert result.manifest.status == "ok"
    assert result.manifest.config["dask_address"] == cluster.scheduler_address


def test_a_slice_computes_what_the_whole_does(labelled, tmp_path, many_partitions):
    """What a worker is sent (a partition's slice) gives the same partition result as the whole."""
    seen = []

    class Slicing(executors.InlineExecutor):
        def start(self, fn, shared, parts):
            slicer = executors.slicer_of(fn)
            if slicer is not None:
                whole = [fn(shared, p) for p in parts]
                sliced = [fn(*slicer(shared, p)) for p in parts]
                seen.append(fn.__name__)
                assert _same(sliced, whole), fn.__name__
            return super().start(fn, shared, parts)

    prepare_dataset([str(labelled / "examples.jsonl")], tmp_path / "out", PrepareConfig(executor="inline"),
                    executor=Slicing())  # fmt: skip
    assert {"_normalize_span", "_span_features", "_verify_span"} <= set(seen)


def test_dask_without_an_address_or_unreachable_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="dask_address"):
        PrepareConfig(executor="dask")
    engine = DaskExecutor("tcp://127.0.0.1:9", timeout="2s")  # nothing listens on the discard port
    with pytest.raises(InputError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        engine.client()


def test_a_client_given_is_used_and_left_open(cluster):
    with Client(cluster, set_as_default=False) as client:
        engine = DaskExecutor(client=client)
        assert engine.map(pow, 2, [1, 2, 4]) == [2, 4, 16]  # pow(shared, part), on the workers
        assert engine.slots() == 2
        engine.close()
        assert client.status == "running"


def _same(a, b) -> bool:
    """Deep equality of partition results (dataclasses of numpy and Arrow arrays, dicts, sets)."""
    if dataclasses.is_dataclass(a):
        return type(a) is type(b) and all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    if isinstance(a, pa.Array | pa.ChunkedArray):
        return a.equals(b)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b

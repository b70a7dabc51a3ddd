"""prepare on a 2-worker Dask cluster with its input on the real local S3 server: the workers read
the object themselves, by byte range, and the dataset is the one the forked run writes from the same object."""

import hashlib

import pytest

pytest.importorskip("distributed", reason="the dask extra (requirements-train.lock, scripts/test.sh) installs it")

from distributed import LocalCluster

from ftflow import s3
from ftflow.config import PrepareConfig
from ftflow.tasks.prepare import parallel
from ftflow.tasks.prepare.readers import jsonl as jsonl_reader
from ftflow.tasks.prepare.stage import prepare_dataset

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_workers_read_the_s3_input_and_write_the_local_dataset(labelled, dest, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PARALLEL_ITEMS", 50)
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    monkeypatch.setattr(jsonl_reader, "MIN_PARALLEL_BYTES", 1)
    src = labelled / "examples.jsonl"
    uri = f"{dest}/landing/examples.jsonl"
    s3.upload_file(src, uri)
    local = prepare_dataset([uri], tmp_path / "fork", PrepareConfig(executor="fork"))  # the object read here, whole

    def no_whole_object(uri: str, **_: object) -> bytes:
        raise AssertionError(f"the client read {uri} whole; the workers should read it by range")

    monkeypatch.setattr(s3, "read_bytes", no_whole_object)
    # Started after the S3 server: the worker processes inherit its AWS_* environment, as real workers would.
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        on_dask = prepare_dataset([uri], tmp_path / "dask", PrepareConfig(dask_address=cluster.scheduler_address))
    assert on_dask.dataset_sha256 == local.dataset_sha256
    for name in ("train", "validation", "test", "quarantine"):  # the quarantine's raw lines: ranged reads too
        assert (tmp_path / "dask" / f"{name}.jsonl").read_bytes() == (tmp_path / "fork" / f"{name}.jsonl").read_bytes()
    (f,) = on_dask.manifest.inputs
    assert f.path == uri
    assert f.sha256 == hashlib.sha256(src.read_bytes()).hexdigest()  # streamed and hashed by a worker
    assert f.rows_read == f.rows_kept + f.rows_quarantined == 1500

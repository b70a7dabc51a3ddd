"""The ``dask`` executor: prepare's per-partition work as tasks on a Dask cluster.

``prepare.dask_address`` (CLI ``--dask tcp://HOST:PORT``) names a running scheduler; this
process becomes a ``distributed.Client`` of it. Every ``fn(shared, part)`` the stages map
(parse a byte range of a JSONL file, normalize a range of texts, the features of a range of
examples (tokens, truncation signals, key hashes, MinHash signatures), verify a share of
near-duplicate pairs) is submitted as one task per partition; inside a worker the function
runs inline (no fork pool there: Dask's worker processes and threads are the pool).

What a task is sent: a function with a registered slicer (``executors.sliced_by``) gets only
its partition's slice of ``shared`` (its texts, its flags), so a worker's memory is bounded
by the partition, not the dataset. Anything else is small (byte ranges of a file or an
``s3://`` object, the config), scattered to the cluster once per map. A JSONL input on S3 is
read by the workers themselves with ranged GETs (``ftflow/s3_ranges.py``), using the standard
AWS environment of each worker; its bytes never pass through this process.

What comes back is each partition's result, as with the local engines: the parsed columns,
then per-row keys, signatures and counts; the global steps (exact and near-duplicate
grouping, the quality gate, the split, the write) run here, on the client (docs/scale.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, TypeVar
from uuid import uuid4

from ftflow.errors import InputError
from ftflow.tasks.prepare import executors

R = TypeVar("R")


class _DaskPending:
    def __init__(self, client: Any, futures: list[Any]) -> None:
        self._client, self._futures = client, futures

    def results(self) -> list[Any]:
        try:
            return list(self._client.gather(self._futures))
        finally:
            for f in self._futures:
                f.release()


class DaskExecutor:
    name: ClassVar[str] = "dask"
    reads_s3_ranges: ClassVar[bool] = True  # workers read S3 objects themselves, by byte range

    def __init__(self, address: str | None = None, *, client: Any = None, timeout: str = "20s") -> None:
        """``address``: a scheduler (``tcp://host:8786``); or an existing ``distributed.Client``."""
        if client is None and not address:
            raise InputError(["prepare.executor dask needs prepare.dask_address (CLI --dask tcp://HOST:PORT)"])
        self.address, self._client, self._owned, self.timeout = address, client, client is None, timeout

    def client(self) -> Any:
        if self._client is None:
            try:
                from distributed import Client
            except ImportError:
                raise InputError(['the dask executor needs the dask extra: pip install "ftflow[dask]"']) from None
            try:
                self._client = Client(self.address, timeout=self.timeout, set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise InputError([f"cannot reach the Dask scheduler at {self.address} ({exc})"]) from None
        return self._client

    def slots(self) -> int:
        """Partitions per map: one per worker thread of the cluster (at least one)."""
        info = self.client().scheduler_info(n_workers=-1)
        return max(1, sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values()))

    def start(self, fn: Callable[[Any, Any], R], shared: Any, parts: Sequence[Any]) -> executors.Pending[R]:
        executors._check_portable(fn)
        if executors.runs_on_client(fn) or not parts:
            return executors.InlineExecutor().start(fn, shared, parts)
        client = self.client()
        slicer = executors.slicer_of(fn)
        if slicer is not None:  # each slice straight to a worker (not through the scheduler), its task follows it
            payloads = [slicer(shared, p) for p in parts]
            shares = client.scatter([s for s, _ in payloads], hash=False)
            parts = [p for _, p in payloads]
        else:  # small (byte ranges, settings): sent to the cluster once, not once per task
            shares = [client.scatter([shared], hash=False)[0]] * len(parts)
        # pure=False: identical arguments are still separate partitions of this run
        run = uuid4().hex[:12]  # task keys unique on a cluster that other runs share
        futures = client.map(
            fn, shares, list(parts), key=[f"ftflow-{fn.__name__}-{run}-{i}" for i in range(len(parts))]
        )
        return _DaskPending(client, futures)

    def map(self, fn: Callable[[Any, Any], R], shared: Any, parts: Sequence[Any]) -> list[R]:
        return self.start(fn, shared, parts).results()

    def close(self) -> None:
        if self._owned and self._client is not None:
            self._client.close()
            self._client = None

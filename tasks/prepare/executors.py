"""The executor seam of the prepare stages: where per-partition work runs.

Every row-local step (parse a byte range, normalize a range of texts, compute the features
of a range of examples, verify a share of near-duplicate pairs, write a split file) is a
module-level function ``fn(shared, part)``: ``shared`` is the read-only data every partition
needs, ``part`` says which partition. Nothing closes over a process's memory, so an engine
may run the partitions wherever it likes:

- ``fork`` (default): one forked child per partition; ``shared`` is inherited, not copied
  (tasks/prepare/parallel.py). Linux and other systems with ``fork``.
- ``spawn``: a pool of fresh interpreters; ``shared`` and ``part`` are pickled to them. Works
  where fork is unavailable or unsafe (Windows, macOS), at the cost of the copies.
- ``inline``: everything in this process, in order (debugging, profiling, tiny inputs).

- ``dask``: tasks on a Dask cluster (``prepare.dask_address``; tasks/prepare/executor_dask.py).
  A partition function may register a *slicer* (:func:`sliced_by`) that cuts ``shared`` down
  to what one partition reads, so a worker is sent its partition, not the whole dataset; one
  that writes the client's output directory is marked :func:`on_client`.

The executor of a run comes from ``prepare.executor`` (or is injected into ``prepare_dataset``)
and is made current with :func:`use`; stage code asks :func:`current` for it.
"""

from __future__ import annotations

import contextvars
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import Any, ClassVar, Protocol, TypeVar

from ftflow.tasks.prepare import parallel

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


class Pending(Protocol[R]):
    def results(self) -> list[R]: ...


class Executor(Protocol):
    name: ClassVar[str]

    def start(self, fn: Callable[[Any, Any], R], shared: Any, parts: Sequence[Any]) -> Pending[R]:
        """Start ``fn(shared, p)`` for every part; ``results()`` waits and returns them in order."""
        ...

    def map(self, fn: Callable[[Any, Any], R], shared: Any, parts: Sequence[Any]) -> list[R]:
        """``[fn(shared, p) for p in parts]``, wherever the engine runs them."""
        ...


def _check_portable(fn: Callable[..., Any]) -> None:
    """A partition function must be importable by name: no lambda, no nested function."""
    qualname = getattr(fn, "__qualname__", "")
    if "<" in qualname or not getattr(fn, "__module__", None):
        raise TypeError(f"executor functions must be module-level (got {qualname or fn!r})")


class _Done(list):  # type: ignore[type-arg]
    def results(self) -> list[Any]:
        return list(self)


class InlineExecutor:
    name: ClassVar[str] = "inline"

    def start(self, fn: Callable[[Any, Any], R], shared: Any, parts: Sequence[Any]) -> Pending[R]:
        _check_portable(fn)
        return _Done(fn(shared, p) for p in parts)

    def map(self, fn: Callable[[Any, Any], R], shared: Any, parts: Sequence[Any]) -> list[R]:
        return self.start(fn, shared, parts).results()


class ForkExecutor:
    name: ClassVar[str] = "fork"

    def start(self, fn: Callable[[Any, Any], R], shared: Any, parts: Sequence[Any]) -> Pending[R]:
        _check_portable(fn)
        return parallel.fork_start([partial(fn, shared, p) for p in parts])

    def map(self, fn: Callable[[Any, Any], R], shared: Any, parts: Sequence[Any]) -> list[R]:
        return self.start(fn, shared, parts).results()


class _Futures:
    def __init__(self, futures: list[Future[Any]], pool: ProcessPoolExecutor) -> None:
        self._futures, self._pool = futures, pool

    def results(self) -> list[Any]:
        try:
            return [f.result() for f in self._futures]
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)


class SpawnExecutor:
    name: ClassVar[str] = "spawn"

    def start(self, fn: Callable[[Any, Any], R], shared: Any, parts: Sequence[Any]) -> Pending[R]:
        _check_portable(fn)
        if len(parts) <= 1:
            return _Done(fn(shared, p) for p in parts)
        pool = ProcessPoolExecutor(max_workers=min(len(parts), parallel.cpu_count()),
                                   mp_context=multiprocessing.get_context("spawn"))  # fmt: skip
        return _Futures([pool.submit(fn, shared, p) for p in parts], pool)

    def map(self, fn: Callable[[Any, Any], R], shared: Any, parts: Sequence[Any]) -> list[R]:
        return self.start(fn, shared, parts).results()


EXECUTORS: dict[str, type[Executor]] = {cls.name: cls for cls in (ForkExecutor, SpawnExecutor, InlineExecutor)}
REMOTE = ("dask",)  # engines whose workers may be other machines (imported on use: an optional extra)

Slicer = Callable[[Any, Any], tuple[Any, Any]]
_SLICERS: dict[Callable[..., Any], Slicer] = {}
_ON_CLIENT: set[Callable[..., Any]] = set()


def sliced_by(slicer: Slicer) -> Callable[[Callable[[Any, Any], R]], Callable[[Any, Any], R]]:
    """Register ``slicer(shared, part) -> (shared_k, part_k)`` with ``fn(shared_k, part_k) == fn(shared, part)``:
    what a remote engine sends for one partition instead of all of ``shared``."""

    def register(fn: Callable[[Any, Any], R]) -> Callable[[Any, Any], R]:
        _SLICERS[fn] = slicer
        return fn

    return register


def on_client(fn: Callable[[Any, Any], R]) -> Callable[[Any, Any], R]:
    """Mark a partition function that must run where the run was started (it writes the output folder)."""
    _ON_CLIENT.add(fn)
    return fn


def runs_on_client(fn: Callable[..., Any]) -> bool:
    return fn in _ON_CLIENT


def slicer_of(fn: Callable[..., Any]) -> Slicer | None:
    return _SLICERS.get(fn)


_CURRENT: contextvars.ContextVar[Executor | None] = contextvars.ContextVar("ftflow_executor", default=None)


def make(name: str, address: str | None = None) -> Executor:
    """The named executor; ``address``: the Dask scheduler of the ``dask`` one."""
    if name in REMOTE:
        from ftflow.tasks.prepare.executor_dask import DaskExecutor  # needs the `dask` extra

        return DaskExecutor(address)
    try:
        return EXECUTORS[name]()
    except KeyError:
        raise ValueError(f"unknown executor {name!r} (one of: {', '.join([*EXECUTORS, *REMOTE])})") from None


def close(executor: Executor) -> None:
    """Release what an executor holds (a Dask client); the local ones hold nothing."""
    closer = getattr(executor, "close", None)
    if closer is not None:
        closer()


def current() -> Executor:
    """The executor made current by :func:`use`, else the fork executor."""
    return _CURRENT.get() or ForkExecutor()


@contextmanager
def use(executor: Executor) -> Iterator[Executor]:
    token = _CURRENT.set(executor)
    slots = getattr(executor, "slots", None)
    slots_token = parallel.use_slots(slots() if slots else None)
    try:
        yield executor
    finally:
        parallel.reset_slots(slots_token)
        _CURRENT.reset(token)

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

A Dask executor (a later issue) is one more class with the same two methods. The executor of a
run comes from ``prepare.executor`` (or is injected into ``prepare_dataset``) and is made
current with :func:`use`; stage code asks :func:`current` for it.
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

_CURRENT: contextvars.ContextVar[Executor | None] = contextvars.ContextVar("ftflow_executor", default=None)


def make(name: str) -> Executor:
    try:
        return EXECUTORS[name]()
    except KeyError:
        raise ValueError(f"unknown executor {name!r} (one of: {', '.join(EXECUTORS)})") from None


def current() -> Executor:
    """The executor made current by :func:`use`, else the fork executor."""
    return _CURRENT.get() or ForkExecutor()


@contextmanager
def use(executor: Executor) -> Iterator[Executor]:
    token = _CURRENT.set(executor)
    try:
        yield executor
    finally:
        _CURRENT.reset(token)

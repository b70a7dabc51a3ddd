"""Run row-local work on every core: forked children that inherit the parent's data.

The heavy per-row work (JSON parsing, normalization, token counting, sketches) is pure
Python or holds the GIL, so threads do not help. A forked child sees the parent's
arrays without copying them; it sends back only its compact result. Without fork (or
with one core, or little data) everything runs in this process, with the same results.
"""

from __future__ import annotations

import contextvars
import gc
import itertools
import mmap
import os
import pickle
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

import numpy as np

T = TypeVar("T")
R = TypeVar("R")

# Below this much work a child costs more than it saves (and small runs stay simple).
MIN_PARALLEL_ITEMS = 20_000
_ALIGN = 64  # result buffers start on cache-line (and SIMD) boundaries in the shared file


# Partition slots of a remote engine (a Dask cluster's worker threads), while it is current.
_SLOTS: contextvars.ContextVar[int | None] = contextvars.ContextVar("ftflow_slots", default=None)


def use_slots(slots: int | None) -> contextvars.Token[int | None]:
    return _SLOTS.set(slots)


def reset_slots(token: contextvars.Token[int | None]) -> None:
    _SLOTS.reset(token)


def cpu_count() -> int:
    """Cores this process may use (the affinity mask, not the machine's total)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def workers_for(amount: int, minimum: int | None = None) -> int:
    """How many parts to split `amount` of row-local work into (1 below `minimum`); on a cluster,
    one per worker thread it has (see `use_slots`), else one per core."""
    minimum = MIN_PARALLEL_ITEMS if minimum is None else minimum  # read now: tests lower it
    slots = _SLOTS.get()
    if amount < minimum or (slots is None and (not hasattr(os, "fork") or sys.platform == "win32")):
        return 1
    return max(1, min(slots or cpu_count(), 2 * amount // minimum))


def split_even(weights: np.ndarray, parts: int) -> list[tuple[int, int]]:
    """`parts` contiguous [lo, hi) ranges of about equal total weight (e.g. characters)."""
    n = len(weights)
    if parts <= 1 or n == 0:
        return [(0, n)]
    cum = np.cumsum(weights, dtype=np.float64)
    cuts = np.searchsorted(cum, cum[-1] * np.arange(1, parts) / parts, side="left")
    bounds = [0, *sorted({int(min(c + 1, n)) for c in cuts}), n]
    return [(lo, hi) for lo, hi in itertools.pairwise(bounds) if hi > lo]


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of acyclic objects are made.

    Each collection walks every tracked object, so with a million rows in memory the
    collector (not the work) dominates; our rows hold no reference cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def fork_map(fn: Callable[[T], R], parts: Sequence[T]) -> list[R]:
    """[fn(p) for p in parts], each in a forked child when there are several (see fork_run)."""
    return fork_run([partial(fn, p) for p in parts])


def fork_run(jobs: Sequence[Callable[[], R]]) -> list[R]:
    """[job() for job in jobs], each in a forked child when there are several.

    A job runs in its child as a closure over the parent's memory (nothing is pickled on
    the way in); its result comes back pickled, its arrays through shared memory (no
    copy on either side). The parent only waits:
    the millions of short-lived Python objects of the work are made and dropped in the
    children, so the parent's memory stays that of the compact results. A child's
    exception is re-raised here with its traceback.
    """
    return fork_start(jobs).results()


class Forked(Generic[R]):
    """Jobs started by `fork_start`; `results()` waits for them (or runs them, if not forked)."""

    def __init__(self, jobs: Sequence[Callable[[], R]]) -> None:
        self._jobs = list(jobs)
        self._children: list[_Child] = []
        if len(self._jobs) > 1 and hasattr(os, "fork"):
            try:
                for job in self._jobs:
                    self._children.append(_spawn(job))
            except BaseException:
                self._kill_all()
                raise

    def results(self) -> list[R]:
        if not self._children:
            return [job() for job in self._jobs]
        try:
            return [_collect(child) for child in self._children]
        except BaseException:
            self._kill_all()
            raise

    def _kill_all(self) -> None:
        for child in self._children:
            if child.running:
                with suppress(ProcessLookupError, ChildProcessError):
                    os.kill(child.pid, 9)
                    os.waitpid(child.pid, 0)
                child.running = False
            child.close()


def fork_start(jobs: Sequence[Callable[[], R]]) -> Forked[R]:
    """Start `fork_run`'s jobs and return at once, so this process can do other work meanwhile."""
    return Forked(jobs)


@dataclass
class _Child:
    pid: int
    pipe: int | None  # read end: the pickled result, or the layout of the result in `memfd`
    memfd: int | None  # shared anonymous file for the result's big buffers (Linux)
    running: bool = True  # not yet waited for (its pid is still ours)

    def close(self) -> None:
        for fd in (self.pipe, self.memfd):
            if fd is not None:
                with suppress(OSError):
                    os.close(fd)
        self.pipe = self.memfd = None


def _spawn(job: Callable[[], Any]) -> _Child:
    read_fd, write_fd = os.pipe()
    memfd = None
    with suppress(AttributeError, OSError):  # not Linux: everything through the pipe
        memfd = os.memfd_create("ftflow-result", os.MFD_CLOEXEC)
    pid = os.fork()
    if pid == 0:  # child: compute, send, and leave without running the parent's cleanup
        os.close(read_fd)
        code = 0
        try:
            gc.disable()  # short-lived: collecting would only cost time
            message = _pack(("ok", job()), memfd)
        except BaseException:
            message = b"P" + pickle.dumps(("error", traceback.format_exc()))
            code = 1
        try:
            with os.fdopen(write_fd, "wb") as out:
                out.write(message)
        finally:
            os._exit(code)
    os.close(write_fd)
    return _Child(pid, read_fd, memfd)


def _pack(result: Any, memfd: int | None) -> bytes:
    """The message for the parent: the pickle itself ("P"), or ("M") the layout of a pickle whose
    big buffers (arrays) were written, uncopied, to the shared file; the parent maps them."""
    if memfd is not None:
        buffers: list[pickle.PickleBuffer] = []
        stream = pickle.dumps(result, protocol=5, buffer_callback=buffers.append)
        lengths = []
        try:
            with os.fdopen(os.dup(memfd), "wb") as f:
                for buffer in buffers:
                    raw = buffer.raw()
                    f.write(raw)
                    f.write(bytes(-raw.nbytes % _ALIGN))
                    lengths.append(raw.nbytes)
            return b"M" + pickle.dumps((lengths, stream), protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:  # shared memory full: send it all through the pipe
            os.ftruncate(memfd, 0)
    return b"P" + pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def _unpack(message: bytes, memfd: int | None) -> Any:
    if message[:1] == b"P":
        return pickle.loads(message[1:])
    lengths, stream = pickle.loads(message[1:])
    total = sum(n + (-n % _ALIGN) for n in lengths)
    if memfd is None or not total:
        return pickle.loads(stream, buffers=[b""] * len(lengths))
    # A private, writable mapping: arrays built on it behave like ordinary (writable) ones.
    view = memoryview(mmap.mmap(memfd, total, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ | mmap.PROT_WRITE))
    views, offset = [], 0
    for n in lengths:
        views.append(view[offset : offset + n])
        offset += n + (-n % _ALIGN)
    return pickle.loads(stream, buffers=views)


def _collect(child: _Child) -> Any:
    try:
        with os.fdopen(child.pipe, "rb", closefd=False) as f:  # type: ignore[arg-type]
            message = f.read()
        _, status = os.waitpid(child.pid, 0)
        child.running = False
        if not message:
            raise RuntimeError(f"worker process {child.pid} died ({_describe(status)}) before sending its result")
        kind, value = _unpack(message, child.memfd)
    finally:
        child.close()  # a mapping of the shared file stays valid
    if kind == "error":
        raise RuntimeError(f"worker process {child.pid} failed:\n{value}")
    return value


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"

"""Progress a person can follow: counts, rates and time left of the long stages (ingest, export,
fine-tune polling, evaluation), shown wherever the run is watched.

A stage asks for a :class:`Task` with :func:`track` and advances it; it never knows who watches::

    with progress.track("ingest", total=total_bytes, unit="bytes") as bar:
        for file in files:
            ...
            bar.advance(file.bytes, rows=file.rows, files=1)

Who watches is a :class:`Sink`, made current with :func:`use` (this context) or :func:`install`
(the process's default): the CLI installs rich bars on a terminal and periodic plain lines
otherwise (ftflow/cli_progress.py), flows install periodic lines to the Prefect run logger
(flows/progress.py). With no sink, :func:`track` returns a task that does nothing, so plain
function calls and tests pay nothing.

The figures (rate, time left, the line itself) are computed here, once, with an injectable clock.
A task is advanced from any thread; work in forked children is reported by the parent as each
part (or file) finishes.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

Clock = Callable[[], float]
DEFAULT_INTERVAL_S = 15.0  # PipelineConfig.progress.log_every_s's default
RATED = ("rows", "bytes", "requests")  # side counts whose rate is worth showing


class Sink(Protocol):
    """Shows tasks: told when one opens, changes and closes (changes may come from any thread)."""

    def opened(self, task: Task) -> None: ...

    def changed(self, task: Task) -> None: ...

    def closed(self, task: Task) -> None: ...


class Task:
    """One tracked piece of work: ``completed`` of ``total`` (None: unknown) in ``unit``, plus
    named side counts (rows, files, ...), a free-text ``status``, and the figures derived from them."""

    def __init__(self, sink: Sink | None, description: str, total: float | None = None, unit: str = "rows",
                 clock: Clock = time.monotonic) -> None:  # fmt: skip
        self.sink, self.description, self.total, self.unit = sink, description, total, unit
        self.clock = clock
        self.started = clock()
        self.ended: float | None = None
        self.completed: float = 0
        self.counts: dict[str, int] = {}
        self.status = ""
        self._lock = threading.Lock()
        if sink is not None:
            sink.opened(self)

    # --- what stages call ------------------------------------------------------------------
    def advance(self, n: float = 1, **counts: int) -> None:
        """``n`` more of the unit done, and the side counts (``rows=``, ``files=``) added."""
        with self._lock:
            self.completed += n
            for name, value in counts.items():
                self.counts[name] = self.counts.get(name, 0) + value
        if self.sink is not None:
            self.sink.changed(self)

    def update(self, *, completed: float | None = None, total: float | None = None, status: str | None = None,
               **counts: int) -> None:  # fmt: skip
        """Set figures that the work reports as absolutes (a job's step, its status)."""
        with self._lock:
            if completed is not None:
                self.completed = completed
            if total is not None:
                self.total = total
            if status is not None:
                self.status = status
            self.counts.update(counts)
        if self.sink is not None:
            self.sink.changed(self)

    def close(self) -> None:
        if self.ended is None:
            self.ended = self.clock()
            if self.sink is not None:
                self.sink.closed(self)

    def __enter__(self) -> Task:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the figures -----------------------------------------------------------------------
    @property
    def elapsed(self) -> float:
        return (self.ended if self.ended is not None else self.clock()) - self.started

    def rate(self, count: str | None = None) -> float | None:
        """Per second since the start, of the unit (or of a side count); None before any time passed."""
        elapsed = self.elapsed
        done = self.completed if count is None else self.counts.get(count, 0)
        return done / elapsed if elapsed > 0 else None

    def eta(self) -> float | None:
        """Seconds left at the rate so far; None when the total or the rate is unknown."""
        rate = self.rate()
        if self.total is None or not rate:
            return None
        return max(0.0, (self.total - self.completed) / rate)

    def figures(self) -> str:
        """``1,234/10,000 rows · 3 files (5,678 rows/s, ETA 2s)``: everything but the description."""
        done = amount(self.completed, self.unit)
        head = f"{self.status}, " if self.status else ""
        if self.total is not None and not (self.ended is not None and self.completed == self.total):
            done = f"{amount(self.completed, self.unit, bare=True)}/{amount(self.total, self.unit)}"
        head += done
        side = "".join(f" · {amount(v, k)}" for k, v in self.counts.items())
        rates = [
            r
            for r in (_rate(self.rate(), self.unit), *(_rate(self.rate(k), k) for k in self.counts if k in RATED))
            if r
        ]
        if self.ended is not None:
            tail = [f"in {duration(self.elapsed)}", *rates]
        else:
            eta = self.eta()
            tail = [*rates, f"ETA {duration(eta)}" if eta is not None else f"{duration(self.elapsed)} elapsed"]
        return f"{head}{side} ({', '.join(tail)})"

    def line(self) -> str:
        return f"{self.description}: {'done, ' if self.ended is not None else ''}{self.figures()}"


class _NullTask(Task):
    """What :func:`track` gives when nobody watches: every call does nothing."""

    def __init__(self) -> None:
        super().__init__(None, "", clock=lambda: 0.0)

    def advance(self, n: float = 1, **counts: int) -> None:
        return None

    def update(self, **_: Any) -> None:
        return None

    def close(self) -> None:
        return None


NULL = _NullTask()


class LineSink:
    """Periodic plain lines (a log, a pipe, CI): a task's line at most every ``interval_s`` while it
    runs, and always its final line when it closes. ``emit`` gets each line (``logger.info``, a print)."""

    def __init__(self, emit: Callable[[str], None], interval_s: float = DEFAULT_INTERVAL_S,
                 clock: Clock = time.monotonic) -> None:  # fmt: skip
        self.emit, self.interval_s, self.clock = emit, interval_s, clock
        self._last: dict[int, float] = {}
        self._lock = threading.Lock()

    def opened(self, task: Task) -> None:
        with self._lock:
            self._last[id(task)] = self.clock()

    def changed(self, task: Task) -> None:
        now = self.clock()
        with self._lock:
            if now - self._last.get(id(task), now) < self.interval_s:
                return
            self._last[id(task)] = now
        self.emit(task.line())

    def closed(self, task: Task) -> None:
        with self._lock:
            self._last.pop(id(task), None)
        self.emit(task.line())


_CURRENT: contextvars.ContextVar[Sink | None] = contextvars.ContextVar("ftflow_progress", default=None)
_DEFAULT: list[Sink | None] = [None]  # install()'s sink, for every thread and context without use()


def current() -> Sink | None:
    """The sink of this context (:func:`use`), else the process's (:func:`install`), else None."""
    return _CURRENT.get() or _DEFAULT[0]


def install(sink: Sink | None) -> None:
    """The process's default sink (the CLI's); None removes it."""
    _DEFAULT[0] = sink


@contextmanager
def use(sink: Sink | None) -> Iterator[Sink | None]:
    """Make ``sink`` current in this context (a flow run) while the block runs."""
    token = _CURRENT.set(sink)
    try:
        yield sink
    finally:
        _CURRENT.reset(token)


def track(description: str, total: float | None = None, unit: str = "rows") -> Task:
    """A task shown by the current sink (a no-op one when there is none); use it with ``with``."""
    sink = current()
    return Task(sink, description, total, unit) if sink is not None else NULL


# --- formatting ----------------------------------------------------------------------------


def amount(value: float, unit: str, *, bare: bool = False) -> str:
    """``12.3 MB`` for bytes, ``1,234 rows`` otherwise (``bare``: the number alone, except for bytes,
    whose unit changes with the size)."""
    if unit == "bytes":
        size, suffix = float(value), "B"
        for suffix in ("B", "kB", "MB", "GB", "TB"):
            if abs(size) < 1000 or suffix == "TB":
                break
            size /= 1000
        return f"{size:.0f} B" if suffix == "B" else f"{size:.1f} {suffix}"
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return number if bare else f"{number} {_singular(unit) if value == 1 else unit}"


def _singular(unit: str) -> str:
    return unit[:-3] + "y" if unit.endswith("ies") else unit[:-1] if unit.endswith("s") else unit


def _rate(per_second: float | None, unit: str) -> str:
    if not per_second:
        return ""
    if unit == "bytes":
        return f"{amount(per_second, 'bytes')}/s"
    return f"{per_second:,.0f} {unit}/s" if per_second >= 10 else f"{per_second:,.1f} {unit}/s"


def duration(seconds: float) -> str:
    """``0.4s``, ``42s``, ``3m05s``, ``1h02m``."""
    if seconds < 9.95:
        return f"{seconds:.1f}s"
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"

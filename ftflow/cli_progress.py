"""How the CLI shows progress (ftflow/progress.py's sinks for a person): rich bars with counts,
rates and time left on a terminal, plain lines every few seconds when stderr is piped (CI, a log
file), both on stderr so that stdout (tables, ``--json``) stays clean. A finished task leaves its
final line, so the terminal keeps a record of what ran and how fast."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn
from rich.text import Text

from ftflow import progress
from ftflow.progress import LineSink, Task

REFRESH_S = 0.1  # a bar's figures are redrawn at most this often (rich refreshes the screen 10 times a second)


class RichSink:
    """Rich bars; the live display runs only while some task (or stage) is open."""

    def __init__(self, console: Console) -> None:
        self.console = console
        # redirect_stdout=False: what a command prints to stdout (tables, --json) goes there untouched
        self.bars = Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(bar_width=24),
                             TextColumn("{task.fields[figures]}", markup=False), console=console, transient=True,
                             redirect_stdout=False)  # fmt: skip
        self._ids: dict[int, TaskID] = {}
        self._shown: dict[int, float] = {}  # task -> when its bar was last updated
        self._open = 0
        self._lock = threading.Lock()

    def add(self, description: str, total: float | None = None, figures: str = "") -> TaskID:
        with self._lock:
            if self._open == 0:
                self.bars.start()
            self._open += 1
        return self.bars.add_task(description, total=total, figures=figures)

    def remove(self, task_id: TaskID, final: str | None = None) -> None:
        self.bars.remove_task(task_id)
        if final is not None:
            self.console.print(Text(final, style="dim"))
        with self._lock:
            self._open -= 1
            if self._open == 0:
                self.bars.stop()

    def opened(self, task: Task) -> None:
        self._ids[id(task)] = self.add(task.description, task.total, task.figures())

    def changed(self, task: Task) -> None:
        task_id, now = self._ids.get(id(task)), time.monotonic()
        if task_id is not None and now - self._shown.get(id(task), 0.0) >= REFRESH_S:
            self._shown[id(task)] = now
            self.bars.update(task_id, completed=task.completed, total=task.total, figures=task.figures())

    def closed(self, task: Task) -> None:
        task_id = self._ids.pop(id(task), None)
        self._shown.pop(id(task), None)
        if task_id is not None:
            self.remove(task_id, task.line())


def stderr_sink(console: Console, interval_s: float = progress.DEFAULT_INTERVAL_S) -> RichSink | LineSink:
    """Bars when stderr is a terminal, else a plain line per task at most every ``interval_s``."""
    if sys.stderr.isatty() and console.is_terminal:
        return RichSink(console)
    return LineSink(lambda line: console.print(line, highlight=False, markup=False, soft_wrap=True), interval_s)


def install(console: Console) -> None:
    """The CLI's sink for this process (every command)."""
    progress.install(stderr_sink(console))


def set_interval(interval_s: float) -> None:
    """The configured seconds between plain lines (``progress.log_every_s``), once the config is read."""
    sink = progress.current()
    if isinstance(sink, LineSink):
        sink.interval_s = interval_s


class Stages:
    """The running stage of `ftflow prepare`: a spinner line on a terminal, one line per stage otherwise."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.task: Any = None

    def stage(self, name: str) -> None:
        sink = progress.current()
        if isinstance(sink, RichSink):
            previous, self.task = self.task, sink.add(name)  # the new line first: the display stays up
            if previous is not None:
                sink.remove(previous)
        else:
            self.console.print(f"[dim]… {name}[/]", highlight=False)

    def __enter__(self) -> Stages:
        return self

    def __exit__(self, *exc: object) -> None:
        sink = progress.current()
        if isinstance(sink, RichSink) and self.task is not None:
            sink.remove(self.task)
            self.task = None


def uninstall() -> None:
    """At the command's end: a display left open by a failed stage is stopped, the sink removed."""
    sink = progress.current()
    if isinstance(sink, RichSink) and sink._open:
        sink.bars.stop()
    progress.install(None)

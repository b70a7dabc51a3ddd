"""Progress in a Prefect run's logs: the long stages' counts, rates and time left (ftflow/progress.py),
one line per stage at most every ``progress.log_every_s`` seconds plus its final line.

A line goes to the logger of the task run it comes from (so it shows under that task in the UI), or,
from a thread Prefect does not know (an S3 upload's worker), to the flow run's logger.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from prefect.exceptions import MissingContextError
from prefect.logging import get_run_logger

from ftflow import progress

Logger = logging.Logger | logging.LoggerAdapter[Any]


def run_log_sink(interval_s: float = progress.DEFAULT_INTERVAL_S,
                 logger: Callable[[], Logger] = get_run_logger) -> progress.LineSink:  # fmt: skip
    """A sink writing to the run logger ``logger()`` finds where the line is made (else the one of now)."""
    fallback = logger()

    def emit(line: str) -> None:
        try:
            current = logger()
        except MissingContextError:
            current = fallback
        current.info(line)

    return progress.LineSink(emit, interval_s)


@contextmanager
def run_logs(interval_s: float = progress.DEFAULT_INTERVAL_S) -> Iterator[progress.LineSink]:
    """While the block runs (a flow's body), progress goes to the run logs."""
    sink = run_log_sink(interval_s)
    with progress.use(sink):
        yield sink

"""The quality gate in a separate process that imports Great Expectations ahead of time.

Importing GX takes seconds (thousands of modules), the same for 100 rows as for a
million. Started when a run begins, the child imports it while the other stages work,
at idle priority so that it takes a core they leave idle rather than slowing them;
the gate then runs there on the features table sent over. Results are the same as
`quality.run_gate` in this process, which is what happens when GX is already imported
here (or a child cannot be started). The child is a fresh interpreter (not
multiprocessing, which would re-run the caller's main script in it).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import traceback
from pathlib import Path
from typing import IO, Any

import pandas as pd

from ftflow.config import PrepareConfig
from tasks import quality

# The child lowers its priority before anything else: even its imports should use only idle time.
_CHILD = (
    "import os, sys\n"
    "try:\n    os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))\n"
    "except Exception:\n    try:\n        os.nice(19)\n    except Exception:\n        pass\n"
    "sys.path[:0] = {path!r}\n"
    "from tasks.gate_process import serve\n"
    "serve()\n"
)


class GateProcess:
    """A started child that will run `quality.run_gate`; use `run_gate`, then `close`."""

    def __init__(self) -> None:
        code = _CHILD.format(path=[p for p in sys.path if p])
        self._proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def run_gate(self, features: pd.DataFrame, cfg: PrepareConfig, data_docs_dir: Path | None) -> quality.GateResult:
        # Now the run waits for the gate: back to normal priority (allowed with CAP_SYS_NICE; else
        # the child keeps using idle time only, which is slower under other load, never wrong).
        with contextlib.suppress(AttributeError, OSError):
            os.sched_setscheduler(self._proc.pid, os.SCHED_OTHER, os.sched_param(0))
        try:
            _send(self._proc.stdin, (features, cfg, data_docs_dir))
            kind, value = pickle.load(self._proc.stdout)  # type: ignore[arg-type]
        except (EOFError, OSError, pickle.UnpicklingError):  # the child died: run the gate here instead
            return quality.run_gate(features, cfg, data_docs_dir)
        if kind == "error":
            raise RuntimeError(f"quality gate failed in its process:\n{value}")
        return value

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._proc.stdin.close()  # type: ignore[union-attr]
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        with contextlib.suppress(OSError):
            self._proc.stdout.close()  # type: ignore[union-attr]


def start() -> GateProcess | None:
    """A gate process, or None when the gate had better run here (GX imported already, no child possible)."""
    if "great_expectations" in sys.modules:
        return None
    try:
        return GateProcess()
    except OSError:
        return None


def run_gate(process: GateProcess | None, features: pd.DataFrame, cfg: PrepareConfig,
             data_docs_dir: Path | None) -> quality.GateResult:  # fmt: skip
    """The quality-gate stage, in `process` if there is one."""
    if process is None:
        return quality.run_gate(features, cfg, data_docs_dir)
    return process.run_gate(features, cfg, data_docs_dir)


def serve() -> None:
    """The child's loop: requests on stdin, results on stdout (anything else printed goes to stderr)."""
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = sys.stdin.buffer
    quality.import_gx()
    while True:
        try:
            request: Any = pickle.load(requests)
        except EOFError:  # the parent closed the pipe (or died): leave without tearing down GX
            replies.close()
            os._exit(0)
        try:
            _send(replies, ("ok", quality.run_gate(*request)))
        except Exception:
            _send(replies, ("error", traceback.format_exc()))


def _send(stream: IO[bytes] | None, value: Any) -> None:
    assert stream is not None
    pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()

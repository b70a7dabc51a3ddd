"""The quality gate in a separate process that imports Great Expectations ahead of time.

Importing GX takes seconds (thousands of modules), the same for 100 rows as for a
million. Started when a run begins, the child imports it while the other stages work,
at a lower priority: it takes what the stages leave idle and about a tenth of a core
beside them, which has the import done by the time the gate needs it (at idle-only
priority it had not, and the gate then waited with a core idle); the gate then runs
there on the features table sent over. Results are the same as
`quality.run_gate` in this process, which is what happens when GX is already imported
here (or a child cannot be started).

The child is forked (it inherits pandas and the rest, already imported) when this
process runs a single thread; otherwise it is a fresh interpreter, since forking beside
other threads is unsafe. Not multiprocessing, which would re-run the caller's main script.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
import traceback
from pathlib import Path
from typing import IO, Any

import pandas as pd

from ftflow.config import PrepareConfig
from ftflow.tasks.prepare import quality

_NICE = 10  # weight 110 against the stages' 1024 each
# A fresh child lowers its priority before anything else: its imports too.
_CHILD = (
    "import os, sys\n"
    f"try:\n    os.nice({_NICE})\nexcept OSError:\n    pass\n"
    "sys.path[:0] = {path!r}\nfrom ftflow.tasks.prepare.gate_process import serve\nserve()\n"
)


class GateProcess:
    """A started child that will run `quality.run_gate`; use `run_gate`, then `close`."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        if hasattr(os, "fork") and threading.active_count() == 1:
            requests_r, requests_w = os.pipe()
            replies_r, replies_w = os.pipe()
            self.pid = os.fork()
            if self.pid == 0:  # the child
                os.close(requests_w)
                os.close(replies_r)
                _lower_priority()
                _serve(os.fdopen(requests_r, "rb"), os.fdopen(replies_w, "wb"))
            os.close(requests_r)
            os.close(replies_w)
            self._requests: IO[bytes] = os.fdopen(requests_w, "wb")
            self._replies: IO[bytes] = os.fdopen(replies_r, "rb")
        else:
            code = _CHILD.format(path=[p for p in sys.path if p])
            self._proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            self.pid = self._proc.pid
            self._requests, self._replies = self._proc.stdin, self._proc.stdout  # type: ignore[assignment]

    def run_gate(self, features: pd.DataFrame, cfg: PrepareConfig, data_docs_dir: Path | None) -> quality.GateResult:
        # Now the run waits for the gate: back to normal priority (allowed with CAP_SYS_NICE; else
        # the child keeps its lower one, which is slower under other load, never wrong).
        with contextlib.suppress(AttributeError, OSError):
            os.setpriority(os.PRIO_PROCESS, self.pid, 0)
        try:
            _send(self._requests, (features, cfg, data_docs_dir))
            kind, value = pickle.load(self._replies)
        except (EOFError, OSError, pickle.UnpicklingError):  # the child died: run the gate here instead
            return quality.run_gate(features, cfg, data_docs_dir)
        if kind == "error":
            raise RuntimeError(f"quality gate failed in its process:\n{value}")
        return value

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._requests.close()
        with contextlib.suppress(OSError):
            self._replies.close()
        if self._proc is not None:
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            return
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


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
    """The quality-gate stage, in `process` if there is one; the process ends with it (its
    hundreds of MB of GX are not needed by the stages after)."""
    if process is None:
        return quality.run_gate(features, cfg, data_docs_dir)
    try:
        return process.run_gate(features, cfg, data_docs_dir)
    finally:
        process.close()


def serve() -> None:
    """A fresh child's loop: requests on stdin, results on stdout (anything else printed goes to stderr)."""
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    _serve(sys.stdin.buffer, replies)


def _serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    code = 0
    try:
        quality.import_gx()
        while True:
            try:
                request: Any = pickle.load(requests)
            except EOFError:  # the parent closed the pipe (or died)
                break
            try:
                _send(replies, ("ok", quality.run_gate(*request)))
            except Exception:
                _send(replies, ("error", traceback.format_exc()))
    except BaseException:
        code = 1
    finally:
        with contextlib.suppress(OSError):
            replies.close()
        os._exit(code)  # leave without tearing down GX (or, if forked, the parent's state)


def _lower_priority() -> None:
    with contextlib.suppress(OSError):
        os.nice(_NICE)


def _send(stream: IO[bytes], value: Any) -> None:
    pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()

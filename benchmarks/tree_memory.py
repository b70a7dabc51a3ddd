"""Peak memory of a whole process tree, for benchmarks of code that forks workers.

ru_maxrss is per process, and a forked worker's RSS counts the pages it shares with
its parent, so neither the parent's nor the largest child's peak is what the run costs.
This samples the sum of PSS (shared pages split among their sharers: the sum is the
real footprint) over the process and all its descendants (Linux /proc).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_pss_kb(root: int) -> int:
    """Summed PSS of `root` and its descendants now, in kB."""
    children = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _pss_kb(pid)
        todo.extend(children.get(pid, ()))
    return total


class TreePeak(threading.Thread):
    """Samples tree_pss_kb(pid) every `interval` seconds until stop(); `peak_gb` is the largest sum seen."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak_kb = max(self.peak_kb, tree_pss_kb(self.pid))
            self._stop_event.wait(self.interval)

    def stop(self) -> float:
        self._stop_event.set()
        self.join()
        return self.peak_gb

    @property
    def peak_gb(self) -> float:
        return self.peak_kb / 1024 / 1024


def available() -> bool:
    return os.path.exists(f"/proc/{os.getpid()}/smaps_rollup")

"""prepare on a local Dask cluster of 1 and 2 workers: throughput per worker, the per-partition
cost of each map step, and what crosses the network per row (the inputs of the global steps).

Usage: ``python benchmarks/bench_dask.py [N ...] [--workers 1 2]`` (default N = 100000)

For each N: generate N labelled examples (benchmarks/generate.py), prepare them once with the
local fork executor (the reference dataset_sha256), then on a ``distributed.LocalCluster`` of
W worker processes (one thread each) for each W. Dask's task stream gives each task's compute
time on its worker; the results' sizes (``dask.sizeof``) are what the client gathers. Writes
``benchmarks/results/dask-<N>.json`` and prints a table. Everything runs on this machine, so
"W workers" share its cores with the client (and, here, with other jobs): read the per-worker
compute seconds, not the wall, when extrapolating (docs/scale.md).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from distributed import Client, LocalCluster, get_task_stream  # noqa: E402

from ftflow.config import PrepareConfig  # noqa: E402
from ftflow.tasks.prepare import executors  # noqa: E402
from ftflow.tasks.prepare.executor_dask import DaskExecutor  # noqa: E402
from ftflow.tasks.prepare.stage import prepare_dataset  # noqa: E402


class Measured(DaskExecutor):
    """The dask executor, noting per function: partitions, bytes sent per task, bytes gathered."""

    def __init__(self, client: Client) -> None:
        super().__init__(client=client)
        self.stats: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.measuring_s = 0.0  # time spent sizing payloads: taken out of the wall

    def start(self, fn: Any, shared: Any, parts: Any) -> Any:
        if executors.runs_on_client(fn) or not parts:
            return super().start(fn, shared, parts)
        s = self.stats[fn.__name__]
        slicer = executors.slicer_of(fn)
        s["partitions"] += len(parts)
        t0 = time.perf_counter()
        s["sent_bytes"] += sum(_size(slicer(shared, p)) for p in parts) if slicer else _size(shared)
        self.measuring_s += time.perf_counter() - t0
        pending = super().start(fn, shared, parts)
        outer = self

        class _Counted:
            def results(self) -> list[Any]:
                out = pending.results()
                t0 = time.perf_counter()
                outer.stats[fn.__name__]["gathered_bytes"] += sum(_size(r) for r in out)
                outer.measuring_s += time.perf_counter() - t0
                return out

        return _Counted()


def _size(obj: Any) -> int:
    """Bytes of an object on the wire (pickle protocol 5, buffers included): what Dask moves."""
    buffers: list[pickle.PickleBuffer] = []
    head = pickle.dumps(obj, protocol=5, buffer_callback=buffers.append)
    return len(head) + sum(b.raw().nbytes for b in buffers)


def _generate(n: int, root: Path) -> Path:
    data = root / f"gen-{n}"
    if not (data / "examples.jsonl").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(data)], check=True)
    return data / "examples.jsonl"


def _task_compute(stream: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per function: compute seconds summed over its tasks, and the slowest task (from the task stream)."""
    out: dict[str, dict[str, float]] = defaultdict(lambda: {"compute_s": 0.0, "max_task_s": 0.0, "tasks": 0})
    for t in stream:
        key = t["key"] if isinstance(t["key"], str) else str(t["key"])
        name = key.removeprefix("ftflow-").rsplit("-", 2)[0]
        secs = sum(s["stop"] - s["start"] for s in t["startstops"] if s["action"] == "compute")
        out[name]["compute_s"] += secs
        out[name]["max_task_s"] = max(out[name]["max_task_s"], secs)
        out[name]["tasks"] += 1
    return out


def run(n: int, workers: list[int], work: Path) -> dict[str, Any]:
    src = str(_generate(n, work))
    t0 = time.perf_counter()
    local = prepare_dataset([src], work / f"fork-{n}", PrepareConfig(executor="fork"))
    result: dict[str, Any] = {"rows": n, "input_bytes": os.path.getsize(src), "cores": os.cpu_count(),
                              "fork": {"wall_s": round(time.perf_counter() - t0, 2), "timings": local.timings,
                                       "dataset_sha256": local.dataset_sha256}, "dask": {}}  # fmt: skip
    for w in workers:
        with LocalCluster(n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster, set_as_default=False) as client:  # fmt: skip
            engine = Measured(client)
            with get_task_stream(client=client) as ts:
                t0 = time.perf_counter()
                res = prepare_dataset([src], work / f"dask-{n}-{w}", PrepareConfig(executor="inline"),
                                      executor=engine)  # fmt: skip
                wall = time.perf_counter() - t0 - engine.measuring_s
            compute = _task_compute(ts.data)
        per_fn = {name: {**{k: round(v, 3) for k, v in compute.get(name, {}).items()},
                         **{k: round(v) for k, v in stats.items()},
                         "gathered_bytes_per_row": round(stats["gathered_bytes"] / n, 1),
                         "sent_bytes_per_row": round(stats["sent_bytes"] / n, 1)}
                  for name, stats in engine.stats.items()}  # fmt: skip
        worker_s = sum(v["compute_s"] for v in compute.values())
        result["dask"][w] = {
            "wall_s": round(wall, 2),
            "rows_per_s": round(n / wall),
            "rows_per_s_per_worker": round(n / wall / w),
            "worker_compute_s": round(worker_s, 2),
            "rows_per_worker_compute_s": round(n / worker_s) if worker_s else None,
            "timings": res.timings,
            "per_function": per_fn,
            "same_dataset_as_fork": res.dataset_sha256 == local.dataset_sha256,
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000])
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--work", type=Path, default=None, help="folder for generated data (default: a temp dir)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ftflow-bench-dask-"))
    for n in args.sizes:
        r = run(n, args.workers, work)
        out = HERE / "results" / f"dask-{n}.json"
        out.write_text(json.dumps(r, indent=2) + "\n")
        print(f"N={n:,}  fork wall {r['fork']['wall_s']} s")
        for w, d in r["dask"].items():
            print(f"  {w} worker(s): wall {d['wall_s']} s, {d['rows_per_s']:,} rows/s "
                  f"({d['rows_per_s_per_worker']:,}/worker), worker compute {d['worker_compute_s']} s "
                  f"({d['rows_per_worker_compute_s']:,} rows per worker-second), same dataset: {d['same_dataset_as_fork']}")  # fmt: skip
            for name, f in d["per_function"].items():
                print(f"    {name:16s} tasks {f.get('tasks', 0):3d}  compute {f.get('compute_s', 0):7.2f} s  "
                      f"slowest {f.get('max_task_s', 0):6.2f} s  sent {f['sent_bytes_per_row']:7.1f} B/row  "
                      f"gathered {f['gathered_bytes_per_row']:7.1f} B/row")  # fmt: skip
        print(f"  -> {out}")


if __name__ == "__main__":
    main()

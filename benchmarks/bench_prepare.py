"""Benchmark `prepare` against a naive reference pass, and score it on labelled data.

    .venv/bin/python benchmarks/bench_prepare.py 100000 1000000 [--repeat 3]

For each N: generate N labelled examples (benchmarks/generate.py), then in the same run
and each in a fresh process: the naive pass (json.loads, the cookbook's format checks
and one tiktoken encode per message, in plain Python loops) and the full `prepare`.
Reports wall time, peak RSS and detection quality against the labels; writes
benchmarks/results/prepare.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pandas as pd
from tree_memory import TreePeak  # benchmarks/ is on sys.path when run as a script

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"

NAIVE = r"""
import json, sys
from collections import defaultdict
from ftflow.tokens import get_encoding
enc = get_encoding("gpt-4o-mini-2024-07-18")
errors = defaultdict(int)
n_tokens = []
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        ex = json.loads(line)
        # The cookbook's format checks, as written in its notebook.
        if not isinstance(ex, dict):
            errors["data_type"] += 1
            continue
        messages = ex.get("messages", None)
        if not messages:
            errors["missing_messages_list"] += 1
            continue
        for message in messages:
            if "role" not in message or "content" not in message:
                errors["message_missing_key"] += 1
            if any(k not in ("role", "content", "name", "function_call", "weight") for k in message):
                errors["message_unrecognized_key"] += 1
            if message.get("role", None) not in ("system", "user", "assistant", "function"):
                errors["unrecognized_role"] += 1
            content = message.get("content", None)
            function_call = message.get("function_call", None)
            if (not content and not function_call) or not isinstance(content, str):
                errors["missing_content"] += 1
        if not any(message.get("role", None) == "assistant" for message in messages):
            errors["example_missing_assistant_message"] += 1
        total = 3
        for message in messages:
            total += 3 + len(enc.encode(message["content"]))
        n_tokens.append(total)
print(len(n_tokens), dict(errors))
"""

PREPARE = r"""
import sys
from ftflow.config import PrepareConfig
from ftflow.errors import QualityGateError
from ftflow.tasks.prepare.stage import prepare_dataset
try:
    r = prepare_dataset([sys.argv[1]], sys.argv[2], PrepareConfig())
    print(r.timings)
except QualityGateError as e:
    print("refused", e)
"""


def peak_rss_of(code: str, *args: str) -> tuple[float, float, str, dict[str, float]]:
    """Run `code` in a fresh interpreter: wall seconds, its own peak RSS in GB, its output, and
    what the whole process tree used (largest worker peak RSS, CPU seconds, peak summed PSS)."""
    wrapper = (
        "import resource, runpy, sys, time\n"
        f"code = {code!r}\n"
        "exec(compile(code, 'bench', 'exec'), {'__name__': '__main__'})\n"
        "me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime\n"
        "print('PEAK_KB', me.ru_maxrss, kids.ru_maxrss, cpu)\n"
    )
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", wrapper, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)  # fmt: skip
    sampler = TreePeak(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    tree_peak = sampler.stop()
    if proc.returncode != 0:
        raise SystemExit(stderr[-3000:])
    lines = stdout.strip().splitlines()
    _, peak_kb, workers_kb, cpu = lines[-1].split()
    tree = {"worker_peak_rss_gb": int(workers_kb) / 1024 / 1024, "cpu_seconds": float(cpu), "tree_pss_gb": tree_peak}
    return wall, int(peak_kb) / 1024 / 1024, "\n".join(lines[:-1]), tree


def score(out_dir: Path, labels: pd.DataFrame) -> dict[str, float]:
    """Detection quality of the quarantine against the generator's labels."""
    reasons: dict[int, list[str]] = {}
    with (out_dir / "quarantine.jsonl").open("rb") as f:
        for line in f:
            q = orjson.loads(line)
            reasons[q["row"]] = q["reasons"]
    lab = labels.set_index("line")["label"]

    def caught(label: str, accepted: set[str]) -> float:
        lines = lab.index[lab == label]
        hits = sum(1 for n in lines if accepted & set(reasons.get(n, ())))
        return hits / len(lines) if len(lines) else float("nan")

    flagged_near = [n for n, r in reasons.items() if "near_duplicate" in r]
    near_ok = sum(1 for n in flagged_near if lab.get(n) in ("near_duplicate", "duplicate"))
    clean = lab.index[lab.isin(["clean", "pii"])]
    return {
        "exact_duplicate_recall": caught("duplicate", {"duplicate"}),
        "near_duplicate_recall": caught("near_duplicate", {"near_duplicate", "duplicate"}),
        "near_duplicate_precision": near_ok / len(flagged_near) if flagged_near else float("nan"),
        "truncation_recall": caught("truncated", {"truncated", "too_short", "empty"}),
        "short_caught": caught("too_short", {"too_short", "empty"}),
        "empty_caught": caught("empty", {"empty"}),
        "clean_kept": sum(1 for n in clean if n not in reasons) / len(clean),
        "clean_rejected_by_reason": dict(
            pd.Series([r for n in clean if n in reasons for r in reasons[n]]).value_counts().items()
        ),
    }


def bench(n: int, repeat: int = 1) -> dict[str, object]:
    """Naive pass then prepare, `repeat` times in turn; times are medians, the ratio the median
    of the rounds' ratios (each round's two passes ran a few seconds apart, under the same load)."""
    data_dir = DATA / f"n{n}"
    if not (data_dir / "labels.parquet").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(data_dir)], check=True)
    examples = data_dir / "examples.jsonl"
    out_dir = data_dir / "prepared"
    rounds = []
    peak_pss = 0.0
    for _ in range(repeat):
        naive_wall, naive_rss, naive_summary, naive_tree = peak_rss_of(NAIVE, str(examples))
        prep_wall, prep_rss, prep_out, prep_tree = peak_rss_of(PREPARE, str(examples), str(out_dir))
        rounds.append((naive_wall, prep_wall))
        peak_pss = max(peak_pss, prep_tree["tree_pss_gb"])  # the worst round
    naive_wall = statistics.median(r[0] for r in rounds)
    prep_wall = statistics.median(r[1] for r in rounds)
    result = {
        "n": n,
        "naive_seconds": round(naive_wall, 1),
        "prepare_seconds": round(prep_wall, 1),
        "ratio_to_naive": round(statistics.median(p / q for q, p in rounds), 3),
        "rounds_naive_and_prepare_seconds": [[round(q, 1), round(p, 1)] for q, p in rounds],
        "naive_peak_rss_gb": round(naive_rss, 2),
        "prepare_peak_rss_gb": round(prep_rss, 2),
        # prepare forks one worker per core; these show what they used beside the main process
        "prepare_worker_peak_rss_gb": round(prep_tree["worker_peak_rss_gb"], 2),
        # what the run really costs: main process and workers together (PSS, sampled every 0.1 s)
        "prepare_tree_peak_pss_gb": round(peak_pss, 2),
        "naive_cpu_seconds": round(naive_tree["cpu_seconds"], 1),
        "prepare_cpu_seconds": round(prep_tree["cpu_seconds"], 1),
        "load_average_1min": os.getloadavg()[0],  # other work on the machine skews the ratio
        "naive_examples_and_errors": naive_summary,
        "prepare_stage_seconds": prep_out,
        "quality": score(out_dir, pd.read_parquet(data_dir / "labels.parquet")),
    }
    print(json.dumps(result, indent=2, default=str), flush=True)
    return result


def main(sizes: list[int], repeat: int) -> None:
    results = [bench(n, repeat) for n in sizes]
    if len(results) >= 2:
        small, big = results[0], results[-1]
        scale = big["prepare_seconds"] / small["prepare_seconds"]  # type: ignore[operator]
        print(f"scaling {big['n']}/{small['n']}: {scale:.2f}x time")
        results.append({"scaling_time_ratio": round(scale, 2)})
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "prepare.json").write_text(json.dumps(results, indent=2, default=str) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=1, help="rounds of naive pass + prepare per size")
    args = parser.parse_args()
    main(args.sizes, args.repeat)

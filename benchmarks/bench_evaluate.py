"""Benchmark the evaluation's answering: bounded concurrency under a client-side RPM limit,
with retries, against a sequential loop, both on the local OpenAI emulator.

    .venv/bin/python benchmarks/bench_evaluate.py            # 1,000 items × 2 models
    .venv/bin/python benchmarks/bench_evaluate.py --items 200 --sequential-items 50   # a quick look

Set-up (not timed): generate and prepare a dataset with at least ``--items`` test examples,
fine-tune a model on it in the emulator. Then the emulator adds ``--latency-ms`` to every
request and answers ``--fault-rate`` of them with a 429 (Retry-After 1 s) or a 500 (half each,
seeded), and in the same run:

- ``evaluate_models``: base model + the tuned candidate on the same items, 16 in flight,
  limited to ``--rpm`` requests per minute (every attempt counts: OpenAI counts rejected
  requests against the limit too), retries for 429/5xx, a fresh answer cache (nothing cached);
- a sequential loop: the same requests one at a time through the SDK (its own retries),
  no limiter, no cache.

Throughput is requests sent per minute (retries included: what the limit governs) and answers
per minute, over the answering phase. Writes benchmarks/results/evaluate.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import openai  # noqa: E402

from ftflow.config import EvaluateConfig, FinetuneConfig, PrepareConfig, Pricing, SplitConfig  # noqa: E402
from ftflow.emulator import start_emulator, stop_emulator  # noqa: E402
from ftflow.store import Root  # noqa: E402
from ftflow.tasks.evaluate.evaluation import evaluate_models, load_test_items  # noqa: E402
from ftflow.tasks.prepare.stage import prepare_dataset  # noqa: E402
from ftflow.tasks.publish.versions import open_dataset  # noqa: E402
from ftflow.tasks.train.openai import run_finetune  # noqa: E402


def faults(base_url: str, **switches: object) -> dict[str, int]:
    root = base_url.rsplit("/v1", 1)[0]
    if switches:
        httpx.post(f"{root}/_emulator/faults", json=switches, timeout=10).raise_for_status()
    return httpx.get(f"{root}/_emulator/faults", timeout=10).json()["stats"]


def diff(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in after}


def setup(work: Path, items: int) -> tuple[Path, str]:
    n = math.ceil(items / 0.5 / 0.8) + 200  # ~80 % survive the quality gate, half of them go to test
    raw = work / "raw"
    subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(raw), "--seed", "17"], check=True,
                   capture_output=True)  # fmt: skip
    cfg = PrepareConfig(split=SplitConfig(train=0.45, validation=0.05, test=0.5))
    ds = prepare_dataset([str(raw / "examples.jsonl")], work / "ds", cfg).out_dir
    outcome = run_finetune(ds, FinetuneConfig(suffix="bench", poll_interval_s=0.2), Pricing(), log=lambda _: None)
    if outcome.status != "succeeded" or not outcome.fine_tuned_model:
        raise SystemExit(f"fine-tune in the emulator failed: {outcome.error}")
    return ds, outcome.fine_tuned_model


def sequential(ds: Path, models: list[str], items: int, cfg: EvaluateConfig) -> dict[str, float]:
    """The obvious loop: one request after another, the SDK's own retries, nothing else."""
    client = openai.OpenAI(max_retries=8)
    chosen = load_test_items(open_dataset(ds), items)
    failed = sent = 0
    started = time.monotonic()
    for item in chosen:
        for model in models:
            sent += 1
            try:
                client.chat.completions.create(model=model, messages=item.messages, temperature=cfg.temperature,  # type: ignore[arg-type]
                                               seed=cfg.seed, max_completion_tokens=cfg.max_tokens)  # fmt: skip
            except openai.APIError:
                failed += 1
    seconds = time.monotonic() - started
    return {"answers": sent, "failed": failed, "seconds": round(seconds, 1),
            "answers_per_minute": round((sent - failed) / seconds * 60, 1)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1000, help="test items (each answered by 2 models)")
    parser.add_argument("--rpm", type=float, default=600, help="client-side requests-per-minute limit")
    parser.add_argument("--latency-ms", type=float, default=200, help="emulator latency per request")
    parser.add_argument("--fault-rate", type=float, default=0.05, help="share of requests answered 429 or 500")
    parser.add_argument("--sequential-items", type=int, default=None, help="items for the sequential loop (all)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "evaluate.json")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="ftflow-bench-eval-"))
    base_url, proc = start_emulator(work / "emulator", args=["--seconds-per-step", "0.002"])
    os.environ.update(OPENAI_BASE_URL=base_url, OPENAI_API_KEY="sk-bench")
    os.environ.pop("AZURE_OPENAI_ENDPOINT", None)
    try:
        t0 = time.monotonic()
        ds, candidate = setup(work, args.items)
        base = "gpt-4o-mini-2024-07-18"
        print(f"set-up (generate, prepare, fine-tune in the emulator): {time.monotonic() - t0:.0f} s; "
              f"candidate {candidate}", flush=True)  # fmt: skip
        storm = {"latency_ms": args.latency_ms, "rate_429": args.fault_rate / 2, "rate_500": args.fault_rate / 2,
                 "retry_after": 1.0, "seed": 1}  # fmt: skip
        # TPM is set high enough not to bind: this measures the RPM limiter, retries and concurrency.
        cfg = EvaluateConfig(requests_per_minute=args.rpm, tokens_per_minute=5_000_000, concurrency=16,
                             max_items=args.items)  # fmt: skip

        before = faults(base_url, **storm)
        result = evaluate_models(ds, candidate, cfg, root=Root(work / "dest"), run_id="bench",
                                 log=lambda line: print(f"  {line}", flush=True))  # fmt: skip
        injected = diff(faults(base_url), before)
        s = result.stats
        concurrent = {
            "items": len(result.items), "models": 2, "answers": int(s["answers"]), "failed_items": result.failed_items,
            "requests_sent": int(s["requests"]), "retries": int(s["retries"]), "answering_seconds": round(s["seconds"], 1),
            "requests_per_minute": s["requests_per_minute"], "answers_per_minute": s["answers_per_minute"],
            "share_of_limit_requests": round(s["requests_per_minute"] / args.rpm, 3),
            "share_of_limit_answers": round(s["answers_per_minute"] / args.rpm, 3),
            "evaluate_models_seconds": result.seconds, "limiter_wait_s": s["limiter_wait_s"],
            "emulator_saw": injected,
        }  # fmt: skip

        n_seq = args.sequential_items or args.items
        before = faults(base_url, **storm)
        seq = sequential(ds, [base, candidate], n_seq, cfg)
        seq["emulator_saw"] = diff(faults(base_url), before)
    finally:
        stop_emulator(proc)

    report = {
        "setting": {"items": args.items, "models": [base, "tuned candidate"], "rpm_limit": args.rpm,
                    "latency_ms": args.latency_ms, "fault_rate": args.fault_rate,
                    "faults": "half 429 (Retry-After 1 s), half 500, seeded", "concurrency": 16,
                    "cpu_count": os.cpu_count()},
        "concurrent_limited": concurrent,
        "sequential": seq,
        "speedup_answers_per_minute": round(concurrent["answers_per_minute"] / seq["answers_per_minute"], 2),
    }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    c = concurrent
    print(f"\n{args.items} items × 2 models, {args.latency_ms:g} ms latency, {args.fault_rate:.0%} 429/500, "
          f"limit {args.rpm:g} requests/min")  # fmt: skip
    print(f"concurrent + limiter: {c['answers']} answers, {c['failed_items']} failed items, {c['requests_sent']} "
          f"requests ({c['retries']} retries) in {c['answering_seconds']} s = {c['requests_per_minute']} requests/min "
          f"({c['share_of_limit_requests']:.1%} of the limit), {c['answers_per_minute']} answers/min "
          f"({c['share_of_limit_answers']:.1%})")  # fmt: skip
    print(f"sequential loop:      {seq['answers']} answers, {seq['failed']} failed in {seq['seconds']} s = "
          f"{seq['answers_per_minute']} answers/min")  # fmt: skip
    print(f"speed-up: {report['speedup_answers_per_minute']}×; written to {args.out}")
    ok = c["failed_items"] == 0 and c["share_of_limit_requests"] >= 0.9
    print("target (≥ 90 % of the limit, 0 failed items):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()

"""What the data-quality rules of issue #12 add to `prepare`, in CPU seconds, on generated data.

    .venv/bin/python benchmarks/bench_rules_cost.py 100000 [--prepare-cpu SECONDS]

Runs, in this one process and on the examples benchmarks/bench_prepare.py generates, each new
piece as `prepare` runs it: mojibake repair (RE2 prefilter + ftfy on the candidates), national
PII formats (prefilter + detectors, after tasks/prepare/pii.py as in normalize), and the corpus-learned
truncation stage (sample, language detection, learning, judging the open endings), and the
content-word count of the short answers (no_content). CPU time
(not wall time) so that other work on a shared machine does not skew it; compare with the
`prepare_cpu_seconds` bench_prepare.py reports for the same N (pass it as --prepare-cpu).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402

from ftflow.config import PrepareConfig  # noqa: E402
from ftflow.tasks.prepare import encoding_repair, pii, pii_national  # noqa: E402
from ftflow.tasks.prepare.checks import content_words, language, truncation, truncation_stage  # noqa: E402
from ftflow.tasks.prepare.ingest import ingest  # noqa: E402
from ftflow.tasks.prepare.records import ROLES  # noqa: E402
from ftflow.tasks.prepare.textcol import text_arrow  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--prepare-cpu", type=float, help="prepare_cpu_seconds of bench_prepare.py for the same N")
    args = ap.parse_args()
    data = HERE / "data" / f"n{args.n}" / "examples.jsonl"
    if not data.exists():
        raise SystemExit(f"{data} missing: run benchmarks/generate.py {args.n} {data.parent} first")
    cfg = PrepareConfig()
    ing = ingest([str(data)], cfg)
    arr = text_arrow(ing.messages["content"]).combine_chunks()
    cost: dict[str, float] = {}

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        t0 = time.process_time()
        out = fn()
        cost[name] = round(time.process_time() - t0, 3)
        return out

    truncation.preload()  # the English word lists: prepare loaded them before this issue too
    timed("load the language model (once per run)", language.preload)
    fixed, _ = timed("mojibake repair", lambda: encoding_repair.repair_array(arr))
    redacted, _ = pii.redact_array(fixed)  # tasks/prepare/pii.py: not new, not counted
    timed("national PII", lambda: pii_national.redact_array(redacted, cfg.quality.pii_regions))
    role = ing.messages["role"].cat.codes.to_numpy()
    trained = (role == ROLES.index("assistant")) & (ing.messages["weight"].to_numpy() != 0)
    codes = np.full(int(trained.sum()), -1, dtype=np.int8)  # as if the first pass had flagged nothing
    tokens = np.full(len(arr), 100, dtype=np.int64)
    contents = pa.chunked_array([redacted])
    learned = timed(
        "truncation: learn from a sample (main process)", lambda: truncation_stage.learn_profiles(contents, trained)
    )
    rows = np.flatnonzero(trained)
    texts = contents.take(pa.array(rows)).to_pylist()  # the forked parts hold these strings already
    timed(
        "truncation: judge every answer (split over the forked parts)",
        lambda: truncation_stage.judge_texts(texts, codes.tolist(), tokens[rows].tolist(), learned),
    )
    timed("content words (no_content; language sample + short answers)", lambda: content_words.compute(ing, cfg))
    total = round(sum(cost.values()), 3)
    result = {"n": args.n, "messages": len(arr), "cpu_seconds": cost, "total_cpu_seconds": total,
              "load_average_at_end": [round(x, 1) for x in os.getloadavg()]}  # fmt: skip
    if args.prepare_cpu:
        result["share_of_prepare_cpu"] = round(total / args.prepare_cpu, 3)
    print(json.dumps(result, indent=1))
    (HERE / "results" / f"rules_cost_{args.n}.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()

"""Training throughput of the hf-lora backend on this machine (tokens/s), through the product's
own path (ftflow.tasks.train.backends.train → TRL SFTTrainer + PEFT LoRA), on models built offline from the
dataset's text (nothing from a hub).

    .venv/bin/python benchmarks/bench_train.py [--configs tiny,small,medium] [--steps 20]

Tokens are the non-padding tokens the trainer fed the model (prompt and answer; the loss is on the
answers only); seconds are transformers' train_runtime, which includes one checkpoint and one
validation pass at the last step. Results: benchmarks/results/train.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# name -> (vocab, hidden, layers, heads)
CONFIGS = {"tiny": (1024, 64, 2, 4), "small": (4096, 256, 4, 4), "medium": (8192, 512, 8, 8)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", default="tiny,small,medium")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--max-length", type=int, default=512)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "train.json")
    args = parser.parse_args()
    os.environ["HF_HUB_OFFLINE"] = "1"

    import torch

    from ftflow.config import FinetuneConfig, HfLoraConfig, Pricing
    from ftflow.tasks.train.backends import train
    from tests.hf_tiny import build_tiny_model, prepared_sample

    work = Path(tempfile.mkdtemp(prefix="ftflow-bench-train-"))
    dataset = prepared_sample(work / "dataset")
    runs = []
    for name in args.configs.split(","):
        vocab, hidden, layers, heads = CONFIGS[name]
        base = build_tiny_model([dataset / "train.jsonl"], work / f"base-{name}", vocab_size=vocab,
                                hidden_size=hidden, layers=layers, heads=heads)  # fmt: skip
        from transformers import AutoModelForCausalLM

        params = sum(p.numel() for p in AutoModelForCausalLM.from_pretrained(base).parameters())
        hf = HfLoraConfig(base_model=str(base), work_dir=str(work / "runs"), max_steps=args.steps,
                          save_steps=args.steps, batch_size=args.batch_size, max_length=args.max_length,
                          learning_rate=1e-3, device="auto")  # fmt: skip
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        outcome = train(dataset, FinetuneConfig(backend="hf-lora", seed=1, hf=hf), Pricing(), log=lambda _: None)
        wall = time.monotonic() - started
        report = json.loads((work / "runs" / outcome.job_id / "finetune.json").read_text())
        tokens, seconds = int(outcome.trained_tokens or 0), float(report["seconds"])
        run = {"config": name, "vocab": vocab, "hidden": hidden, "layers": layers, "parameters": params,
               "lora_r": hf.lora_r, "steps": report["global_step"], "batch_size": args.batch_size,
               "max_length": args.max_length, "tokens": tokens, "train_runtime_s": seconds,
               "tokens_per_s": round(tokens / seconds, 1), "wall_s_with_load_and_save": round(wall, 1),
               "estimated_tokens": outcome.estimated_tokens, "final_train_loss": report["final_metrics"].get("train_loss"),
               "device": report["device"],
               # other work on the machine competes for its cores: the 1-minute load average before and after
               "load_avg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)]}  # fmt: skip
        print(json.dumps(run), flush=True)
        runs.append(run)
    import transformers
    import trl

    result = {
        "what": "hf-lora training throughput (TRL SFTTrainer + PEFT LoRA, assistant-only loss), models built offline",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "torch_threads": torch.get_num_threads(), "platform": platform.platform(),
                    "cuda": torch.cuda.is_available()},
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__, "trl": trl.__version__},
        "dataset": "sample_data (hospital FAQ + chats), prepared: train examples as the pipeline writes them",
        "runs": runs,
    }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written {args.out}")


if __name__ == "__main__":
    main()

"""The training run of the hf-lora backend: TRL's SFTTrainer with a PEFT LoRA config on the chat
JSONL, checkpointing every ``save_steps`` and resuming from the last complete checkpoint.

Needs the `train` extra (torch, transformers, peft, trl, datasets); :mod:`ftflow.tasks.train.hf_lora` imports
this module only after checking it is installed.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import shutil
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import torch
from datasets import Dataset as HFDataset
from peft import LoraConfig
from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
from transformers.trainer_callback import PrinterCallback
from trl import SFTConfig, SFTTrainer

from ftflow.config import HfLoraConfig
from ftflow.messages import text_of
from ftflow.tasks.publish.versions import Dataset
from ftflow.tasks.train.hf_lora import (
    ADAPTER,
    BEST_ADAPTER,
    OUTCOME,
    OWNER,
    base_model_identity,
    base_model_name,
    model_name,
)
from ftflow.tasks.train.openai import FinetuneError
from ftflow.tasks.train.report import _final, loss_curve

CHECKPOINTS = "checkpoints"
# transformers 5.x renamed gradient_checkpointing (kept as a deprecated alias).
CHECKPOINTING = (
    "activation_checkpointing"
    if "activation_checkpointing" in SFTConfig.__dataclass_fields__
    else "gradient_checkpointing"
)
STATE = "trainer_state.json"  # written last into a checkpoint: its presence (parseable) means complete


def load_rows(path: Path) -> tuple[list[dict[str, Any]], int]:
    """Chat rows as SFTTrainer takes them (role, content as text, tool calls), and how many
    assistant turns carry OpenAI's ``weight: 0`` (TRL trains every assistant turn)."""
    rows, unweighted = [], 0
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                messages = json.loads(line)["messages"]
            except (ValueError, KeyError, TypeError):
                raise FinetuneError(f"{path} line {line_no}: not a chat example with `messages`") from None
            out = []
            for m in messages:
                unweighted += m.get("role") == "assistant" and m.get("weight") == 0
                item = {"role": m["role"], "content": text_of(m.get("content"))}
                if m.get("tool_calls"):
                    item["tool_calls"] = m["tool_calls"]
                out.append(item)
            rows.append({"messages": out})
    return rows, unweighted


def _ids(encoded: Any) -> list[int]:
    return list(encoded["input_ids"] if hasattr(encoded, "keys") else encoded)


def tokens_per_epoch(tokenizer: Any, rows: list[dict[str, Any]], max_length: int) -> int:
    """Tokens one pass over the rows feeds the model: each example rendered with the chat template
    and truncated to max_length, as SFTTrainer does."""
    return sum(min(len(_ids(tokenizer.apply_chat_template(r["messages"], tokenize=True))), max_length) for r in rows)


def complete_checkpoint(folder: Path) -> tuple[Path, int] | None:
    """The newest checkpoint whose trainer_state.json was fully written; a half-written one (the
    process was killed while saving) is removed so the trainer writes it again."""
    best = None
    for ckpt in sorted(folder.glob("checkpoint-*"), key=lambda p: int(p.name.rsplit("-", 1)[1]), reverse=True):
        try:
            state = json.loads((ckpt / STATE).read_text())
        except (OSError, ValueError):
            shutil.rmtree(ckpt, ignore_errors=True)
            continue
        best = best or (ckpt, int(state["global_step"]))
    return best


class _LogCallback(TrainerCallback):  # type: ignore[misc]
    def __init__(self, log: Callable[[str], None]) -> None:
        self.log = log

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kw: Any) -> None:
        shown = {k: round(v, 4) if isinstance(v, float) else v for k, v in (logs or {}).items()
                 if k in ("loss", "eval_loss", "mean_token_accuracy", "num_input_tokens_seen", "learning_rate")}  # fmt: skip
        if shown:
            self.log(f"step {state.global_step}: " + ", ".join(f"{k} {v}" for k, v in shown.items()))


def metrics_frame(history: list[dict[str, Any]]) -> pd.DataFrame:
    """The trainer's log history in OpenAI's metrics.csv columns (one row per step)."""
    rows: dict[int, dict[str, float]] = {}
    names = {"loss": "train_loss", "mean_token_accuracy": "train_accuracy", "eval_loss": "valid_loss",
             "eval_mean_token_accuracy": "valid_mean_token_accuracy"}  # fmt: skip
    for entry in history:
        row = rows.setdefault(int(entry["step"]), {"step": int(entry["step"])})
        row.update({names[k]: float(v) for k, v in entry.items() if k in names})
    frame = pd.DataFrame(sorted(rows.values(), key=lambda r: r["step"]))
    return frame.dropna(subset=["train_loss"], how="all") if "train_loss" in frame else frame


def _device(hf: HfLoraConfig) -> tuple[bool, torch.dtype]:
    """(use_cpu, dtype): bf16 on a GPU that has it, float32 on the CPU."""
    cuda = torch.cuda.is_available()
    if hf.device == "cuda" and not cuda:
        raise FinetuneError("hf.device is 'cuda' but torch sees no GPU on this machine")
    use_cpu = hf.device == "cpu" or not cuda
    return use_cpu, torch.bfloat16 if not use_cpu and torch.cuda.is_bf16_supported() else torch.float32


def keep_best(state: Any, global_step: int, key: str, local: Path, tokenizer: Any) -> dict[str, Any] | None:
    """The checkpoint the trainer marked best by eval_loss: its adapter copied to ``adapter-best/``
    (published with the final one), its step and loss, and every evaluated step's loss. None without
    a validation split."""
    if not state.best_model_checkpoint or state.best_metric is None:
        return None
    ckpt = Path(state.best_model_checkpoint)
    step = int(ckpt.name.rsplit("-", 1)[1])
    history = [[int(e["step"]), round(float(e["eval_loss"]), 6)] for e in state.log_history if "eval_loss" in e]
    best = {"step": step, "valid_loss": round(float(state.best_metric), 6), "history": history,
            "model": f"{model_name(key)}-step{step}", "dir": ADAPTER}  # fmt: skip
    if step != global_step:
        target = local / BEST_ADAPTER
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for f in ckpt.glob("adapter_*"):
            shutil.copy2(f, target / f.name)
        tokenizer.save_pretrained(str(target))
        best["dir"] = BEST_ADAPTER
    return best


def train_key(dataset: Dataset, hf: HfLoraConfig, seed: int, key: str, local: Path,
              log: Callable[[str], None] = print, run_id: str | None = None) -> dict[str, Any]:  # fmt: skip
    """Train (or resume) the key in ``local``; write the adapter, tokenizer, report and, last, outcome.json."""
    local.mkdir(parents=True, exist_ok=True)
    with (local / "train.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FinetuneError(f"key {key} is being trained by another process ({local})", transient=True) from None
        if (local / OUTCOME).exists():  # finished by the process that held the lock before us
            return dict(json.loads((local / OUTCOME).read_text()))
        owner = {"pid": os.getpid(), "host": socket.gethostname(), "run_id": run_id}
        (local / OWNER).write_text(json.dumps(owner) + "\n")  # lets a cancelled flow run stop this training
        try:
            return _train(dataset, hf, seed, key, local, log)
        finally:
            (local / OWNER).unlink(missing_ok=True)


def _train(dataset: Dataset, hf: HfLoraConfig, seed: int, key: str, local: Path, log: Callable[[str], None]) -> dict[str, Any]:  # fmt: skip
    train_path = dataset.file("train")
    if train_path is None:
        raise FinetuneError(f"{dataset.directory}: the train split is empty; nothing to fine-tune")
    rows, unweighted = load_rows(train_path)
    if unweighted:
        log(f"note: {unweighted} assistant turns have weight 0; hf-lora trains on every assistant turn")
    val_path = dataset.file("validation")
    val_rows = load_rows(val_path)[0] if val_path is not None else []
    tokenizer = AutoTokenizer.from_pretrained(hf.base_model, revision=hf.revision)
    if not tokenizer.chat_template:
        raise FinetuneError(f"{hf.base_model} has no chat template; use a chat (instruct) model")
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    per_epoch = tokens_per_epoch(tokenizer, rows, hf.max_length)
    per_step = hf.batch_size * hf.gradient_accumulation_steps
    passes = hf.max_steps * per_step / len(rows) if hf.max_steps else hf.epochs
    estimated = round(per_epoch * passes)
    log(f"estimate: {passes:.3g} epochs × {per_epoch:,} tokens = {estimated:,} tokens ({len(rows)} examples)")

    use_cpu, dtype = _device(hf)
    model = AutoModelForCausalLM.from_pretrained(hf.base_model, revision=hf.revision, dtype=dtype)
    folder = local / CHECKPOINTS
    args = SFTConfig(
        output_dir=str(folder), num_train_epochs=hf.epochs, max_steps=hf.max_steps or -1,
        per_device_train_batch_size=hf.batch_size, per_device_eval_batch_size=hf.batch_size,
        gradient_accumulation_steps=hf.gradient_accumulation_steps, learning_rate=hf.learning_rate,
        lr_scheduler_type="linear", logging_steps=hf.logging_steps, save_strategy="steps", save_steps=hf.save_steps,
        save_total_limit=2, eval_strategy="steps" if val_rows else "no", eval_steps=hf.save_steps,
        assistant_only_loss=hf.assistant_only_loss, max_length=hf.max_length, bf16=dtype == torch.bfloat16,
        fp16=False, report_to=[], seed=seed, data_seed=seed, use_cpu=use_cpu,
        include_num_input_tokens_seen="non_padding", dataloader_num_workers=0, disable_tqdm=True,
        # Track the checkpoint with the lowest eval loss (and keep it from rotation) for use_checkpoint best;
        # the final adapter stays the last step's (load_best_model_at_end is off).
        metric_for_best_model="eval_loss" if val_rows else None, greater_is_better=False if val_rows else None,
        **{CHECKPOINTING: False},  # TRL turns activation checkpointing on by default; LoRA on small models needs none
    )  # fmt: skip
    lora = LoraConfig(r=hf.lora_r, lora_alpha=hf.lora_alpha, lora_dropout=hf.lora_dropout,
                      target_modules=hf.target_modules, task_type="CAUSAL_LM")  # fmt: skip
    trainer = SFTTrainer(model=model, args=args, train_dataset=HFDataset.from_list(rows),
                         eval_dataset=HFDataset.from_list(val_rows) if val_rows else None,
                         processing_class=tokenizer, peft_config=lora, callbacks=[_LogCallback(log)])  # fmt: skip
    trainer.remove_callback(PrinterCallback)  # our own log line per step instead of raw dicts on stdout
    last = complete_checkpoint(folder) if folder.is_dir() else None
    if last:
        log(f"resuming from {last[0].name} (step {last[1]}): an earlier run of this key stopped there")
    result = trainer.train(resume_from_checkpoint=str(last[0]) if last else None)

    adapter = local / ADAPTER
    trainer.save_model(str(adapter))
    tokenizer.save_pretrained(str(adapter))
    metrics = metrics_frame(trainer.state.log_history)
    metrics.to_csv(local / "metrics.csv", index=False)
    loss_curve(metrics, local / "loss_curve.png", f"hf-lora {key[:12]}")
    trained = int(trainer.state.num_input_tokens_seen)
    data = {
        "backend": "hf-lora", "job_id": key, "status": "succeeded", "model": model_name(key), "base_model": base_model_name(hf),
        "base_model_identity": base_model_identity(hf), "dataset_sha256": dataset.sha256,
        "training_sha256": dataset.training_sha256, "trained_tokens": trained, "estimated_tokens": estimated,
        "token_ratio": round(trained / estimated, 3) if estimated else None, "global_step": result.global_step,
        "resumed_from_step": last[1] if last else None, "train_loss": result.training_loss,
        "final_metrics": _final(metrics), "checkpoints": sorted(p.name for p in folder.glob("checkpoint-*")),
        "best_checkpoint": keep_best(trainer.state, result.global_step, key, local, tokenizer),
        "seconds": round(float(result.metrics.get("train_runtime", math.nan)), 3),
        "device": "cpu" if use_cpu else "cuda", "torch": torch.__version__,
    }  # fmt: skip
    (local / "finetune.json").write_text(json.dumps(data, indent=2) + "\n")
    tmp = local / f".{OUTCOME}.{os.getpid()}"
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    os.replace(tmp, local / OUTCOME)  # last: from now on the key is finished
    log(f"trained {result.global_step} steps, {trained:,} tokens (estimate {estimated:,}); adapter in {adapter}")
    return data

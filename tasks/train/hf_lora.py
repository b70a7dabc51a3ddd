"""The hf-lora trainer backend: supervised LoRA on an open-weights chat model, from the same
chat JSONL the OpenAI path sends, with Hugging Face TRL's SFTTrainer + PEFT (no hand-written loop).

Same properties as the OpenAI path:
- **Content-addressed, trained once.** The key hashes the training data (train + validation
  sha256), the base model (its files' sha256 for a local folder, id@revision for a hub id), the
  hyperparameters and the seed. Work happens in ``<work_dir>/<key>/``; checkpoints every
  ``save_steps``; a rerun of the same key resumes from the last checkpoint (transformers'
  ``resume_from_checkpoint``: weights, optimizer, scheduler, RNG, step), a finished key is not
  retrained, and a key already published to S3 is downloaded instead of trained.
- **Report.** metrics.csv (the OpenAI columns), loss_curve.png, finetune.json, and the trained
  tokens (non-padding tokens the trainer saw) against the estimate made before training.
- **Published.** Adapter, tokenizer and report go to ``<dataset version>/adapters/<key>/``
  (content-addressed uploads verified by SHA-256, manifest.json last), when the dataset is an
  s3:// version.

Training itself runs in :mod:`ftflow.tasks.train.hf_train` (imported only here, so the default install
needs no torch).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ftflow import s3
from ftflow.config import FinetuneConfig, HfLoraConfig
from ftflow.errors import FtflowError
from ftflow.tasks.publish.versions import Dataset, open_dataset
from ftflow.tasks.train.backends import TrainOutcome
from ftflow.tasks.train.openai import FinetuneError
from ftflow.tasks.train.report import FinetuneReport

BACKEND = "hf-lora"
DEFAULT_SEED = 42
OUTCOME = "outcome.json"  # written last in the key's folder: the key is finished
OWNER = "train.owner.json"  # while training: pid, host and flow run of the process that trains the key
ADAPTER = "adapter"  # adapter + tokenizer
BEST_ADAPTER = "adapter-best"  # the lowest-eval-loss checkpoint's adapter + tokenizer, when not the final step
REPORT_FILES = ("metrics.csv", "loss_curve.png", "finetune.json")


def require_train_extra() -> None:
    """A clear message instead of an ImportError when the `train` extra is missing."""
    try:
        import peft  # noqa: F401
        import torch  # noqa: F401
        import transformers  # noqa: F401
        import trl  # noqa: F401
    except ImportError as exc:
        raise FtflowError(
            f"finetune.backend hf-lora needs the training extra ({exc.name} is not installed): "
            'pip install "ftflow[train]" (in this checkout: ./scripts/bootstrap.sh --train)'
        ) from None


def base_model_identity(hf: HfLoraConfig) -> str:
    """What pins the base model: a local folder by its files' sha256, a hub id by its revision."""
    path = Path(hf.base_model).expanduser()
    if path.is_dir():
        h = hashlib.sha256()
        for f in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
            h.update(f"{f.relative_to(path).as_posix()}\0{s3.file_sha256(f)}\n".encode())
        return f"local-sha256:{h.hexdigest()}"
    return f"{hf.base_model}@{hf.revision or 'main'}"


def hyperparameters(hf: HfLoraConfig) -> dict[str, Any]:
    """Everything that changes the trained weights (not where or how often we save)."""
    return hf.model_dump(include={"lora_r", "lora_alpha", "lora_dropout", "target_modules", "epochs", "max_steps",
                                  "learning_rate", "batch_size", "gradient_accumulation_steps", "max_length",
                                  "assistant_only_loss"})  # fmt: skip


def training_key(training_sha256: str, base_identity: str, hf: HfLoraConfig, seed: int) -> str:
    identity = {"backend": BACKEND, "training_data": training_sha256, "base_model": base_identity,
                "hyperparameters": hyperparameters(hf), "seed": seed}  # fmt: skip
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:32]


def model_name(key: str) -> str:
    """The name evaluation asks for: what `transformers serve` (started in the key's serve/ folder)
    and vLLM (`--lora-modules NAME=…`) serve the candidate under."""
    return f"ftflow-lora-{key[:16]}"


def base_model_name(hf: HfLoraConfig) -> str:
    """The base model as a server loads it: a local folder by its absolute path, else the hub id."""
    path = Path(hf.base_model).expanduser()
    return str(path.resolve()) if path.is_dir() else hf.base_model


def key_dir(hf: HfLoraConfig, key: str) -> Path:
    return Path(hf.work_dir).expanduser() / key


def adapters_uri(dataset_ref: str | Path, key: str) -> str | None:
    """``<dataset version>/adapters/<key>`` for an s3:// dataset version; None for a local folder."""
    ref = str(dataset_ref)
    return s3.join(ref.rstrip("/"), "adapters", key) if ref.startswith("s3://") else None


def publish(local: Path, dest: str, log: Callable[[str], None] = print) -> str:
    """Upload the adapter, tokenizer and report (each verified by SHA-256, skipped when already
    there), then manifest.json naming every file with its hash: readers go by the manifest."""
    files = sorted(p for p in [*(local / ADAPTER).rglob("*"), *(local / BEST_ADAPTER).rglob("*"),
                               *(local / n for n in REPORT_FILES)] if p.is_file())  # fmt: skip
    entries = {}
    for path in files:
        rel = path.relative_to(local).as_posix()
        result = s3.upload_file(path, s3.join(dest, rel))
        entries[rel] = {"sha256": result.sha256, "bytes": result.size}
    outcome = json.loads((local / OUTCOME).read_text())
    manifest = {"key": outcome["job_id"], "base_model": outcome["base_model"], "files": entries, "outcome": outcome}
    s3.put_bytes(json.dumps(manifest, indent=2, sort_keys=True).encode() + b"\n", s3.join(dest, "manifest.json"))
    log(f"adapter, tokenizer and report published to {dest} ({len(entries)} files)")
    return dest


def fetch_published(dest: str, local: Path, log: Callable[[str], None] = print) -> bool:
    """A key another machine already trained and published: download it. False when not there."""
    if s3.head(s3.join(dest, "manifest.json")) is None:
        return False
    manifest = json.loads(s3.read_bytes(s3.join(dest, "manifest.json")))
    for rel, meta in manifest["files"].items():
        digest = s3.download(s3.join(dest, rel), local / rel)
        if digest != meta["sha256"]:
            raise FinetuneError(f"{s3.join(dest, rel)}: sha256 {digest} does not match its manifest", transient=True)
    (local / OUTCOME).write_text(json.dumps(manifest["outcome"], indent=2) + "\n")
    log(f"key {manifest['key']} was already trained and published at {dest}; downloaded, not retrained")
    return True


def _outcome(data: dict[str, Any], local: Path, reattached: bool, artifacts: str | None) -> TrainOutcome:
    files = {
        n.split(".")[0].replace("finetune", "report"): str(local / n) for n in REPORT_FILES if (local / n).exists()
    }
    report = FinetuneReport(data["job_id"], data["status"], data["model"], data["trained_tokens"],
                            data["estimated_tokens"], data.get("token_ratio"), data.get("checkpoints", []),
                            data.get("final_metrics", {}), files)  # fmt: skip
    return TrainOutcome(BACKEND, data["job_id"], data["status"], data["model"], data["trained_tokens"],
                        data["estimated_tokens"], reattached, report, base_model=data["base_model"],
                        artifacts_uri=artifacts, extra={"adapter_dir": str(local / ADAPTER),
                                                        "global_step": data.get("global_step"),
                                                        "best_checkpoint": data.get("best_checkpoint")})  # fmt: skip


def run_hf_lora(dataset_ref: str | Path, cfg: FinetuneConfig, *, dry_run: bool = False,
                report_dir: Path | None = None, log: Callable[[str], None] = print,
                run_id: str | None = None) -> TrainOutcome:  # fmt: skip
    """The hf-lora fine-tune stage: key → (published? finished? resume?) → train → report → publish."""
    dataset: Dataset = open_dataset(dataset_ref)
    if not dataset.manifest.ok:
        raise FinetuneError(f"{dataset_ref}: the quality gate refused this dataset; nothing to fine-tune")
    hf = cfg.hf
    seed = DEFAULT_SEED if cfg.seed is None else cfg.seed
    key = training_key(dataset.training_sha256, base_model_identity(hf), hf, seed)
    local = key_dir(hf, key)
    dest = adapters_uri(dataset_ref, key)
    log(f"hf-lora key {key}: {hf.base_model}, {hyperparameters(hf)}, seed {seed}; work dir {local}")
    if dry_run:
        log("dry run: nothing trained")
        return TrainOutcome(BACKEND, key, "dry-run", None, None, 0, False, base_model=hf.base_model)
    local.mkdir(parents=True, exist_ok=True)
    reattached = (local / OUTCOME).exists()
    if reattached:
        log(f"key {key} already trained in {local}; not retrained")
    elif dest is not None and fetch_published(dest, local, log):
        reattached = True
    else:
        require_train_extra()
        from ftflow.tasks.train.hf_train import train_key  # torch, transformers, peft, trl: the `train` extra

        train_key(dataset, hf, seed, key, local, log=log, run_id=run_id)
    if dest is not None:
        publish(local, dest, log)
    outcome = _outcome(json.loads((local / OUTCOME).read_text()), local, reattached, dest)
    if report_dir is not None and outcome.report is not None:
        report_dir.mkdir(parents=True, exist_ok=True)
        for name, path in list(outcome.report.files.items()):
            target = report_dir / Path(path).name
            if Path(path) != target:
                target.write_bytes(Path(path).read_bytes())
            outcome.report.files[name] = str(target)
    return outcome

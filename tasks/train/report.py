"""What a finished fine-tune produced: checkpoints, the metrics table, a loss curve, and
how the tokens OpenAI trained on compare with the estimate made before paying."""

from __future__ import annotations

import base64
import binascii
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

METRIC_COLUMNS = ("step", "train_loss", "train_accuracy", "valid_loss", "valid_mean_token_accuracy")


@dataclass
class FinetuneReport:
    job_id: str
    status: str
    fine_tuned_model: str | None
    trained_tokens: int | None
    estimated_tokens: int
    token_ratio: float | None  # trained / estimated
    checkpoints: list[str] = field(default_factory=list)
    final_metrics: dict[str, float] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # name -> local path
    error: str | None = None


def parse_result_file(content: bytes) -> pd.DataFrame:
    """The result CSV; OpenAI has served it base64-encoded, so both forms are accepted."""
    text = content.decode("utf-8", errors="replace")
    if not text.lstrip().startswith("step"):
        try:
            text = base64.b64decode(content, validate=False).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise ValueError("result file is neither CSV nor base64-encoded CSV") from None
    frame = pd.read_csv(io.StringIO(text))
    missing = [c for c in ("step", "train_loss") if c not in frame.columns]
    if missing:
        raise ValueError(f"result file has no {', '.join(missing)} column")
    return frame


def loss_curve(metrics: pd.DataFrame, path: Path, title: str) -> Path:
    """Training and validation loss per step as a PNG."""
    import matplotlib

    matplotlib.use("Agg")  # no display on servers and CI
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    ax.plot(metrics["step"], metrics["train_loss"], label="train loss", linewidth=1)
    if "valid_loss" in metrics and metrics["valid_loss"].notna().any():
        valid = metrics.dropna(subset=["valid_loss"])
        ax.plot(valid["step"], valid["valid_loss"], label="validation loss", marker="o", markersize=3)
    ax.set(xlabel="step", ylabel="loss", title=title)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _final(metrics: pd.DataFrame) -> dict[str, float]:
    out: dict[str, float] = {}
    for column in METRIC_COLUMNS[1:]:
        if column in metrics and metrics[column].notna().any():
            out[column] = round(float(metrics[column].dropna().iloc[-1]), 4)
    if "valid_loss" in metrics and metrics["valid_loss"].notna().any():
        best = metrics.loc[metrics["valid_loss"].idxmin()]
        out["best_valid_loss"] = round(float(best["valid_loss"]), 4)
        out["best_valid_step"] = int(best["step"])
    return out


def build_report(client: Any, job: Any, estimated_tokens: int, out_dir: Path | None) -> FinetuneReport:
    """Fetch checkpoints and the result file of a finished job; write files when `out_dir` is given."""
    ratio = round(job.trained_tokens / estimated_tokens, 3) if job.trained_tokens and estimated_tokens else None
    report = FinetuneReport(job.id, job.status, job.fine_tuned_model, job.trained_tokens, estimated_tokens, ratio,
                            error=job.error.message if job.error and job.error.message else None)  # fmt: skip
    metrics = None
    if job.status == "succeeded":
        report.checkpoints = [c.fine_tuned_model_checkpoint for c in client.fine_tuning.jobs.checkpoints.list(job.id)]
        for file_id in job.result_files or []:
            metrics = parse_result_file(client.files.content(file_id).read())
    if metrics is not None:
        report.final_metrics = _final(metrics)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        if metrics is not None:
            metrics.to_csv(out_dir / "metrics.csv", index=False)
            report.files["metrics"] = str(out_dir / "metrics.csv")
            report.files["loss_curve"] = str(
                loss_curve(metrics, out_dir / "loss_curve.png", job.fine_tuned_model or job.id)
            )
        report.files["report"] = str(out_dir / "finetune.json")
        (out_dir / "finetune.json").write_text(json.dumps(asdict(report), indent=2) + "\n")
    return report

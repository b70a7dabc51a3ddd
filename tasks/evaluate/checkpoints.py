"""Which model of a fine-tune is the candidate (`evaluate.use_checkpoint`).

- ``final`` (default): the finished model.
- ``best``: the checkpoint with the lowest validation loss. OpenAI: the job's checkpoints
  (``client.fine_tuning.jobs.checkpoints.list``), ranked by ``full_valid_loss`` (the whole
  validation file) when every checkpoint has it, else ``valid_loss`` (a sampled batch); the
  checkpoint at the job's last step *is* the final model, so then the final model's name is kept.
  hf-lora: the checkpoint the trainer marked best by ``eval_loss`` (kept as ``adapter-best/``).
  A tie goes to the later step. Without any validation loss (no validation split) the final model
  is evaluated and the choice says so.

The choice (model, step, loss and one sentence of why) goes into eval.json and report.md.
"""

from __future__ import annotations

import math
from typing import Any

import openai
from pydantic import BaseModel

from ftflow.errors import FtflowError

METRICS = ("full_valid_loss", "valid_loss")


class CheckpointChoice(BaseModel):
    rule: str  # final | best
    model: str  # what evaluation asks for
    final_model: str
    step: int | None = None
    valid_loss: float | None = None
    metric: str | None = None  # which loss ranked the checkpoints
    considered: int = 0  # checkpoints with that loss
    why: str


def _loss(metrics: Any, name: str) -> float | None:
    value = getattr(metrics, name, None) if metrics is not None else None
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


def rank(checkpoints: list[tuple[int, str, Any]], final_model: str, final_step: int | None) -> CheckpointChoice:
    """``checkpoints``: (step, model name, metrics object). The lowest validation loss, later step on a tie."""
    for metric in METRICS:
        scored = [(loss, step, name) for step, name, m in checkpoints if (loss := _loss(m, metric)) is not None]
        if scored and len(scored) == len(checkpoints):
            break
    else:
        metric = "valid_loss"
        scored = [(loss, step, name) for step, name, m in checkpoints if (loss := _loss(m, metric)) is not None]
    if not scored:
        return CheckpointChoice(rule="best", model=final_model, final_model=final_model,
                                why=f"use_checkpoint best: no checkpoint has a validation loss (was a validation "
                                f"file sent?), so the final model {final_model} is evaluated")  # fmt: skip
    loss, step, name = min(scored, key=lambda t: (t[0], -t[1]))
    last = final_step if final_step is not None else max(s for _, s, _ in scored)
    model = final_model if step == last else name
    where = "the final model" if step == last else f"checkpoint {name}"
    others = ", ".join(f"step {s}: {v:.4f}" for v, s, _ in sorted(scored, key=lambda t: t[1]))
    return CheckpointChoice(rule="best", model=model, final_model=final_model, step=step, valid_loss=round(loss, 6),
                            metric=metric, considered=len(scored),
                            why=f"{where} (step {step}) has the lowest {metric} {loss:.4f} of {len(scored)} "
                            f"checkpoints ({others})")  # fmt: skip


def best_openai_checkpoint(client: openai.OpenAI, job_id: str) -> CheckpointChoice:
    """Rank an OpenAI job's checkpoints by validation loss."""
    try:
        job = client.fine_tuning.jobs.retrieve(job_id)
        items = list(client.fine_tuning.jobs.checkpoints.list(job_id, limit=100))
    except openai.APIError as exc:
        raise FtflowError(f"use_checkpoint best: cannot read the checkpoints of {job_id}: {exc.message}") from None
    if job.status != "succeeded" or not job.fine_tuned_model:
        raise FtflowError(f"use_checkpoint best: job {job_id} is {job.status}, it has no final model to compare with")
    checkpoints = [(c.step_number, c.fine_tuned_model_checkpoint, c.metrics) for c in items]
    final_step = max((s for s, _, _ in checkpoints), default=None)
    return rank(checkpoints, job.fine_tuned_model, final_step)


def best_hf_checkpoint(best: dict[str, Any] | None, final_model: str, global_step: int | None) -> CheckpointChoice:
    """hf-lora: ``best`` is the outcome's ``best_checkpoint`` (step, valid_loss, model, history of
    (step, eval_loss)), the checkpoint the trainer itself marked best; None without a validation split."""
    if not best:
        return rank([], final_model, global_step)
    step, loss = int(best["step"]), float(best["valid_loss"])
    history = best.get("history") or [[step, loss]]
    model = final_model if step == global_step else str(best["model"])
    where = "the final model" if step == global_step else f"checkpoint {model}"
    evaluated = ", ".join(f"step {s}: {v:.4f}" for s, v in history)
    return CheckpointChoice(rule="best", model=model, final_model=final_model, step=step, valid_loss=round(loss, 6),
                            metric="eval_loss", considered=len(history),
                            why=f"{where} (step {step}) has the lowest eval_loss {loss:.4f} of {len(history)} "
                            f"evaluations ({evaluated})")  # fmt: skip

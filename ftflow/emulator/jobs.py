"""Fine-tuning jobs on an accelerated clock, derived lazily from timestamps.

Creating a job validates its files and fixes a *plan* (phase lengths, steps, the failure
point if any, the seed of its loss curves). Everything visible afterwards - status, events,
checkpoints, the result file - is a pure function of the plan and the wall clock, so nothing
runs in the background and a restarted server shows exactly what an uninterrupted one would.
"""

from __future__ import annotations

import base64
import math
import random
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from ftflow.emulator.store import JsonDict, stable_id

# Fine-tunable base models: alias -> dated snapshot (what OpenAI reports in job.model).
FINE_TUNABLE: dict[str, str] = {
    "gpt-4o-mini": "gpt-4o-mini-2024-07-18",
    "gpt-4o": "gpt-4o-2024-08-06",
    "gpt-4.1": "gpt-4.1-2025-04-14",
    "gpt-4.1-mini": "gpt-4.1-mini-2025-04-14",
    "gpt-4.1-nano": "gpt-4.1-nano-2025-04-14",
    "gpt-3.5-turbo": "gpt-3.5-turbo-0125",
}
SNAPSHOTS = frozenset(FINE_TUNABLE.values()) | {"gpt-4o-2024-05-13", "gpt-3.5-turbo-1106"}
KEPT_CHECKPOINTS = 3  # OpenAI keeps the checkpoints of the last three epochs
RESULTS_HEADER = "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy"
MAX_METRIC_EVENTS = 1000  # longer jobs log every k-th step


def resolve_model(model: str) -> str:
    """The dated snapshot to train; raises KeyError for models that cannot be fine-tuned."""
    if model in FINE_TUNABLE:
        return FINE_TUNABLE[model]
    if model in SNAPSHOTS:
        return model
    raise KeyError(model)


def auto_batch_size(n_examples: int) -> int:
    """OpenAI's documented default: about 0.2% of the examples, at most 256."""
    return max(1, min(256, round(n_examples * 0.002)))


def auto_lr_multiplier(model: str) -> float:
    # Observed defaults: 1.8 for the gpt-4o/4.1 families, 2 for gpt-3.5-turbo.
    return 2.0 if model.startswith("gpt-3.5") else 1.8


@dataclass
class Plan:
    """Fixed at creation and persisted with the job; the timeline is computed from it."""

    t0: float
    phase_s: float
    step_s: float
    seed: int
    n_examples: int = 0
    n_epochs: int = 0
    batch_size: int = 0
    lr_multiplier: float = 0.0
    steps_per_epoch: int = 0
    total_steps: int = 0
    trained_tokens: int = 0
    has_validation: bool = False
    error: dict[str, Any] | None = None  # validation failure, shown at t_validated
    fail_step: int | None = None  # training failure after this many steps
    cancelled_at: float | None = None

    @property
    def t_validated(self) -> float:
        return self.t0 + self.phase_s

    @property
    def t_started(self) -> float:
        return self.t_validated + self.phase_s

    def t_step(self, step: int) -> float:
        return self.t_started + step * self.step_s

    @property
    def t_end(self) -> float:
        """When the job reaches its terminal state if nobody cancels it."""
        if self.error is not None:
            return self.t_validated
        return self.t_step(self.fail_step if self.fail_step is not None else self.total_steps)

    @property
    def natural_status(self) -> str:
        return "failed" if self.error is not None or self.fail_step is not None else "succeeded"

    def status_at(self, now: float) -> tuple[str, float | None]:
        """(status, time it became terminal or None) at ``now``."""
        cancelled = self.cancelled_at
        if cancelled is not None and cancelled < self.t_end and now >= cancelled:
            return "cancelled", cancelled
        if now >= self.t_end:
            return self.natural_status, self.t_end
        if now < self.t_validated:
            return "validating_files", None
        return ("queued" if now < self.t_started else "running"), None

    def cut(self, now: float) -> float:
        """Nothing that happens after this instant is visible yet (or ever, once terminal)."""
        _, ended = self.status_at(now)
        return now if ended is None else ended


def plan_from_dict(d: dict[str, Any]) -> Plan:
    return Plan(**d)


def plan_to_dict(p: Plan) -> dict[str, Any]:
    return asdict(p)


def make_plan(
    *,
    t0: float,
    seed: int,
    hyper: dict[str, Any],
    n_examples: int,
    example_tokens: int,
    model: str,
    seconds_per_step: float,
    phase_seconds: float,
    max_train_seconds: float,
    has_validation: bool,
    error: dict[str, Any] | None,
    fault: str | None,
) -> Plan:
    """Resolve "auto" hyperparameters and lay out the steps on the accelerated clock."""
    from ftflow import tokens  # lazily: numpy is slow to import

    plan = Plan(t0=t0, phase_s=phase_seconds, step_s=seconds_per_step, seed=seed,
                has_validation=has_validation, error=error)  # fmt: skip
    if fault == "validation" and error is None:
        plan.error = {
            "code": "invalid_training_file",
            "message": "The job failed due to an invalid training file. "
            "(Emulator fault injection: file validation failure.)",
            "param": "training_file",
        }
    if plan.error is not None:
        return plan
    n_epochs = hyper.get("n_epochs", "auto")
    batch = hyper.get("batch_size", "auto")
    lrm = hyper.get("learning_rate_multiplier", "auto")
    plan.n_examples = n_examples
    plan.n_epochs = tokens.auto_epochs(n_examples) if n_epochs == "auto" else int(n_epochs)
    plan.batch_size = auto_batch_size(n_examples) if batch == "auto" else int(batch)
    plan.lr_multiplier = auto_lr_multiplier(model) if lrm == "auto" else float(lrm)
    plan.steps_per_epoch = max(1, math.ceil(n_examples / plan.batch_size))
    plan.total_steps = plan.steps_per_epoch * plan.n_epochs
    plan.trained_tokens = example_tokens * plan.n_epochs
    if max_train_seconds > 0:
        plan.step_s = min(plan.step_s, max_train_seconds / plan.total_steps)
    if fault == "training":
        plan.fail_step = random.Random(seed).randint(1, max(1, plan.total_steps - 1))
    return plan


# --- loss curves --------------------------------------------------------------------------


@lru_cache(maxsize=64)
def curves(seed: int, total: int, n_epochs: int, lrm: float) -> tuple[list[float], list[float]]:
    """Seeded, plausibly decreasing (train, valid) loss per step; index 0 is step 1."""
    rng = random.Random(seed)
    start = rng.uniform(1.6, 2.6)
    floor = max(0.03, 0.45 / max(1, n_epochs) ** 0.6) * rng.uniform(0.8, 1.2)
    rate = 3.5 + 1.5 * min(lrm, 2.0)
    overfit = 0.06 * max(0, n_epochs - 3) / 3
    train, valid = [], []
    for i in range(1, total + 1):
        p = i / total
        base = floor + (start - floor) * math.exp(-rate * p)
        train.append(max(0.0, base * (1 + rng.gauss(0, 0.08))))
        valid.append(max(0.0, (base + 0.04 + overfit * p) * (1 + rng.gauss(0, 0.05))))
    return train, valid


def accuracy(loss: float) -> float:
    return round(min(0.999, max(0.0, math.exp(-loss * 0.9))), 4)


def metrics_at(plan: Plan, step: int) -> dict[str, float]:
    train, valid = curves(plan.seed, plan.total_steps, plan.n_epochs, plan.lr_multiplier)
    out: dict[str, float] = {
        "step": step,
        "train_loss": round(train[step - 1], 4),
        "train_mean_token_accuracy": accuracy(train[step - 1]),
    }
    if plan.has_validation:
        out["valid_loss"] = round(valid[step - 1], 4)
        out["valid_mean_token_accuracy"] = accuracy(valid[step - 1])
    return out


def results_csv(plan: Plan) -> bytes:
    """OpenAI's step_metrics.csv: one row per step; validation columns empty without a file."""
    rows = [RESULTS_HEADER]
    for step in range(1, plan.total_steps + 1):
        m = metrics_at(plan, step)
        valid = (f"{m['valid_loss']},{m['valid_mean_token_accuracy']}"
                 if plan.has_validation else ",")  # fmt: skip
        rows.append(f"{step},{m['train_loss']},{m['train_mean_token_accuracy']},{valid}")
    return ("\n".join(rows) + "\n").encode()


def encode_results(raw: bytes, as_base64: bool) -> bytes:
    return base64.b64encode(raw) if as_base64 else raw


# --- names ----------------------------------------------------------------------------------


def model_name(job: JsonDict, org: str, tag: str = "") -> str:
    """ft:{base}:{org}:{suffix}:{id}; each checkpoint gets its own id, as OpenAI's do."""
    short = stable_id("", job["id"], tag, n=8)
    name = f"ft:{job['model']}:{org}:{job.get('user_provided_suffix') or ''}:{short}"
    return f"{name}:{tag}" if tag else name


def epoch_end_steps(plan: Plan) -> list[int]:
    first = max(1, plan.n_epochs - KEPT_CHECKPOINTS + 1)
    return [e * plan.steps_per_epoch for e in range(first, plan.n_epochs + 1)]


def checkpoint_steps(plan: Plan, now: float) -> list[int]:
    """Steps whose checkpoint exists at ``now``, oldest first."""
    if plan.error is not None:
        return []
    cut = plan.cut(now)
    return [s for s in epoch_end_steps(plan)
            if plan.t_step(s) <= cut and (plan.fail_step is None or s <= plan.fail_step)]  # fmt: skip


def checkpoints(job: JsonDict, plan: Plan, now: float, org: str) -> list[JsonDict]:
    """Visible checkpoints, newest first."""
    out = []
    for step in checkpoint_steps(plan, now):
        t = plan.t_step(step)
        metrics: dict[str, float] = dict(metrics_at(plan, step))
        if plan.has_validation:
            metrics["full_valid_loss"] = metrics["valid_loss"]
            metrics["full_valid_mean_token_accuracy"] = metrics["valid_mean_token_accuracy"]
        out.append({
            "id": stable_id("ftckpt_", job["id"], step),
            "object": "fine_tuning.job.checkpoint",
            "created_at": int(t),
            "fine_tuned_model_checkpoint": model_name(job, org, f"ckpt-step-{step}"),
            "fine_tuning_job_id": job["id"],
            "metrics": metrics,
            "step_number": step,
        })  # fmt: skip
    return out[::-1]


# --- events ---------------------------------------------------------------------------------


def _event(job_id: str, idx: int, t: float, message: str, *, level: str = "info",
           data: Any = None, kind: str = "message") -> JsonDict:  # fmt: skip
    return {
        "id": stable_id("ftevent-", job_id, idx),
        "object": "fine_tuning.job.event",
        "created_at": int(t),
        "level": level,
        "message": message,
        "data": {} if data is None else data,
        "type": kind,
    }


def events(job: JsonDict, plan: Plan, now: float, org: str) -> list[JsonDict]:
    """Everything that has happened to the job by ``now``, newest first."""
    cut = plan.cut(now)
    raw: list[tuple[float, str, dict[str, Any]]] = []

    def add(t: float, message: str, **kw: Any) -> None:
        raw.append((t, message, kw))

    add(plan.t0, f"Created fine-tuning job: {job['id']}")
    files = f"Validating training file: {job['training_file']}"
    if job.get("validation_file"):
        files += f" and validation file: {job['validation_file']}"
    add(plan.t0, files)
    if plan.error is not None:
        add(plan.t_validated, plan.error["message"], level="error")
    else:
        add(plan.t_validated, "Files validated, moving job to queued state")
        add(plan.t_started, "Fine-tuning job started")
        last = plan.fail_step if plan.fail_step is not None else plan.total_steps
        every = max(1, math.ceil(plan.total_steps / MAX_METRIC_EVENTS))
        ckpts = set(epoch_end_steps(plan))
        for step in range(1, last + 1):
            if step % every == 0 or step == last:
                m = metrics_at(plan, step)
                msg = f"Step {step}/{plan.total_steps}: training loss={m['train_loss']:.2f}"
                if plan.has_validation:
                    msg += f", validation loss={m['valid_loss']:.2f}"
                data = {**m, "total_steps": plan.total_steps}
                add(plan.t_step(step), msg, data=data, kind="metrics")
            if step in ckpts:
                add(plan.t_step(step), f"Checkpoint created at step {step}")
        if plan.fail_step is not None:
            add(plan.t_end, "The job failed due to an internal error. Please try again.",
                level="error")  # fmt: skip
        else:
            add(plan.t_end, f"New fine-tuned model created: {model_name(job, org)}")
            add(plan.t_end, "Usage policy evaluations completed, model is now enabled for sampling")
            add(plan.t_end, "The job has successfully completed")
    if plan.cancelled_at is not None and plan.cancelled_at < plan.t_end:
        raw = [r for r in raw if r[0] <= plan.cancelled_at]
        raw.append((plan.cancelled_at, "Fine-tuning job cancelled", {}))
    out = [_event(job["id"], i, t, msg, **kw) for i, (t, msg, kw) in enumerate(raw) if t <= cut]
    return out[::-1]


def training_error(fail_step: int) -> dict[str, Any]:
    return {
        "code": "internal_error",
        "message": f"The job failed due to an internal error at step {fail_step}. "
        "(Emulator fault injection: training failure.)",
        "param": None,
    }

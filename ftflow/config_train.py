"""The training sections of the one typed configuration: the fine-tune job, its backends and the
providers' model lifecycle. Import them from ftflow.config, the one entry point."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, field_validator

from ftflow.config_base import _Section, check_model_name


class HfServeConfig(_Section):
    """How the evaluation reaches a model trained with the hf-lora backend: always through the openai
    SDK, at an OpenAI-compatible server's base URL."""

    url: str | None = Field(
        None,
        description="Base URL (…/v1) of a running OpenAI-compatible server that serves the candidate, e.g. vLLM "
        "started with `vllm serve BASE --enable-lora --lora-modules NAME=ADAPTER_DIR`. Unset: the flow starts "
        "`transformers serve` on this machine with the merged model for the evaluation, and stops it afterwards.",
    )
    model_name: str | None = Field(
        None, description="The name the server at `url` serves the candidate under (vLLM: the NAME of --lora-modules)."
    )
    base_model_name: str | None = Field(
        None, description="The name the server at `url` serves the base model under; default: hf.base_model."
    )
    startup_timeout_s: float = Field(300.0, gt=0, description="Wait this long for a started server to answer.")


class HfLoraConfig(_Section):
    """Supervised LoRA on an open-weights chat model with Hugging Face TRL + PEFT (finetune.backend: hf-lora).
    Needs the `train` extra: pip install "ftflow[train]"."""

    base_model: str = Field(
        "Qwen/Qwen2.5-0.5B-Instruct",
        description="Open-weights chat model: a local directory, or a Hugging Face hub id (downloaded by the GPU "
        "worker; it must have a chat template).",
    )
    revision: str | None = Field(None, description="Hub revision (commit) of base_model, pinned for reproducibility.")
    lora_r: int = Field(16, ge=1, description="LoRA rank.")
    lora_alpha: int = Field(32, ge=1, description="LoRA scaling alpha.")
    lora_dropout: float = Field(0.05, ge=0, lt=1, description="Dropout on the LoRA layers.")
    target_modules: list[str] | Literal["all-linear"] = Field(
        "all-linear", description="Modules that get LoRA adapters: names (q_proj, v_proj, …) or 'all-linear'."
    )
    epochs: float = Field(3.0, gt=0, description="Passes over the training split (ignored when max_steps is set).")
    max_steps: int | None = Field(None, ge=1, description="Stop after this many optimizer steps.")
    learning_rate: float = Field(2e-4, gt=0, description="Peak learning rate (linear decay).")
    batch_size: int = Field(8, ge=1, description="Examples per device per step.")
    gradient_accumulation_steps: int = Field(1, ge=1, description="Steps accumulated per optimizer update.")
    max_length: int = Field(2048, ge=16, description="Longer examples are truncated to this many tokens.")
    assistant_only_loss: bool = Field(True, description="Train on the assistant turns only (like OpenAI).")
    device: Literal["auto", "cpu", "cuda"] = Field("auto", description="Where to train: a GPU when there is one.")
    save_steps: int = Field(50, ge=1, description="Checkpoint every this many steps (a rerun resumes from the last).")
    logging_steps: int = Field(1, ge=1, description="Record loss every this many steps (metrics.csv).")
    work_dir: str = Field(
        "~/.cache/ftflow/hf-lora", description="Local folder for checkpoints and outputs, one subfolder per key."
    )
    deployment: str | None = Field(
        None,
        description="Prefect deployment that trains on a GPU work pool (prefect.yaml: 'train-hf-lora/train-hf-lora' "
        "on pool ftflow-gpu); unset: train inside the retrain flow's own process.",
    )
    serve: HfServeConfig = Field(default_factory=HfServeConfig)


class FinetuneConfig(_Section):
    """The fine-tuning job: hyperparameters ("auto" lets OpenAI choose) and money guards."""

    backend: Literal["openai", "hf-lora"] = Field(
        "openai",
        description="Trainer: 'openai' (OpenAI or Azure OpenAI fine-tuning jobs; base models are checked against "
        "`lifecycle` cutoffs) or 'hf-lora' (LoRA on an open-weights model with TRL + PEFT, settings in `hf`).",
    )
    model: str | None = Field(None, description="Base model; by default the one the dataset was prepared for.")
    suffix: str | None = Field(None, max_length=64, description="Added to the fine-tuned model's name.")
    n_epochs: int | Literal["auto"] = Field("auto", description="Epochs, or 'auto'.")
    batch_size: int | Literal["auto"] = Field("auto", description="Batch size, or 'auto'.")
    learning_rate_multiplier: float | Literal["auto"] = Field("auto", description="LR multiplier, or 'auto'.")
    seed: int | None = Field(None, description="Job seed, for reproducible training.")
    max_cost_usd: float | None = Field(
        None, ge=0, description="Refuse to submit when the estimate is above this many USD."
    )
    approval_above_usd: float | None = Field(
        None, ge=0, description="Inside a flow, pause for a person's approval above this estimate."
    )
    poll_interval_s: float = Field(5.0, gt=0, description="First polling interval; it backs off to 60 s.")
    timeout_s: float = Field(24 * 3600, gt=0, description="Give up waiting after this long (the job keeps running).")
    resubmit_failed: bool = Field(False, description="Submit again when the same job already failed or was cancelled.")
    upload_part_threshold_mb: int = Field(
        512, ge=1, description="Files larger than this go through the multipart Uploads API."
    )

    hf: HfLoraConfig = Field(default_factory=HfLoraConfig)

    @field_validator("model")
    @classmethod
    def _model_name(cls, value: str | None) -> str | None:
        return check_model_name(value)

    def hyperparameters(self) -> dict[str, int | float | str]:
        return {
            "n_epochs": self.n_epochs,
            "batch_size": self.batch_size,
            "learning_rate_multiplier": self.learning_rate_multiplier,
        }


_SHUTDOWN_NOTICE = date(2027, 1, 14)  # gpt-4o, gpt-4o-mini, gpt-4.1, gpt-4.1-mini and their fine-tunes


class LifecycleConfig(_Section):
    """When providers stop accepting fine-tuning jobs and when models shut down: a dated table like
    the price table. A model's `shutdown_date` from the provider's models API wins over this table;
    the table covers models and providers the API says nothing about (and dry runs, which call no API)."""

    as_of: date = Field(date(2026, 12, 4), description="Date the table below was copied.")
    source: str = Field(
        "OpenAI deprecations page, notice of 2026-05-07 (self-serve fine-tuning closed to new users; last day "
        "for new jobs 2027-01-06 per published summaries; gpt-4o, gpt-4o-mini, gpt-4.1, gpt-4.1-mini and every "
        "fine-tune built on them shut down 2027-01-14). Check it before relying on these dates.",
        description="Where the dates come from.",
    )
    warn_days: int = Field(
        30,
        ge=0,
        description="Warn (log, Prefect event, notification) when a champion shuts down within this many days.",
    )
    last_job_day: dict[str, date] = Field(
        default_factory=lambda: {"openai": date(2027, 1, 6)},
        description="Provider -> last day (UTC) it accepts new fine-tuning jobs; later jobs are refused before any upload.",
    )
    shutdown_dates: dict[str, date] = Field(
        default_factory=lambda: {
            model: _SHUTDOWN_NOTICE
            for model in (
                "gpt-4o",
                "gpt-4o-2024-08-06",
                "gpt-4o-mini",
                "gpt-4o-mini-2024-07-18",
                "gpt-4.1",
                "gpt-4.1-2025-04-14",
                "gpt-4.1-mini",
                "gpt-4.1-mini-2025-04-14",
            )
        },
        description="Model -> the day it shuts down (fine-tunes `ft:BASE:…` shut down with BASE); the models "
        "API's shutdown_date wins when it gives one.",
    )
    alternatives: list[str] = Field(
        default_factory=lambda: ["finetune.backend: hf-lora (an open-weights model trained on your own hardware)"],
        description="What to use instead, named in the refusal message.",
    )
    use_models_api: bool = Field(
        True, description="Ask the models API (GET /v1/models/{id}) for shutdown_date; off: this table only."
    )

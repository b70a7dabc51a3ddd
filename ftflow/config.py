"""The one typed configuration, shared by the CLI, the flows and the Prefect UI form.

A config file (YAML, JSON or TOML) holds the same fields; CLI options override it.
Secrets never live here: they come from the environment or from Prefect blocks named in `credentials`.
"""

from __future__ import annotations

import codecs
import json
import os
import tomllib
from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from ftflow.config_base import DATASET_NAME_PATTERN, DEFAULT_MODEL, _Section, check_model_name
from ftflow.config_documents import DocumentsConfig
from ftflow.config_eval import EvalPricing
from ftflow.config_progress import ProgressConfig
from ftflow.config_train import FinetuneConfig, HfLoraConfig, HfServeConfig, LifecycleConfig
from ftflow.errors import ConfigError

__all__ = [  # the training sections live in config_train.py; this module is still the one entry point
    "DATASET_NAME_PATTERN",
    "DEFAULT_MODEL",
    "FinetuneConfig",
    "HfLoraConfig",
    "HfServeConfig",
    "LifecycleConfig",
    "ProgressConfig",
]


class ColumnMap(_Section):
    """Which input columns hold what, when automatic detection is not enough."""

    question: str | None = Field(None, description="Column with the user's question or prompt.")
    answer: str | None = Field(None, description="Column with the assistant's answer.")
    system: str | None = Field(None, description="Column with a per-row system prompt.")
    messages: str | None = Field(None, description="Column with OpenAI chat `messages`.")


class SplitConfig(_Section):
    """Deterministic, seeded split; ratios must add up to 1."""

    train: float = Field(0.8, ge=0, le=1, description="Share of examples for training.")
    validation: float = Field(0.1, ge=0, le=1, description="Share for validation.")
    test: float = Field(0.1, ge=0, le=1, description="Share for the frozen test set.")
    seed: int = Field(42, description="Seed of the split hash; change it to draw a new split.")
    frozen_test: str | None = Field(
        None,
        description="A previous dataset directory (or its test.jsonl): its test examples, and "
        "near duplicates of them, stay in test.",
    )

    @model_validator(mode="after")
    def _ratios_sum_to_one(self) -> SplitConfig:
        total = self.train + self.validation + self.test
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"split ratios must add up to 1, got {total:g}")
        if self.train <= 0:
            raise ValueError("the train ratio must be above 0")
        return self


class QualityConfig(_Section):
    """Thresholds for the Great Expectations suites in expectations/ and the gate."""

    min_answer_chars: int = Field(50, ge=1, description="Shorter assistant answers: `too_short`.")
    min_content_words: int = Field(
        1,
        ge=0,
        description="Assistant answers with fewer words outside their language's 100 most frequent ones "
        "(wordfreq, per detected language): `no_content`. 0 turns the rule off.",
    )
    max_rejected_share: float = Field(
        0.5, ge=0, le=1, description="Stop the run when more than this share of rows is rejected."
    )
    min_examples: int = Field(10, ge=10, description="Stop when fewer examples remain (OpenAI requires at least 10).")
    near_duplicates: bool = Field(True, description="Quarantine near duplicates.")
    near_duplicate_threshold: float = Field(
        0.7, gt=0, le=1, description="Word-bigram Jaccard similarity that makes a near duplicate."
    )
    pii: Literal["redact", "quarantine", "off"] = Field(
        "redact",
        description="What to do with personal data: redact it, quarantine the row, or nothing.",
    )
    pii_regions: list[str] = Field(
        ["ES", "US", "GB", "FR", "DE", "MX"],
        description="Countries whose national ID numbers and national-format phones are looked for in every row "
        "(a row's language adds its own: es -> ES, MX; en -> US, GB; fr -> FR; de -> DE).",
    )
    quarantine_pii: Literal["keep", "redact"] = Field(
        "keep",
        description="quarantine.jsonl keeps each rejected row's raw original (personal data included) unless "
        "'redact', which writes it with the same placeholders as the training files.",
    )
    moderation: bool = Field(False, description="Run OpenAI's moderation endpoint; flagged rows: `flagged_content`.")
    generation_limits: list[int] = Field(
        [256, 512, 1024, 2048, 4096],
        description="Answers whose token count sits exactly at one of these look cut by a generator.",
    )

    @field_validator("pii_regions")
    @classmethod
    def _known_regions(cls, value: list[str]) -> list[str]:
        import phonenumbers

        out = [r.upper() for r in value]
        unknown = [r for r in out if r not in phonenumbers.SUPPORTED_REGIONS]
        if unknown:
            raise ValueError(f"unknown region code(s) {unknown} (ISO 3166 alpha-2, e.g. ES, US, GB)")
        return out


class Pricing(_Section):
    """Fine-tuning training prices in USD per 1M tokens, from OpenAI's pricing page."""

    as_of: date = Field(date(2025, 6, 1), description="Date the prices were copied.")
    training_per_1m_tokens: dict[str, float] = Field(
        default_factory=lambda: {
            "gpt-4.1-2025-04-14": 25.0,
            "gpt-4.1-mini-2025-04-14": 5.0,
            "gpt-4.1-nano-2025-04-14": 1.5,
            "gpt-4o-2024-08-06": 25.0,
            "gpt-4o-mini-2024-07-18": 3.0,
            "gpt-3.5-turbo-0125": 8.0,
            "gpt-3.5-turbo-1106": 8.0,
        }
    )


class PrepareConfig(_Section):
    """Everything `ftflow prepare` needs."""

    model: str = Field(DEFAULT_MODEL, description="Base model to fine-tune (sets tokenizer and limits).")
    system_prompt: str | None = Field(None, description="System message added to single-turn Q&A rows that have none.")
    columns: ColumnMap = Field(default_factory=ColumnMap)
    encoding: str | None = Field(
        None,
        description="Text encoding of CSV/TSV/JSONL inputs (utf-8, cp1252, latin-1, ...); unset: detected per "
        "file (UTF-8 when the bytes are valid UTF-8) and recorded in the manifest.",
    )
    sheets: list[str] | None = Field(None, description="XLSX sheets to read; all non-empty sheets when unset.")
    epochs: int | Literal["auto"] = Field("auto", description="Epochs, or OpenAI's 'auto' heuristic.")
    split: SplitConfig = Field(default_factory=SplitConfig)
    quality: QualityConfig = Field(default_factory=QualityConfig)
    pricing: Pricing = Field(default_factory=Pricing)
    executor: Literal["fork", "spawn", "inline", "dask"] = Field(
        "fork",
        description="Where per-partition work runs: forked children (Linux), a spawned process pool "
        "(where fork is unavailable), inline in one process, or tasks on a Dask cluster (dask: set by "
        "dask_address). The dataset is the same with each.",
    )
    dask_address: str | None = Field(
        None,
        description="Dask scheduler (tcp://HOST:PORT) to run prepare's per-partition work on (needs the dask "
        "extra); setting it selects executor dask. Workers read s3:// JSONL inputs themselves (their AWS "
        "environment) and local paths from their own file system; unset: this machine.",
    )
    documents: DocumentsConfig = Field(default_factory=DocumentsConfig)

    @field_validator("model")
    @classmethod
    def _model_name(cls, value: str) -> str:
        return check_model_name(value)

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(f"unknown text encoding {value!r} (try utf-8, cp1252, latin-1)") from None
        return value

    @model_validator(mode="after")
    def _epochs_in_range(self) -> PrepareConfig:
        if self.epochs != "auto" and not 1 <= self.epochs <= 50:
            raise ValueError("epochs must be 'auto' or between 1 and 50")
        return self

    @model_validator(mode="after")
    def _dask_needs_an_address(self) -> PrepareConfig:
        if self.dask_address and self.executor != "dask":
            self.executor = "dask"  # the address is the choice (CLI --dask, or the config)
        if self.executor == "dask" and not self.dask_address:
            raise ValueError("executor dask needs dask_address (a scheduler, tcp://HOST:PORT)")
        return self


class DataConfig(_Section):
    """Where the raw data comes from and where datasets, runs and the model registry live."""

    inputs: list[str] = Field(
        default_factory=list,
        description="Files, directories, globs or s3:// prefixes to train on; empty: the storage's landing/ prefix.",
    )
    storage: str | None = Field(
        None,
        description="s3://bucket/prefix root for datasets/, landing/, runs/, registry/; default s3://$FTFLOW_BUCKET.",
    )
    dataset_name: str = Field("dataset", pattern=DATASET_NAME_PATTERN, description="Name under datasets/.")

    def storage_root(self) -> str:
        if self.storage:
            return self.storage.rstrip("/")
        bucket = os.environ.get("FTFLOW_BUCKET")
        if not bucket:
            raise ConfigError("no storage configured: set data.storage (s3://bucket/prefix) or FTFLOW_BUCKET")
        return f"s3://{bucket}"


METRIC_NAMES = ("exact_match", "token_f1", "rouge_l", "length_adherence", "refusal", "judge")


class PromotionRule(_Section):
    """When a candidate becomes champion: it beats the champion (or, on the first run, the
    base model) on the primary metric with the CI's lower bound above `min_improvement`, and
    no guard metric gets worse by more than its tolerance."""

    primary: Literal["exact_match", "token_f1", "rouge_l", "length_adherence", "refusal", "judge"] = Field(
        "token_f1", description="The metric that must improve; 'judge' needs evaluate.judge_model."
    )
    min_improvement: float = Field(
        0.0, ge=0, description="The CI's lower bound of the primary difference must be above this."
    )
    guards: dict[str, float] = Field(
        default_factory=lambda: {"rouge_l": 0.02, "refusal": 0.01},
        description="Metric -> tolerance: the candidate's mean may be worse than the reference's by at most "
        "this much (absolute, in the metric's own units; refusal is a rate, lower is better). Add "
        "length_adherence to hold answer length (cost) too.",
    )
    max_failed_items: int = Field(
        0, ge=0, description="Refuse to promote when more items than this have no answer after all retries."
    )
    golden_tolerance: float = Field(
        0.02,
        ge=0,
        description="When a golden set was recorded (`ftflow models record NAME`): the candidate's mean primary "
        "metric against the reference answers must be at least the golden answers' mean on the same items minus "
        "this (absolute, in the metric's own units; turned for lower-is-better metrics).",
    )

    @field_validator("guards")
    @classmethod
    def _known_guards(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(METRIC_NAMES))
        if unknown:
            raise ValueError(f"unknown guard metric(s) {', '.join(unknown)} (known: {', '.join(METRIC_NAMES)})")
        if any(tol < 0 for tol in value.values()):
            raise ValueError("guard tolerances must not be negative")
        return value


class EvaluateConfig(_Section):
    """`ftflow evaluate`: which models answer the test split, how fast, and the promotion rule."""

    base_model: str | None = Field(
        None, description="Base model to compare with; by default the candidate's own base (ft:BASE:...)."
    )
    judge_model: str | None = Field(
        None, description="Model that judges candidate vs reference pairwise; off when unset."
    )
    endpoints: dict[str, str] = Field(
        default_factory=dict,
        description="Model name -> base URL (…/v1) of the OpenAI-compatible server that serves it (vLLM, "
        "`transformers serve`); models not listed go to the OpenAI client. The hf-lora backend adds its candidate "
        "and base model here itself.",
    )
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature of every answer (0: deterministic).")
    seed: int = Field(1234, description="Seed sent with every request, for reproducible answers.")
    max_tokens: int = Field(1024, ge=1, description="Cap on each answer's length (max_completion_tokens).")
    max_items: int | None = Field(None, ge=1, description="Evaluate at most this many test items (a stable subset).")
    concurrency: int = Field(16, ge=1, le=256, description="Requests in flight at once.")
    requests_per_minute: float = Field(500, gt=0, description="Client-side request limit (your OpenAI RPM).")
    tokens_per_minute: float = Field(200_000, gt=0, description="Client-side token limit (your OpenAI TPM).")
    max_attempts: int = Field(8, ge=1, description="Attempts per request on 429, 5xx and connection errors.")
    request_timeout_s: float = Field(120.0, gt=0, description="Timeout of one request.")
    bootstrap_resamples: int = Field(2000, ge=1000, description="Paired bootstrap resamples for each CI.")
    bootstrap_seed: int = Field(0, description="Seed of the bootstrap, so CIs are reproducible.")
    confidence: float = Field(0.95, gt=0.5, lt=1, description="Confidence level of the intervals.")
    length_tolerance: float = Field(
        1.25, ge=1, description="Answers up to this multiple of the reference's tokens score full length adherence."
    )
    worst_items: int = Field(10, ge=0, description="How many of the candidate's worst items the report shows.")
    mode: Literal["online", "batch"] = Field(
        "online",
        description="'online': chat completions as they are answered; 'batch': one Batch API job (half price, "
        "answered within 24 h; models behind `endpoints` are still asked online). Same items, settings, metrics.",
    )
    use_checkpoint: Literal["final", "best"] = Field(
        "final",
        description="Which model of the fine-tune is the candidate: 'final' (the finished model) or 'best' (the "
        "checkpoint with the lowest validation loss; the report says its step and loss).",
    )
    batch_poll_interval_s: float = Field(
        10.0, gt=0, description="First polling interval of a batch; backs off to 5 min."
    )
    batch_timeout_s: float = Field(
        25 * 3600, gt=0, description="Stop waiting for a batch after this long (it keeps running; rerun to reattach)."
    )
    pricing: EvalPricing = Field(default_factory=EvalPricing)
    promotion: PromotionRule = Field(default_factory=PromotionRule)

    @field_validator("base_model", "judge_model")
    @classmethod
    def _model_names(cls, value: str | None) -> str | None:
        return check_model_name(value)

    @model_validator(mode="after")
    def _judge_primary_needs_judge(self) -> EvaluateConfig:
        if self.promotion.primary == "judge" and not self.judge_model:
            raise ValueError("promotion.primary 'judge' needs judge_model")
        return self


BLOCK_NAME = r"^[a-z0-9-]+$"  # Prefect's rule for block names (so a pasted secret is refused, not echoed)


class CredentialsConfig(_Section):
    """Where credentials come from. Only Prefect block *names* live here, never a secret: a
    named block wins; left empty, the standard environment variables are used."""

    aws_credentials_block: str | None = Field(
        None,
        pattern=BLOCK_NAME,
        description="Name of a Prefect 'AWS Credentials' block (prefect-aws) for S3: its keys, profile, region "
        "and client parameters (endpoint_url, verify); fields left empty there fall back to the standard AWS "
        "configuration. Unset: AWS_* variables and profiles only.",
    )
    openai_api_key_block: str | None = Field(
        None,
        pattern=BLOCK_NAME,
        description="Name of a Prefect 'Secret' block holding the OpenAI API key; used instead of OPENAI_API_KEY. "
        "Unset: OPENAI_API_KEY.",
    )


class PipelineConfig(_Section):
    """The whole pipeline's configuration: one typed model for the CLI, the flows and the Prefect UI form."""

    data: DataConfig = Field(default_factory=DataConfig)
    prepare: PrepareConfig = Field(default_factory=PrepareConfig)
    finetune: FinetuneConfig = Field(default_factory=FinetuneConfig)
    evaluate: EvaluateConfig = Field(default_factory=EvaluateConfig)
    lifecycle: LifecycleConfig = Field(default_factory=LifecycleConfig)
    credentials: CredentialsConfig = Field(default_factory=CredentialsConfig)
    progress: ProgressConfig = Field(default_factory=ProgressConfig)


def load_config(path: str | Path | None) -> PipelineConfig:
    """Read a YAML/JSON/TOML config file; `None` gives the defaults."""
    if path is None:
        return PipelineConfig()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config ({exc.strerror})") from None
    try:
        if path.suffix in (".yaml", ".yml"):
            data = yaml.safe_load(text) or {}
        elif path.suffix == ".toml":
            data = tomllib.loads(text)
        else:
            data = json.loads(text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not valid {path.suffix.lstrip('.') or 'JSON'}: {exc}") from None
    try:
        return PipelineConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation(exc, str(path))) from None


def describe_validation(exc: ValidationError, source: str) -> str:
    """One line naming each wrong setting: `prepare.split.train: …`."""
    problems = "; ".join(f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}" for err in exc.errors())
    return f"{source}: {problems}"

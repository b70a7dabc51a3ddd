"""The manifest of a prepared dataset, typed: what `prepare` writes last into every dataset
folder (and version in S3), and what every later stage reads.

Validated when written and when read, so a field a stage relies on is there with its type.
Sections may carry more fields than named here (``extra="allow"``): a newer writer's
additions survive a round trip through an older reader.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SPLITS = ("train", "validation", "test")


class _Section(BaseModel):
    model_config = ConfigDict(extra="allow")


class InputFileStats(_Section):
    """One input file: rows read = rows kept + rows quarantined."""

    path: str
    format: str
    sha256: str | None = None
    bytes: int | None = None
    rows_read: int
    rows_kept: int
    rows_quarantined: int
    blank_lines_skipped: int = 0


class Counts(_Section):
    rows_read: int
    rows_kept: int
    rows_quarantined: int
    train: int = 0
    validation: int = 0
    test: int = 0
    pinned_to_test: int = 0
    per_reason: dict[str, int] = Field(default_factory=dict)


class PiiSummary(_Section):
    mode: str
    found: dict[str, int] = Field(default_factory=dict)


class TokenStats(_Section):
    examples: int = 0
    total: int = 0
    min: int | None = None
    mean: float | None = None
    p50: int | None = None
    p95: int | None = None
    max: int | None = None


class TokenSummary(_Section):
    model: str
    encoding: str
    example_token_limit: int
    train: TokenStats = Field(default_factory=TokenStats)
    validation: TokenStats = Field(default_factory=TokenStats)
    test: TokenStats = Field(default_factory=TokenStats)


class CostSummary(_Section):
    model: str
    epochs: int
    billed_tokens_per_epoch: int
    billed_tokens: int
    usd_per_1m_tokens: float | None
    usd: float | None
    prices_as_of: str


class OutputFile(_Section):
    sha256: str
    bytes: int
    lines: int


def load(data: bytes | str, where: str) -> Manifest:
    """Parse and validate a manifest; a ValueError naming ``where`` and the first bad field otherwise."""
    try:
        return Manifest.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(map(str, first["loc"])) or "(top level)"
        raise ValueError(
            f"{where}: not a valid manifest: {field}: {first['msg']}"
            + (f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else "")
        ) from None


class Manifest(_Section):
    status: Literal["ok", "refused"]
    refusal: str | None = None
    dataset_sha256: str | None = None
    inputs: list[InputFileStats]
    counts: Counts
    pii: PiiSummary
    tokens: TokenSummary
    cost_estimate: CostSummary
    quality_gate: dict[str, Any] = Field(default_factory=dict)
    languages: dict[str, Any] | None = None  # rows per detected language and each one's punctuation share
    encoding_repaired: int = 0  # rows whose mojibake ftfy repaired
    documents: dict[str, Any] | None = None  # documents read, chunks, generated pairs, generation cost
    config: dict[str, Any] = Field(default_factory=dict)
    outputs: dict[str, OutputFile] = Field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def training_sha256(self) -> str:
        """Hash of what a trainer receives (train + validation files). The dataset hash also covers
        the quarantine, whose rows name their source files: the same rows arriving under another
        file name must not pay for a second job."""
        parts = [f"{name}\0{self.outputs[name].sha256 if name in self.outputs else ''}"
                 for name in ("train.jsonl", "validation.jsonl")]  # fmt: skip
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def lines(self, name: str) -> int:
        """Lines of one output file (0 when it was not written)."""
        out = self.outputs.get(name)
        return out.lines if out else 0

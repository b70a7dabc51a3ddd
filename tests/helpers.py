"""Small helpers shared by tests."""

from pathlib import Path

import orjson
import pandas as pd


def read_jsonl(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def labels_of(directory: Path) -> pd.DataFrame:
    """The generator's labels: line, label, source_line."""
    return pd.read_parquet(directory / "labels.parquet")


def minimal_manifest(
    outputs: dict, dataset_sha256: str, *, train: int = 1, model: str = "gpt-4o-mini-2024-07-18"
) -> dict:
    """A complete, valid manifest (ftflow.manifest.Manifest) around hand-made output files."""
    for name, meta in outputs.items():
        meta.setdefault("lines", 1)
        meta.setdefault("bytes", meta.get("bytes", 0))
        assert "sha256" in meta, name
    return {
        "status": "ok",
        "dataset_sha256": dataset_sha256,
        "inputs": [],
        "counts": {"rows_read": train, "rows_kept": train, "rows_quarantined": 0, "train": train},
        "pii": {"mode": "redact"},
        "tokens": {"model": model, "encoding": "o200k_base", "example_token_limit": 65536},
        "cost_estimate": {
            "model": model,
            "epochs": 3,
            "billed_tokens_per_epoch": 10 * train,
            "billed_tokens": 30 * train,
            "usd_per_1m_tokens": 3.0,
            "usd": 0.0,
            "prices_as_of": "2025-06-01",
        },
        "outputs": outputs,
    }

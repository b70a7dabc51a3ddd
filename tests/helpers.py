"""Small helpers shared by tests."""

from pathlib import Path

import orjson
import pandas as pd


def read_jsonl(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def labels_of(directory: Path) -> pd.DataFrame:
    """The generator's labels: line, label, source_line."""
    return pd.read_parquet(directory / "labels.parquet")

"""sources.jsonl: where each training example generated from a document came from.

One line per such example in train/validation/test: its split and line there (1-based), the
file, pages (or source line), section path, chunk sha256 and pair number. The split files
stay plain OpenAI chat JSONL; the manifest lists this file among its outputs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ftflow.tasks.prepare import dataset

SOURCES = "sources.jsonl"


def write_sources(out: Path, sources: dict[int, dict[str, Any]], by_split: dict[str, np.ndarray]) -> dict[str, Any]:
    """Write sources.jsonl (empty when the gate refused: nothing was split); its outputs entry."""
    records = ({"split": name, "line": line, **sources[int(e)]}
               for name, idx in by_split.items() for line, e in enumerate(idx.tolist(), 1) if int(e) in sources)  # fmt: skip
    return {SOURCES: dataset.write_jsonl(out / SOURCES, records)}

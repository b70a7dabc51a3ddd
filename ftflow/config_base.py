"""What every section of the one typed configuration shares (ftflow/config.py is the entry point)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

DATASET_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"  # dataset and registry names (also layout.NAME)

DEFAULT_MODEL = "gpt-4o-mini-2024-07-18"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")

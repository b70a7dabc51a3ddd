"""The progress section of the one typed configuration (import it from ftflow.config)."""

from __future__ import annotations

from pydantic import Field

from ftflow.config_base import _Section
from ftflow.progress import DEFAULT_INTERVAL_S


class ProgressConfig(_Section):
    """How often long stages (ingest, export, fine-tune polling, evaluation) report their counts, rates
    and time left where nobody watches a live bar."""

    log_every_s: float = Field(
        DEFAULT_INTERVAL_S,
        ge=1,
        le=3600,
        description="Seconds between progress lines in a Prefect run's logs, and in the CLI's output when stderr "
        "is not a terminal (a terminal gets live bars). Each stage's final line is always written.",
    )

"""The `prepare` flow: the data-preparation stage with each sub-stage as a Prefect task.

The sub-stages hand data to each other in memory (a million rows would be slow to
persist between them), so their tasks neither cache nor persist results; what the flow
returns is a small reference: the dataset directory, its content hash and its counts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from ftflow import credentials as creds
from ftflow.config import CredentialsConfig, PrepareConfig
from ftflow.flows.progress import run_logs
from ftflow.flows.review import review_pairs
from ftflow.tasks.prepare.stage import prepare_dataset


def run_as_task(name: str, fn: Callable[..., Any], *args: Any) -> Any:
    """Run one sub-stage as a Prefect task; `quote` keeps Prefect from walking big inputs."""
    stage = task(fn, name=name, cache_policy=NO_CACHE, persist_result=False)
    return stage(*(quote(a) for a in args))


@flow(name="prepare", log_prints=True)
def prepare(
    inputs: list[str], out: str, config: PrepareConfig | None = None, credentials: CredentialsConfig | None = None
) -> dict[str, Any]:
    """Validate, clean and split raw files into an OpenAI fine-tuning dataset at `out`;
    `credentials` names the blocks for s3:// inputs (default: the environment)."""
    creds.configure(credentials or CredentialsConfig())
    cfg = config or PrepareConfig()
    with run_logs():  # counts and rates of the long sub-stages in the run's logs
        result = prepare_dataset(
            inputs, out, cfg, runner=run_as_task, reviewer=review_pairs if cfg.documents.review else None
        )
    m = result.manifest
    return {
        "dataset_dir": str(result.out_dir),
        "dataset_sha256": result.dataset_sha256,
        "counts": m.counts.model_dump(),
        "cost_estimate": m.cost_estimate.model_dump(),
    }

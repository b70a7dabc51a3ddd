"""hf-lora training on a work pool of its own (a GPU machine in production).

The `train-hf-lora` deployment (prefect.yaml, pool ``ftflow-gpu``) runs :func:`train_hf_lora`:
the same training task the retrain flow runs in-process when ``finetune.hf.deployment`` is unset.
The retrain flow hands off with ``run_deployment`` (idempotency key = its run id, so a retried
hand-off waits for the same training run), then reads the result the training run left under
``runs/<run-id>/finetune/model.json``. The adapter itself is published under the dataset version,
where the evaluation downloads it. A rerun after a crash resumes from the last checkpoint in the
GPU worker's ``finetune.hf.work_dir``.
"""

from __future__ import annotations

import json

from prefect import flow, get_run_logger, task
from prefect.deployments import run_deployment

from ftflow import credentials, s3
from ftflow.config import CredentialsConfig, FinetuneConfig, Pricing
from ftflow.flows.steps import DatasetRef, ModelRef, train_and_report
from ftflow.layout import StorageLayout
from ftflow.retries import task_options
from ftflow.tasks.train.openai import FinetuneError

RESULT = "finetune/model.json"


@flow(name="train-hf-lora", log_prints=True)
def train_hf_lora(dataset: DatasetRef, config: FinetuneConfig, pricing: Pricing, storage: str, run_id: str,
                  credentials_config: CredentialsConfig | None = None) -> dict[str, object]:  # fmt: skip
    """Train (or resume, or reuse) the LoRA adapter of this dataset and settings, publish it, and
    leave the result for the flow that handed off."""
    credentials.configure(credentials_config or CredentialsConfig())
    model = task(name="fine-tune (hf-lora)", **task_options(24 * 3600))(train_and_report)(
        dataset, config.model_copy(update={"backend": "hf-lora"}), pricing, storage, run_id
    )
    s3.put_bytes(model.model_dump_json(indent=2).encode(), s3.join(StorageLayout(storage).run(run_id), RESULT))
    return model.model_dump()


def hand_off(dataset: DatasetRef, cfg: FinetuneConfig, pricing: Pricing, storage: str, run_id: str,
             credentials_config: CredentialsConfig | None = None) -> ModelRef:  # fmt: skip
    """Run the training on the deployment named in finetune.hf.deployment and wait for it."""
    log = get_run_logger()
    name = cfg.hf.deployment or ""
    log.info("handing hf-lora training to deployment %s", name)
    run = run_deployment(name, parameters={"dataset": dataset.model_dump(), "config": cfg.model_dump(mode="json"),
                                           "pricing": pricing.model_dump(mode="json"), "storage": storage,
                                           "run_id": run_id,
                                           "credentials_config": (credentials_config or CredentialsConfig()).model_dump()},
                         idempotency_key=f"{run_id}:train-hf-lora", timeout=None)  # fmt: skip
    state = run.state
    if state is None or not state.is_completed():
        message = state.message if state else "no state"
        raise FinetuneError(f"training run {run.name} on {name} ended {state.name if state else '?'}: {message}")
    data = json.loads(s3.read_bytes(s3.join(StorageLayout(storage).run(run_id), RESULT)))
    return ModelRef.model_validate(data)

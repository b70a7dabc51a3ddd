"""A flow served by `serve` (the same runner a process worker uses) that starts a fine-tuning job
the way the retrain flow does (tagged with its flow run) and then waits, with the retrain flow's
on_cancellation hook. Started by tests/integration/test_cancel_prefect.py."""

import sys
import time

from prefect import flow
from prefect.runtime import flow_run

from ftflow.config import PipelineConfig
from ftflow.flows.cancel import on_retrain_cancelled
from ftflow.llm import openai_client
from ftflow.tasks.publish.versions import open_dataset
from ftflow.tasks.train.openai import submit


@flow(name="cancel-probe", on_cancellation=[on_retrain_cancelled])
def cancel_probe(config: PipelineConfig, dataset: str) -> None:
    job, _, _ = submit(openai_client(), open_dataset(dataset), config.finetune, print, str(flow_run.get_id()))
    print(f"submitted {job.id}")
    time.sleep(300)  # the fine-tune "runs"; cancelling the flow run must cancel the job


if __name__ == "__main__":
    cancel_probe.serve(name=sys.argv[1] if len(sys.argv) > 1 else "probe")

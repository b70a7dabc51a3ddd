"""The retrain flow with finetune.backend hf-lora, in-process: prepare → export → LoRA training
(through the trainer registry) → serve → evaluate → promote, against a real S3 and no OpenAI at
all; and the train-hf-lora deployment the flow hands off to when finetune.hf.deployment is set."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml

from ftflow import s3
from ftflow.config import PipelineConfig

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(900)]  # CPU training + serving
ROOT = Path(__file__).resolve().parents[2]


def test_prefect_yaml_has_the_gpu_training_deployment() -> None:
    deployments = {d["name"]: d for d in yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]}
    train = deployments["train-hf-lora"]
    assert train["work_pool"]["name"] == "ftflow-gpu"
    path, name = train["entrypoint"].split(":")
    module = path.removesuffix(".py").replace("/", ".")
    flow = getattr(importlib.import_module(module), name)
    assert flow.name == "train-hf-lora"


def test_retrain_flow_trains_serves_evaluates_and_promotes_with_hf_lora(
    prefect_harness: None, tiny_base: Path, dest: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("trl", reason="the train extra is not installed (./scripts/bootstrap.sh --train)")
    from ftflow.flows.retrain import retrain

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)  # nothing may go to OpenAI
    cfg = PipelineConfig.model_validate({
        "data": {"inputs": [str(ROOT / "sample_data" / "patient_faq.csv")], "storage": dest,
                 "dataset_name": "patients-hf"},
        "finetune": {"backend": "hf-lora", "seed": 5, "approval_above_usd": 0,  # approval is for OpenAI spend only
                     "hf": {"base_model": str(tiny_base), "work_dir": str(tmp_path / "work"), "max_steps": 3,
                            "save_steps": 3, "batch_size": 4, "learning_rate": 1e-2, "max_length": 256,
                            "device": "cpu"}},
        "evaluate": {"max_items": 2, "max_tokens": 8, "concurrency": 2},
    })  # fmt: skip
    summary = retrain(config=cfg)

    key = summary["job"]
    assert len(key) == 32
    assert summary["model"] == f"ftflow-lora-{key[:16]}"
    assert summary["decision"].split(":")[0] in ("promoted", "rejected")
    assert summary["cost estimate (USD)"] == "n/a (hf-lora)"
    sha = summary["dataset"].rstrip("/").rsplit("/", 1)[-1]
    adapters = s3.join(dest, "datasets", "patients-hf", sha, "adapters", key)
    assert s3.head(s3.join(adapters, "manifest.json")) is not None
    assert s3.head(s3.join(adapters, "adapter", "adapter_model.safetensors")) is not None
    reports = [o.uri for o in s3.list_objects(s3.join(dest, "runs") + "/")]
    assert any(uri.endswith("/finetune/metrics.csv") for uri in reports)
    assert any(uri.endswith("/finetune/loss_curve.png") for uri in reports)

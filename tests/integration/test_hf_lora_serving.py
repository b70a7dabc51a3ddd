"""hf-lora end to end against a real S3 (SeaweedFS): train a tiny offline model on a published
dataset version, publish adapter + tokenizer + report under the version (verified by SHA-256),
then, as on another machine with an empty work dir, download it, serve it with `transformers
serve` and evaluate it with the openai SDK (another base_url, no OpenAI key at all)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ftflow import s3
from ftflow.config import EvaluateConfig, FinetuneConfig, HfLoraConfig, PipelineConfig, Pricing
from ftflow.tasks.publish.export import export_dataset

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(900)]  # CPU training + serving
pytest.importorskip("trl", reason="the train extra is not installed (./scripts/bootstrap.sh --train)")


def test_adapter_published_then_served_and_evaluated_through_the_openai_sdk(
    hf_dataset: Path, tiny_base: Path, dest: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ftflow.flows.steps import DatasetRef, ModelRef, _evaluate_served
    from ftflow.tasks.prepare.dataset import read_manifest
    from ftflow.tasks.train.backends import train

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)  # every answer must come from the local server
    version = export_dataset(hf_dataset, dest, name="patients").uri
    hf = HfLoraConfig(base_model=str(tiny_base), work_dir=str(tmp_path / "work"), max_steps=4, save_steps=2,
                      batch_size=4, learning_rate=1e-2, max_length=256, device="cpu")  # fmt: skip
    cfg = FinetuneConfig(backend="hf-lora", seed=3, hf=hf)
    outcome = train(version, cfg, Pricing(), log=print)

    # Published under the dataset version, content-addressed and verified.
    assert outcome.artifacts_uri == s3.join(version, "adapters", outcome.job_id)
    manifest = json.loads(s3.read_bytes(s3.join(outcome.artifacts_uri, "manifest.json")))
    assert {"adapter/adapter_model.safetensors", "adapter/adapter_config.json", "adapter/tokenizer.json",
            "metrics.csv", "loss_curve.png", "finetune.json"} <= set(manifest["files"])  # fmt: skip
    local = tmp_path / "work" / outcome.job_id
    for rel, meta in manifest["files"].items():
        assert s3.file_sha256(local / rel) == meta["sha256"]
        assert s3.head(s3.join(outcome.artifacts_uri, rel)).sha256 == meta["sha256"]
    assert manifest["outcome"]["trained_tokens"] == outcome.trained_tokens

    # Evaluate as another machine would: nothing local, the adapter comes from S3.
    shutil.rmtree(local)
    dataset_manifest = read_manifest(hf_dataset)
    dataset = DatasetRef(uri=version, dataset_sha256=str(dataset_manifest.dataset_sha256),
                         counts=dataset_manifest.counts, cost_estimate=dataset_manifest.cost_estimate,
                         tokens=dataset_manifest.tokens)  # fmt: skip
    model = ModelRef(job_id=outcome.job_id, fine_tuned_model=outcome.model or "", trained_tokens=outcome.trained_tokens,
                     estimated_tokens=outcome.estimated_tokens, reattached=False, backend="hf-lora",
                     base_model=outcome.base_model, adapter_uri=outcome.artifacts_uri)  # fmt: skip
    pipeline = PipelineConfig.model_validate({
        "data": {"dataset_name": "patients"}, "finetune": cfg.model_dump(),
        "evaluate": EvaluateConfig(max_items=3, max_tokens=8, concurrency=2).model_dump(),
    })  # fmt: skip
    lines: list[str] = []
    result = _evaluate_served(dataset, model, pipeline, dest, lines.append)

    assert any("downloaded, not retrained" in line for line in lines)
    assert result.result.roles == {"candidate": outcome.model, "base": str(tiny_base.resolve())}
    for role in ("candidate", "base"):
        run = result.result.models[role]
        assert (run.answered, run.failed) == (3, 0)
        assert run.completion_tokens > 0  # real generations, counted by the server
    assert result.decision.outcome in ("promoted", "rejected")
    assert result.event is not None
    assert result.event.job_id == outcome.job_id

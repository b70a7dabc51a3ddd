"""The trainer registry (finetune.backend), the hf-lora key and its failure messages, and the
routing of models to OpenAI-compatible endpoints. Fast: no training here (see test_hf_lora.py)."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from ftflow.config import FinetuneConfig, HfLoraConfig, PipelineConfig
from ftflow.endpoints import endpoint_clients, needs_default_client
from ftflow.errors import FtflowError
from ftflow.tasks.train.backends import BACKENDS, HfLoraBackend, OpenAIBackend, get_backend
from ftflow.tasks.train.hf_lora import adapters_uri, base_model_identity, require_train_extra, run_hf_lora
from tests.helpers import minimal_manifest


def test_registry_names_both_backends_and_refuses_unknown_ones() -> None:
    assert isinstance(get_backend("openai"), OpenAIBackend)
    assert isinstance(get_backend("hf-lora"), HfLoraBackend)
    assert set(BACKENDS) == {"openai", "hf-lora"}
    with pytest.raises(FtflowError, match=r"unknown finetune\.backend 'nope'"):
        get_backend("nope")


def test_config_defaults_to_openai_and_validates_the_hf_section() -> None:
    assert FinetuneConfig().backend == "openai"
    cfg = PipelineConfig.model_validate({"finetune": {"backend": "hf-lora", "hf": {"base_model": "/m", "lora_r": 4,
                                                                                  "target_modules": ["q_proj"]}}})  # fmt: skip
    assert cfg.finetune.hf.lora_r == 4
    assert cfg.finetune.hf.target_modules == ["q_proj"]
    with pytest.raises(ValidationError):
        FinetuneConfig.model_validate({"backend": "vertex"})
    with pytest.raises(ValidationError):
        HfLoraConfig.model_validate({"lora_dropout": 1.5})


def test_missing_train_extra_is_one_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trl", None)  # what `import trl` does when it is not installed
    with pytest.raises(FtflowError, match=r'pip install "ftflow\[train\]"'):
        require_train_extra()


def test_base_model_identity_hashes_a_local_folder_and_pins_a_hub_revision(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    first = base_model_identity(HfLoraConfig(base_model=str(tmp_path)))
    (tmp_path / "config.json").write_text('{"changed": 1}')
    assert base_model_identity(HfLoraConfig(base_model=str(tmp_path))) != first
    assert base_model_identity(HfLoraConfig(base_model="org/model", revision="abc")) == "org/model@abc"


def _dataset(root: Path) -> Path:
    """A minimal prepared dataset (every data file, its hash in manifest.json, status ok)."""
    root.mkdir(parents=True)
    outputs = {}
    for split in ("train", "validation", "test", "quarantine"):
        data = b'{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]}\n'
        (root / f"{split}.jsonl").write_bytes(data)
        outputs[f"{split}.jsonl"] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "lines": 1}
    manifest = minimal_manifest(outputs, "d" * 64)
    (root / "manifest.json").write_text(json.dumps(manifest))
    return root


def test_dry_run_names_the_key_and_trains_nothing(tmp_path: Path) -> None:
    dataset = _dataset(tmp_path / "ds")
    cfg = FinetuneConfig(backend="hf-lora", hf=HfLoraConfig(base_model="org/model", work_dir=str(tmp_path / "w")))
    lines: list[str] = []
    outcome = run_hf_lora(dataset, cfg, dry_run=True, log=lines.append)
    assert outcome.status == "dry-run"
    assert len(outcome.job_id) == 32
    assert not (tmp_path / "w").exists()
    assert any(outcome.job_id in line for line in lines)


def test_adapters_live_under_the_dataset_version() -> None:
    version = "s3://b/p/datasets/faq/" + "a" * 64
    assert adapters_uri(version, "k1") == f"{version}/adapters/k1"
    assert adapters_uri("/local/dir", "k1") is None


def test_endpoints_route_models_to_their_servers() -> None:
    clients = endpoint_clients({"cand": "http://127.0.0.1:1/v1", "base": "http://127.0.0.1:1/v1",
                                "other": "http://127.0.0.1:2/v1"})  # fmt: skip
    assert str(clients["cand"].base_url).rstrip("/") == "http://127.0.0.1:1/v1"
    assert clients["cand"] is clients["base"]  # one client per server
    assert str(clients["other"].base_url).rstrip("/") == "http://127.0.0.1:2/v1"
    assert not needs_default_client(["cand", "base", None], {"cand": "u", "base": "u"})
    assert needs_default_client(["cand", "ft:gpt-4o-mini:x"], {"cand": "u"})

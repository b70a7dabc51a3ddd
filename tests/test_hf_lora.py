"""The hf-lora trainer backend on a tiny model built offline, on the CPU: the loss falls, the
adapter loads with PEFT and generates, a finished key is not retrained, and a training killed
with SIGKILL resumes from its last checkpoint (the step count continues, it does not restart)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ftflow.config import FinetuneConfig, HfLoraConfig, Pricing
from ftflow.tasks.train.hf_lora import OUTCOME, hyperparameters, training_key

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]  # CPU training on a shared 2-core machine
trl = pytest.importorskip("trl", reason="the train extra is not installed (./scripts/bootstrap.sh --train)")


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # nothing may come from a model hub


def hf_settings(base: Path, work: Path, **overrides: object) -> dict[str, object]:
    settings: dict[str, object] = {"base_model": str(base), "work_dir": str(work), "max_steps": 8, "save_steps": 4,
                                   "batch_size": 4, "learning_rate": 1e-2, "max_length": 256, "device": "cpu"}  # fmt: skip
    return {**settings, **overrides}


def test_trains_loss_falls_adapter_generates_and_key_is_not_retrained(hf_dataset: Path, tiny_base: Path,
                                                                      tmp_path: Path) -> None:  # fmt: skip
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from ftflow.tasks.train.backends import train

    cfg = FinetuneConfig(backend="hf-lora", seed=7, hf=HfLoraConfig(**hf_settings(tiny_base, tmp_path / "work")))
    logs: list[str] = []
    outcome = train(hf_dataset, cfg, Pricing(), report_dir=tmp_path / "report", log=logs.append)

    assert outcome.status == "succeeded"
    assert outcome.backend == "hf-lora"
    assert not outcome.reattached
    assert outcome.model == f"ftflow-lora-{outcome.job_id[:16]}"
    losses = pd.read_csv(tmp_path / "report" / "metrics.csv")["train_loss"].dropna().tolist()
    assert len(losses) == 8
    assert sum(losses[-3:]) / 3 < sum(losses[:3]) / 3, losses  # the loss falls over 8 steps
    assert (tmp_path / "report" / "loss_curve.png").read_bytes()[:4] == b"\x89PNG"
    assert outcome.trained_tokens
    assert outcome.estimated_tokens
    assert 0.5 < outcome.trained_tokens / outcome.estimated_tokens < 1.5  # trained vs estimated before training

    # The adapter loads onto the base model with PEFT, was actually trained, and generates.
    adapter = Path(outcome.extra["adapter_dir"])
    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_base), str(adapter))
    lora_b = [p for n, p in model.named_parameters() if "lora_B" in n]
    assert lora_b
    assert any(p.abs().sum() > 0 for p in lora_b)
    tokenizer = AutoTokenizer.from_pretrained(adapter)
    prompt = tokenizer.apply_chat_template([{"role": "user", "content": "How do I pay my bill?"}],
                                           add_generation_prompt=True, return_tensors="pt", return_dict=True)  # fmt: skip
    with torch.no_grad():
        out = model.generate(**prompt, max_new_tokens=6, do_sample=False)
    assert out.shape[1] > prompt["input_ids"].shape[1]

    # Same data, base, hyperparameters and seed: the finished key is reused, nothing is trained.
    again: list[str] = []
    second = train(hf_dataset, cfg, Pricing(), log=again.append)
    assert second.reattached
    assert second.job_id == outcome.job_id
    assert second.trained_tokens == outcome.trained_tokens
    assert not [line for line in again if line.startswith("step ")]


def test_key_covers_data_base_hyperparameters_and_seed(tiny_base: Path, tmp_path: Path) -> None:
    hf = HfLoraConfig(**hf_settings(tiny_base, tmp_path))
    key = training_key("a" * 64, "base-1", hf, 7)
    assert key == training_key("a" * 64, "base-1", hf.model_copy(update={"save_steps": 99, "work_dir": "/x"}), 7)
    others = [training_key("b" * 64, "base-1", hf, 7), training_key("a" * 64, "base-2", hf, 7),
              training_key("a" * 64, "base-1", hf.model_copy(update={"learning_rate": 1e-3}), 7),
              training_key("a" * 64, "base-1", hf, 8)]  # fmt: skip
    assert len({key, *others}) == 5
    assert "save_steps" not in hyperparameters(hf)  # where and how often we save does not change the weights


def test_sigkill_mid_training_resumes_from_the_last_checkpoint(hf_dataset: Path, tiny_base: Path,
                                                                tmp_path: Path) -> None:  # fmt: skip
    work = tmp_path / "work"
    config = tmp_path / "hf.yaml"
    settings = hf_settings(tiny_base, work, max_steps=12, save_steps=3)
    config.write_text(yaml.safe_dump({"finetune": {"backend": "hf-lora", "seed": 7, "hf": settings}}))
    ftflow = Path(sys.executable).with_name("ftflow")
    cmd = [str(ftflow), "finetune", str(hf_dataset), "--config", str(config), "--report-dir", str(tmp_path / "r")]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "200"}

    with (tmp_path / "first.log").open("wb") as first_log:
        proc = subprocess.Popen(cmd, stdout=first_log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 240
        done = []
        while not done and proc.poll() is None and time.monotonic() < deadline:
            done = list(work.glob("*/checkpoints/checkpoint-*/trainer_state.json"))
            time.sleep(0.1)
        assert done, (tmp_path / "first.log").read_text()[-3000:]
        os.kill(proc.pid, signal.SIGKILL)  # mid-training: 12 steps planned, a checkpoint every 3
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    key_dir = done[0].parents[2]
    assert not (key_dir / OUTCOME).exists()

    second = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    text = second.stdout + second.stderr
    assert second.returncode == 0, text[-3000:]
    resumed = re.search(r"resuming from checkpoint-(\d+) \(step (\d+)\)", text)
    assert resumed, text[-3000:]
    step = int(resumed.group(2))
    assert 3 <= step < 12
    steps = [int(s) for s in re.findall(r"^step (\d+):", text, re.M)]
    assert steps
    assert min(steps) > step
    assert max(steps) == 12
    outcome = yaml.safe_load((key_dir / OUTCOME).read_text())
    assert outcome["global_step"] == 12
    assert outcome["resumed_from_step"] == step
    history = pd.read_csv(key_dir / "metrics.csv")
    assert history["step"].min() == 1
    assert history["step"].max() == 12

    third = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert third.returncode == 0
    assert "already trained" in third.stdout + third.stderr
    assert not re.findall(r"^step \d+:", third.stdout + third.stderr, re.M)

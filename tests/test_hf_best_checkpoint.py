"""use_checkpoint best on the hf-lora backend, with a tiny model built offline on the CPU: the trainer
marks the checkpoint with the lowest eval loss, its adapter is kept as adapter-best/ (byte for byte
the checkpoint's), and the flow serves that adapter under its own name with the reason recorded."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from ftflow.config import FinetuneConfig, HfLoraConfig, Pricing
from ftflow.tasks.train.hf_lora import ADAPTER, BEST_ADAPTER, key_dir

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]
trl = pytest.importorskip("trl", reason="the train extra is not installed (./scripts/bootstrap.sh --train)")


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def test_best_eval_loss_checkpoint_is_kept_and_served_by_name(hf_dataset: Path, tiny_base: Path, tmp_path: Path):
    from transformers import AutoTokenizer

    from ftflow.flows.steps import hf_candidate
    from ftflow.tasks.train.backends import train
    from ftflow.tasks.train.hf_train import keep_best

    hf = HfLoraConfig(base_model=str(tiny_base), work_dir=str(tmp_path / "work"), max_steps=6, save_steps=2,
                      batch_size=4, learning_rate=1e-2, max_length=256, device="cpu")  # fmt: skip
    outcome = train(hf_dataset, FinetuneConfig(backend="hf-lora", seed=7, hf=hf), Pricing(), log=lambda _: None)
    assert outcome.status == "succeeded"
    local = key_dir(hf, outcome.job_id)
    best = outcome.extra["best_checkpoint"]
    metrics = pd.read_csv(local / "metrics.csv").dropna(subset=["valid_loss"])
    history = [[int(s), round(float(v), 6)] for s, v in zip(metrics["step"], metrics["valid_loss"], strict=True)]
    assert [s for s, _ in best["history"]] == [s for s, _ in history] == [2, 4, 6]
    first_min = min(history, key=lambda sv: sv[1])  # the trainer keeps the first of equal losses
    assert best["step"] == first_min[0]
    assert best["valid_loss"] == pytest.approx(first_min[1], abs=1e-5)
    kept = local / "checkpoints" / f"checkpoint-{best['step']}" / "adapter_model.safetensors"
    assert kept.exists()  # rotation (save_total_limit=2) spares the best checkpoint

    if best["step"] == outcome.extra["global_step"]:
        # The loss fell to the end (the usual case on this tiny model): best is the final model itself.
        assert best["dir"] == ADAPTER
        assert not (local / BEST_ADAPTER).exists()
        served, choice = hf_candidate(outcome, "best")
        assert served == outcome
        assert choice.model == outcome.model
        assert choice.why.startswith(f"the final model (step {best['step']}) has the lowest eval_loss")
        # The other branch, on the real earlier checkpoint: the trainer's state naming it best.
        earlier = local / "checkpoints" / "checkpoint-4"
        state = SimpleNamespace(best_model_checkpoint=str(earlier), best_metric=history[1][1],
                                log_history=[{"step": s, "eval_loss": v} for s, v in history])  # fmt: skip
        best = keep_best(state, 6, outcome.job_id, local, AutoTokenizer.from_pretrained(str(local / ADAPTER)))
        outcome.extra["best_checkpoint"] = best
        kept = earlier / "adapter_model.safetensors"
    assert best["step"] != 6
    assert best["dir"] == BEST_ADAPTER
    assert (local / BEST_ADAPTER / "adapter_model.safetensors").read_bytes() == kept.read_bytes()
    assert (local / BEST_ADAPTER / "adapter_config.json").exists()
    assert (local / BEST_ADAPTER / "tokenizer_config.json").exists()
    assert kept.read_bytes() != (local / ADAPTER / "adapter_model.safetensors").read_bytes()

    served, choice = hf_candidate(outcome, "best")
    assert served.model == f"{outcome.model}-step{best['step']}" == choice.model
    assert served.extra["adapter_dir"] == str(local / BEST_ADAPTER)
    assert choice.step == best["step"]
    assert choice.final_model == outcome.model
    assert f"(step {best['step']}) has the lowest eval_loss {best['valid_loss']:.4f} of 3 evaluations" in choice.why
    assert hf_candidate(outcome, "final") == (outcome, None)

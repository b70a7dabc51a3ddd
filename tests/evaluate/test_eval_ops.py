"""Cheaper, truer evaluation without any server: choosing the best checkpoint, pricing online vs
batch, the Batch API lines and the reading of its error lines, and the new config options."""

import json
from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from ftflow.batch_runner import _line_error, batch_key, batch_lines
from ftflow.chat_runner import ChatRequest, completion_params
from ftflow.config import EvaluateConfig, PipelineConfig
from ftflow.config_eval import EvalPricing
from ftflow.tasks.evaluate.checkpoints import best_hf_checkpoint, rank
from ftflow.tasks.evaluate.cost import cost_of, describe, price_of, usd

FINAL = "ft:gpt-4o-mini-2024-07-18:org:x:abc"


def ckpt(step: int, full: float | None = None, valid: float | None = None):
    name = f"{FINAL}:ckpt-step-{step}"
    return step, name, SimpleNamespace(full_valid_loss=full, valid_loss=valid)


def test_best_is_the_lowest_full_validation_loss_and_says_why():
    choice = rank([ckpt(30, 0.41, 0.5), ckpt(20, 0.35, 0.6), ckpt(10, 0.52, 0.2)], FINAL, 30)
    assert choice.model == f"{FINAL}:ckpt-step-20"
    assert (choice.step, choice.valid_loss, choice.metric, choice.considered) == (20, 0.35, "full_valid_loss", 3)
    assert choice.why == (f"checkpoint {FINAL}:ckpt-step-20 (step 20) has the lowest full_valid_loss 0.3500 of 3 "
                          "checkpoints (step 10: 0.5200, step 20: 0.3500, step 30: 0.4100)")  # fmt: skip


def test_best_at_the_last_step_is_the_final_model_and_ties_go_to_the_later_step():
    assert rank([ckpt(10, 0.3), ckpt(20, 0.3)], FINAL, 20).model == FINAL
    assert rank([ckpt(10, 0.3), ckpt(20, 0.3), ckpt(30, 0.4)], FINAL, 30).step == 20


def test_sampled_valid_loss_is_used_only_when_a_checkpoint_lacks_the_full_one():
    choice = rank([ckpt(10, None, 0.2), ckpt(20, 0.1, 0.3)], FINAL, 20)
    assert (choice.metric, choice.step) == ("valid_loss", 10)


def test_without_validation_loss_the_final_model_is_evaluated_and_the_reason_given():
    choice = rank([ckpt(10), ckpt(20)], FINAL, 20)
    assert choice.model == FINAL
    assert choice.step is None
    assert "no checkpoint has a validation loss" in choice.why
    assert best_hf_checkpoint(None, "ftflow-lora-k", 8).model == "ftflow-lora-k"


def test_hf_best_names_the_earlier_adapter():
    best = {"step": 4, "valid_loss": 1.25, "model": "ftflow-lora-k-step4", "dir": "adapter-best",
            "history": [[2, 1.5], [4, 1.25], [6, 1.3]]}  # fmt: skip
    choice = best_hf_checkpoint(best, "ftflow-lora-k", 6)
    assert (choice.model, choice.step, choice.metric) == ("ftflow-lora-k-step4", 4, "eval_loss")
    assert "of 3 evaluations (step 2: 1.5000, step 4: 1.2500, step 6: 1.3000)" in choice.why
    assert best_hf_checkpoint({**best, "step": 6}, "ftflow-lora-k", 6).model == "ftflow-lora-k"


def test_prices_of_fine_tunes_checkpoints_and_aliases_and_the_batch_discount():
    p = EvalPricing()
    assert price_of(FINAL, p).input == 0.3
    assert price_of(f"{FINAL}:ckpt-step-20", p).output == 1.2  # a checkpoint is priced as its fine-tune
    assert price_of("gpt-4o-mini", p).input == 0.15  # alias -> dated snapshot, never the ft: price
    assert price_of("ftflow-lora-abc", p) is None
    online = usd(FINAL, 1_000_000, 500_000, p, "online")
    assert online == pytest.approx(0.3 + 0.6)
    assert usd(FINAL, 1_000_000, 500_000, p, "batch") == pytest.approx(online / 2)


def test_cost_names_unpriced_models_rather_than_counting_them_free():
    roles = {"candidate": "ftflow-lora-abc", "base": "gpt-4o-mini-2024-07-18"}
    cost = cost_of(roles, {"candidate": (1e6, 0), "base": (1e6, 0)}, EvalPricing(), "batch", {"base": (2e6, 0)})
    assert cost.unpriced == ["ftflow-lora-abc"]
    assert cost.per_role == {"candidate": None, "base": 0.075}
    assert cost.usd == 0.075
    assert cost.estimated_usd == 0.15
    assert describe(cost).startswith("mode: batch (Batch API, 50% off, prices of 2025-06-01)")


def test_batch_lines_carry_exactly_the_online_request_keyed_by_the_cache_key():
    reqs = [ChatRequest("gpt-4o-mini", [{"role": "user", "content": f"q{i}"}],
                        {"temperature": 0.0, "seed": 1, "max_tokens": 64}) for i in range(3)]  # fmt: skip
    lines = [json.loads(x) for x in batch_lines(reqs).decode().splitlines()]
    assert [x["custom_id"] for x in lines] == [r.key for r in reqs]
    assert all(x["method"] == "POST" and x["url"] == "/v1/chat/completions" for x in lines)
    assert [x["body"] for x in lines] == [completion_params(r) for r in reqs]
    assert batch_key(reqs) == batch_key(reqs[::-1]) != batch_key(reqs[:2])


def test_error_lines_expired_and_failed_are_told_apart():
    expired = {"custom_id": "a", "response": None,
               "error": {"code": "batch_expired", "message": "could not be executed before the window"}}  # fmt: skip
    assert _line_error(expired) == ("batch_expired: could not be executed before the window", None)
    failed = {"custom_id": "b", "error": None, "response": {"status_code": 404, "body": {
        "error": {"message": "The model `x` does not exist"}}}}  # fmt: skip
    assert _line_error(failed) == ("HTTP 404: The model `x` does not exist", 404)


def test_config_options_default_and_refuse_unknown_values():
    cfg = EvaluateConfig()
    assert (cfg.mode, cfg.use_checkpoint, cfg.pricing.batch_discount) == ("online", "final", 0.5)
    assert (
        PipelineConfig.model_validate({"evaluate": {"mode": "batch", "use_checkpoint": "best"}}).evaluate.mode
        == "batch"
    )
    for bad in ({"mode": "offline"}, {"use_checkpoint": "middle"}):
        with pytest.raises(ValidationError):
            EvaluateConfig.model_validate(bad)
    for field in ("mode", "use_checkpoint", "batch_poll_interval_s", "batch_timeout_s"):
        assert EvaluateConfig.model_fields[field].description

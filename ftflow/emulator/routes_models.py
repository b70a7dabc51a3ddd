"""`/v1/models`, `/v1/chat/completions` and `/v1/moderations`."""

from __future__ import annotations

import random
import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from ftflow.emulator import chat, qa
from ftflow.emulator.core import BASE_MODELS, Emulator, emu, json_body
from ftflow.emulator.errors import APIError, bad_request, not_found
from ftflow.emulator.jobs import FINE_TUNABLE
from ftflow.emulator.store import JsonDict, new_id
from ftflow.emulator.validation import ROLES, content_text, messages_tokens

router = APIRouter(prefix="/v1")
Emu = Annotated[Emulator, Depends(emu)]

CHAT_MODELS = frozenset(m for m in BASE_MODELS if not m.startswith("omni-moderation"))
MODERATION_MODELS = frozenset(m for m in BASE_MODELS if m.startswith("omni-moderation"))


@router.get("/models")
def list_models(e: Emu) -> JsonDict:
    now = e.sync()
    tuned = e.tuned_models(now)
    names = [*BASE_MODELS, *(m for m in tuned if ":ckpt-step-" not in m)]
    return {"object": "list", "data": [e.model_object(m, now) for m in names if not e.is_shut_down(m, now)]}


@router.get("/models/{model_id}")
def retrieve_model(e: Emu, model_id: str) -> JsonDict:
    return e.model_object(model_id, e.sync())


@router.delete("/models/{model_id}")
def delete_model(e: Emu, model_id: str) -> JsonDict:
    with e.store.lock:
        now = e.sync()
        if model_id in BASE_MODELS:
            raise APIError(403, "You have insufficient permissions for this operation.")
        e.model_object(model_id, now)  # 404 when unknown
        job, _ = e.tuned_models(now)[model_id]
        job["_model_deleted"] = True
        e.store.save("jobs", job)
    return {"id": model_id, "object": "model", "deleted": True}


def _number(body: dict[str, Any], name: str, lo: float, hi: float, default: float) -> float:
    value = body.get(name)
    if value is None:
        return default
    if not isinstance(value, int | float) or isinstance(value, bool) or not lo <= value <= hi:
        raise bad_request(f"Invalid '{name}': expected a number within {lo:g}..{hi:g}.", name)
    return float(value)


def _messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise bad_request("Missing required parameter: 'messages'.", "messages")
    for i, msg in enumerate(messages):
        if not isinstance(msg, dict) or msg.get("role") not in ROLES:
            raise bad_request(f"Invalid value: messages[{i}].role must be one of {sorted(ROLES)}.",
                              f"messages.[{i}].role", "invalid_value")  # fmt: skip
    return messages


def _truncate(text: str, model: str, max_tokens: int | None) -> tuple[str, int, str]:
    from ftflow import tokens  # lazily: numpy is slow to import

    enc = tokens.get_encoding(model)
    ids = enc.encode_ordinary(text)
    if max_tokens is not None and len(ids) > max_tokens:
        return enc.decode(ids[:max_tokens]), max_tokens, "length"
    return text, len(ids), "stop"


def _chat(e: Emulator, body: dict[str, Any]) -> JsonDict:
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise bad_request("Missing required parameter: 'model'.", "model")
    messages = _messages(body)
    if body.get("stream"):
        raise bad_request("The emulator does not support streaming; omit 'stream'.", "stream")
    temperature = _number(body, "temperature", 0, 2, 1.0)
    n = int(_number(body, "n", 1, 128, 1))
    limit = body.get("max_completion_tokens", body.get("max_tokens"))
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise bad_request("Invalid 'max_tokens': expected a positive integer.", "max_tokens")
    seed = body.get("seed")
    rng = random.Random(seed) if isinstance(seed, int) else random.Random()
    now = e.sync()
    tuned = e.tuned_models(now).get(model)
    if (tuned is None and model not in CHAT_MODELS) or e.is_shut_down(model, now):
        raise not_found(f"The model `{model}` does not exist or you do not have access to it.",
                        "model", "model_not_found")  # fmt: skip
    index = e.recall_index(tuned[0]["id"]) if tuned else None
    question = chat.last_user_text(messages)
    structured = qa.schema_name(body)
    reply = qa.structured_reply(structured, body, question) if structured else None
    choices, completion_tokens = [], 0
    for i in range(n):
        answer = reply or (chat.recalled_answer(index, question, rng, temperature) if index else None)
        text, used, finish = _truncate(answer or chat.generic_answer(rng, temperature), model,
                                       limit)  # fmt: skip
        completion_tokens += used
        choices.append({
            "index": i, "finish_reason": finish, "logprobs": None,
            "message": {"role": "assistant", "content": text, "refusal": None, "annotations": []},
        })  # fmt: skip
    prompt_tokens = messages_tokens(messages, model)
    return {
        "id": new_id("chatcmpl-", 29), "object": "chat.completion", "created": int(time.time()),
        "model": FINE_TUNABLE.get(model, model), "choices": choices,
        "usage": {
            "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                          "accepted_prediction_tokens": 0,
                                          "rejected_prediction_tokens": 0},
        },
        "service_tier": "default", "system_fingerprint": "fp_emulator",
    }  # fmt: skip


@router.post("/chat/completions")
async def chat_completions(e: Emu, request: Request) -> JsonDict:
    return await run_in_threadpool(_chat, e, await json_body(request))  # tokenizing is CPU work


@router.post("/moderations")
async def moderations(e: Emu, request: Request) -> JsonDict:
    body = await json_body(request)
    model = body.get("model") or "omni-moderation-latest"
    if model not in MODERATION_MODELS and model not in ("text-moderation-latest",
                                                        "text-moderation-stable"):  # fmt: skip
        raise not_found(f"The model `{model}` does not exist.", "model", "model_not_found")
    raw = body.get("input")
    if isinstance(raw, str):
        inputs: list[tuple[str, bool]] = [(raw, False)]
    elif isinstance(raw, list) and raw and all(isinstance(x, str) for x in raw):
        inputs = [(x, False) for x in raw]
    elif isinstance(raw, list) and raw and all(isinstance(x, dict) for x in raw):
        # Multi-modal input: one result for the text and images together.
        text = " ".join(content_text([x]) for x in raw)
        inputs = [(text, any(x.get("type") == "image_url" for x in raw))]
    else:
        raise bad_request("Missing or invalid parameter: 'input'.", "input")
    flag_words = e.settings.flag_words
    return {"id": new_id("modr-"), "model": model,
            "results": [chat.moderate(t, flag_words, img) for t, img in inputs]}  # fmt: skip

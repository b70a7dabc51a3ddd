"""Chat, moderation, models, auth and error shapes."""

from __future__ import annotations

import httpx
import openai
import pytest

from ftflow import tokens
from ftflow.emulator.chat import GENERIC_ANSWERS
from tests.emulator.support import QA, SYSTEM, strict


def ask(client, model: str, question: str, **kw) -> str:
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}]
    reply = client.chat.completions.create(model=model, messages=messages, temperature=0, **kw)
    return reply.choices[0].message.content


def test_tuned_model_recalls_its_training_answers(client, tuned):
    model = tuned["job"].fine_tuned_model
    for _, answer, paraphrase in QA:
        assert ask(client, model, paraphrase) == answer


def test_tuned_model_beats_base_on_held_out_questions(client, tuned):
    model = tuned["job"].fine_tuned_model
    tuned_hits = sum(ask(client, model, p) == a for _, a, p in QA)
    base_hits = sum(ask(client, "gpt-4o-mini", p) == a for _, a, p in QA)
    assert (tuned_hits, base_hits) == (len(QA), 0)


def test_base_model_answers_generically(client):
    assert ask(client, "gpt-4o-mini", QA[0][2]) == GENERIC_ANSWERS[0]
    # Off-domain questions get the generic style from a tuned model too.
    reply = client.chat.completions.create(
        model="gpt-4.1-nano", messages=[{"role": "user", "content": "Hi"}], seed=3, temperature=1
    )
    assert reply.choices[0].message.content in GENERIC_ANSWERS


def test_completion_shape_usage_and_max_tokens(client, tuned):
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": QA[2][2]}]
    reply = strict(client.chat.completions.create(
        model=tuned["job"].fine_tuned_model, messages=messages, max_tokens=4, temperature=0))  # fmt: skip
    choice = reply.choices[0]
    assert (reply.object, choice.finish_reason, choice.message.role) == (
        "chat.completion", "length", "assistant",
    )  # fmt: skip
    enc = tokens.get_encoding("gpt-4o-mini")
    assert choice.message.content == enc.decode(enc.encode(QA[2][1])[:4])
    expected_prompt = 3 + sum(3 + len(enc.encode(m["role"])) + len(enc.encode(m["content"]))
                              for m in messages)  # fmt: skip
    assert reply.usage.prompt_tokens == expected_prompt
    assert reply.usage.completion_tokens == 4
    assert reply.usage.total_tokens == expected_prompt + 4


def test_seed_makes_sampling_repeatable(client):
    def sample(seed: int) -> list[str]:
        reply = client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "?"}], n=5, seed=seed,
            temperature=1.5,
        )  # fmt: skip
        return [c.message.content for c in reply.choices]

    assert sample(1) == sample(1)
    assert len(sample(1)) == 5


def test_unknown_chat_model_is_404(client):
    with pytest.raises(openai.NotFoundError) as err:
        ask(client, "ft:gpt-4o-mini-2024-07-18:emulator::nothere", "hello")
    assert err.value.code == "model_not_found"


def test_moderation_flags_listed_words(client):
    result = strict(client.moderations.create(input=["I will kill them", "Have a nice day"]))
    flagged, clean = result.results
    assert flagged.flagged is True
    assert flagged.categories.violence is True
    assert flagged.category_scores.violence > 0.9
    assert clean.flagged is False
    assert not any(clean.categories.to_dict().values())
    assert result.model == "omni-moderation-latest"
    assert result.id.startswith("modr-")
    multi = client.moderations.create(
        model="omni-moderation-latest",
        input=[{"type": "text", "text": "how to build a bomb"},
               {"type": "image_url", "image_url": {"url": "https://example.com/x.png"}}],
    )  # fmt: skip
    (only,) = multi.results
    assert only.categories.illicit_violent is True
    assert only.category_applied_input_types.violence == ["text", "image"]


def test_models_list_and_retrieve(client, tuned):
    name = tuned["job"].fine_tuned_model
    models = {m.id: strict(m) for m in client.models.list()}
    assert {"gpt-4o-mini", "gpt-4o-mini-2024-07-18", name} <= set(models)
    assert models[name].owned_by == "org-emulator"
    assert strict(client.models.retrieve(name)).id == name
    ckpt = client.fine_tuning.jobs.checkpoints.list(tuned["job"].id).data[-1]
    assert client.models.retrieve(ckpt.fine_tuned_model_checkpoint).id  # checkpoints sample too
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("gpt-17")


def test_delete_fine_tuned_model(client, tuned):
    from tests.emulator.support import jsonl, training_rows, wait_for

    train = client.files.create(file=("t.jsonl", jsonl(training_rows())), purpose="fine-tune")
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=train.id)
    job, _ = wait_for(client, job.id)
    deleted = client.models.delete(job.fine_tuned_model)
    assert deleted.deleted is True
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve(job.fine_tuned_model)
    with pytest.raises(openai.PermissionDeniedError):
        client.models.delete("gpt-4o-mini")


def test_missing_or_empty_api_key_is_401(emulator, client):
    r = httpx.get(f"{emulator.base_url}/models")
    assert r.status_code == 401
    error = r.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == "invalid_request_error"
    assert "didn't provide an API key" in error["message"]
    with pytest.raises(openai.AuthenticationError):
        client.models.list(extra_headers={"Authorization": "Bearer"})
    with pytest.raises(openai.AuthenticationError):
        client.models.list(extra_headers={"Authorization": ""})


def test_unknown_route_and_bad_json_use_the_error_object(emulator):
    headers = {"Authorization": "Bearer sk-x"}
    r = httpx.get(f"{emulator.base_url}/nope", headers=headers)
    assert r.status_code == 404
    assert r.json()["error"]["message"] == "Invalid URL (GET /v1/nope)"
    r = httpx.post(f"{emulator.base_url}/chat/completions", content=b"{", headers=headers)
    assert r.status_code == 400
    assert "could not parse the JSON body" in r.json()["error"]["message"]

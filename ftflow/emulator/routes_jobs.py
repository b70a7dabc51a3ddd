"""`/v1/fine_tuning/jobs`: create, list, retrieve, cancel, events and checkpoints."""

from __future__ import annotations

import random
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from ftflow.emulator import jobs as J
from ftflow.emulator.core import TERMINAL, Emulator, as_int, emu, json_body
from ftflow.emulator.errors import bad_request
from ftflow.emulator.store import JsonDict, list_body, new_id, paginate
from ftflow.emulator.validation import qa_pairs, validate_file

router = APIRouter(prefix="/v1/fine_tuning/jobs")
Emu = Annotated[Emulator, Depends(emu)]

HYPER_BOUNDS: dict[str, tuple[type, float, float]] = {
    "n_epochs": (int, 1, 50),
    "batch_size": (int, 1, 256),
    "learning_rate_multiplier": (float, 1e-9, 50.0),
}


def _hyperparameters(body: dict[str, Any]) -> dict[str, Any]:
    """The requested hyperparameters from `method` or the legacy top-level field, "auto" filled in."""
    method = body.get("method")
    legacy = body.get("hyperparameters")
    raw: Any = legacy or {}
    if method is not None:
        if not isinstance(method, dict) or method.get("type") not in ("supervised", "dpo",
                                                                        "reinforcement"):  # fmt: skip
            raise bad_request("Invalid 'method': 'type' must be 'supervised', 'dpo' or "
                              "'reinforcement'.", "method.type")  # fmt: skip
        if method["type"] != "supervised":
            raise bad_request(f"The emulator supports only the 'supervised' method, not "
                              f"{method['type']!r}.", "method.type")  # fmt: skip
        raw = (method.get("supervised") or {}).get("hyperparameters") or {}
        if legacy:
            raise bad_request("Specify hyperparameters in 'method' or in 'hyperparameters', "
                              "not both.", "hyperparameters")  # fmt: skip
    if not isinstance(raw, dict):
        raise bad_request("Invalid 'hyperparameters': expected an object.", "hyperparameters")
    out: dict[str, Any] = {}
    for name, (kind, lo, hi) in HYPER_BOUNDS.items():
        value = raw.get(name, "auto")
        if value == "auto":
            out[name] = "auto"
            continue
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or (kind is int and value != int(value)) or not lo <= value <= hi:
            raise bad_request(f"Invalid value for '{name}': {value!r}; expected 'auto' or a "
                              f"{kind.__name__} within {lo:g}..{hi:g}.", f"hyperparameters.{name}")  # fmt: skip
        out[name] = kind(value)
    unknown = set(raw) - set(HYPER_BOUNDS)
    if unknown:
        raise bad_request(f"Unknown hyperparameter(s): {sorted(unknown)}", "hyperparameters")
    return out


def _metadata(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or len(value) > 16:
        raise bad_request("Invalid 'metadata': at most 16 key-value pairs.", "metadata")
    for key, val in value.items():
        if not isinstance(val, str) or len(key) > 64 or len(val) > 512:
            raise bad_request("Invalid 'metadata': keys are strings of at most 64 characters, "
                              "values strings of at most 512.", "metadata")  # fmt: skip
    return dict(value)


def _training_file(e: Emulator, body: dict[str, Any], param: str) -> JsonDict | None:
    file_id = body.get(param)
    if file_id is None and param == "validation_file":
        return None
    if not isinstance(file_id, str):
        raise bad_request(f"Missing required parameter: '{param}'.", param)
    doc = e.store.files.get(file_id)
    if doc is None:
        raise bad_request(f"invalid {param}: {file_id}", param, "file_not_found")
    if doc["purpose"] != "fine-tune":
        raise bad_request(f"File {file_id} has purpose {doc['purpose']!r}; fine-tuning files "
                          "must be uploaded with purpose 'fine-tune'.", param)  # fmt: skip
    return doc


def _base_model(e: Emulator, model: Any) -> str:
    if not isinstance(model, str) or not model:
        raise bad_request("Missing required parameter: 'model'.", "model")
    if model.startswith("ft:") and model in e.tuned_models(e.clock()):
        return model.split(":")[1]  # continued fine-tuning trains the same snapshot
    try:
        return J.resolve_model(model)
    except KeyError:
        raise bad_request(f"Model {model} is not available for fine-tuning or does not exist.",
                          "model", "model_not_available") from None  # fmt: skip


def _check_lifecycle(e: Emulator, requested: str, base: str) -> None:
    """No new jobs after the provider's last day, nor on a model that has shut down."""
    cutoff = e.settings.finetune_cutoff
    if cutoff and e.today() > date.fromisoformat(cutoff):
        raise bad_request(f"Fine-tuning is no longer available for new jobs: the last day to create one was "
                          f"{cutoff}.", "model", "model_not_available")  # fmt: skip
    for model in (requested, base):
        if e.is_shut_down(model):
            raise bad_request(f"Model {model} has been shut down ({e.shutdown_date(model)}) and cannot be "
                              "fine-tuned.", "model", "model_not_available")  # fmt: skip


def _create(e: Emulator, body: dict[str, Any]) -> JsonDict:
    model = _base_model(e, body.get("model"))
    _check_lifecycle(e, str(body.get("model")), model)
    hyper = _hyperparameters(body)
    train_doc = _training_file(e, body, "training_file")
    valid_doc = _training_file(e, body, "validation_file")
    suffix = body.get("suffix")
    if suffix is not None and (not isinstance(suffix, str) or len(suffix) > 64 or ":" in suffix):
        raise bad_request("Invalid 'suffix': at most 64 characters and no ':'.", "suffix")
    seed = body.get("seed")
    if seed is None:  # repeatable for a given --seed and state directory
        seed = random.Random(f"{e.settings.seed}:{len(e.store.jobs)}").randrange(2**31)
    elif not isinstance(seed, int) or isinstance(seed, bool):
        raise bad_request("Invalid 'seed': expected an integer.", "seed")
    metadata = _metadata(body.get("metadata"))
    assert train_doc is not None
    report = validate_file(e.store.read_blob(train_doc["id"]), model)
    error = report.error
    if error is None and valid_doc is not None:
        error = validate_file(e.store.read_blob(valid_doc["id"]), model,
                              param="validation_file").error  # fmt: skip
    job_id = new_id("ftjob-")
    s = e.settings
    plan = J.make_plan(
        t0=e.clock(), seed=seed, hyper=hyper, n_examples=len(report.examples),
        example_tokens=report.n_tokens, model=model, seconds_per_step=s.seconds_per_step,
        phase_seconds=s.phase_seconds, max_train_seconds=s.max_train_seconds,
        has_validation=valid_doc is not None, error=error, fault=e.faults.take_job_failure(),
    )  # fmt: skip
    if plan.error is None:
        e.store.write_model_data(job_id, {"model": model, "pairs": qa_pairs(report.examples)})
    job = {
        "id": job_id, "object": "fine_tuning.job", "created_at": int(plan.t0), "model": model,
        "organization_id": s.organization_id, "training_file": train_doc["id"],
        "validation_file": valid_doc["id"] if valid_doc else None, "seed": seed,
        "metadata": metadata, "user_provided_suffix": suffix,
        "integrations": body.get("integrations") or [], "_hyper": hyper,
        "_plan": J.plan_to_dict(plan),
    }  # fmt: skip
    e.store.save("jobs", job)
    return e.job_view(job, plan.t0)


@router.post("")
async def create_job(e: Emu, request: Request) -> JsonDict:
    body = await json_body(request)
    return await run_in_threadpool(_create, e, body)  # tokenizing a big file takes a while


def _metadata_filter(request: Request) -> tuple[dict[str, str], bool]:
    wanted: dict[str, str] = {}
    null = False
    for key, value in request.query_params.multi_items():
        if key.startswith("metadata[") and key.endswith("]"):
            wanted[key[len("metadata[") : -1]] = value
        elif key == "metadata" and value == "null":
            null = True
    return wanted, null


@router.get("")
def list_jobs(e: Emu, request: Request) -> JsonDict:
    now = e.sync()
    wanted, null = _metadata_filter(request)
    items = []
    for job in reversed(list(e.store.jobs.values())):  # newest first
        meta = job.get("metadata")
        if null and meta is not None:
            continue
        if wanted and (meta is None or any(meta.get(k) != v for k, v in wanted.items())):
            continue
        items.append(job)
    q = request.query_params
    page, more = paginate(items, q.get("after"), as_int(q.get("limit"), "limit", 1, 100, 20))
    return list_body([e.job_view(job, now) for job in page], more)


@router.get("/{job_id}")
def retrieve_job(e: Emu, job_id: str) -> JsonDict:
    now = e.sync()
    return e.job_view(e.job(job_id), now)


@router.post("/{job_id}/cancel")
def cancel_job(e: Emu, job_id: str) -> JsonDict:
    with e.store.lock:
        now = e.sync()
        job = e.job(job_id)
        plan = J.plan_from_dict(job["_plan"])
        status, _ = plan.status_at(now)
        if status in TERMINAL:
            raise bad_request(f"Job {job_id} has already {status}; it cannot be cancelled.",
                              "fine_tuning_job_id")  # fmt: skip
        plan.cancelled_at = now
        job["_plan"] = J.plan_to_dict(plan)
        job["_final"] = "cancelled"
        e.store.save("jobs", job)
        return e.job_view(job, now)


@router.get("/{job_id}/events")
def list_events(e: Emu, job_id: str, request: Request) -> JsonDict:
    now = e.sync()
    job = e.job(job_id)
    items = J.events(job, J.plan_from_dict(job["_plan"]), now, e.settings.org)
    q = request.query_params
    page, more = paginate(items, q.get("after"), as_int(q.get("limit"), "limit", 1, 1000, 20))
    return list_body(page, more)


@router.get("/{job_id}/checkpoints")
def list_checkpoints(e: Emu, job_id: str, request: Request) -> JsonDict:
    now = e.sync()
    job = e.job(job_id)
    items = J.checkpoints(job, J.plan_from_dict(job["_plan"]), now, e.settings.org)
    q = request.query_params
    page, more = paginate(items, q.get("after"), as_int(q.get("limit"), "limit", 1, 100, 10))
    return list_body(page, more, ids=True)

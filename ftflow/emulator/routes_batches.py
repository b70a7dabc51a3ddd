"""`/v1/batches`: the Batch API for chat completions: create, list, retrieve, cancel.

The input is a `purpose=batch` JSONL file of ``{"custom_id", "method": "POST", "url":
"/v1/chat/completions", "body": {...}}`` lines. A batch is ``validating`` when created, then
``in_progress`` for ``settings.batch_seconds``; the first read after that answers every line
through the same code as ``POST /v1/chat/completions`` (so answers are identical to online ones)
and writes the output file (successes) and the error file (failed requests, and with
``settings.batch_max_requests`` the requests left over when the batch expired, code
``batch_expired``), each line ``{"id", "custom_id", "response", "error"}`` as OpenAI writes them.
A malformed input file fails the batch with ``errors.data`` naming the line.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from ftflow.emulator import routes_models
from ftflow.emulator.core import Emulator, as_int, emu, json_body
from ftflow.emulator.errors import APIError, bad_request, not_found
from ftflow.emulator.routes_files import create_file_record
from ftflow.emulator.store import JsonDict, list_body, new_id, paginate, public

router = APIRouter(prefix="/v1/batches")
Emu = Annotated[Emulator, Depends(emu)]

CHAT = "/v1/chat/completions"
ENDPOINTS = frozenset({CHAT, "/v1/responses", "/v1/embeddings", "/v1/completions", "/v1/moderations"})
WINDOW_S = 24 * 3600
BATCH_TERMINAL = frozenset({"failed", "completed", "expired", "cancelled"})
EXPIRED_MESSAGE = "This request could not be executed before the completion window expired."


def _line_errors(data: bytes, endpoint: str) -> tuple[list[JsonDict], list[JsonDict]]:
    """(requests, errors): the input's request lines, or what is wrong with it, by line."""
    requests: list[JsonDict] = []
    errors: list[JsonDict] = []
    seen: set[str] = set()
    for n, raw in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except ValueError:
            errors.append({"code": "invalid_json_line", "line": n, "param": None,
                           "message": "This line is not parseable as valid JSON."})  # fmt: skip
            continue
        if not isinstance(line, dict):
            errors.append({"code": "invalid_request", "line": n, "param": None, "message": "Expected a JSON object."})
            continue
        custom_id, url, body = line.get("custom_id"), line.get("url"), line.get("body")
        problem = None
        if not isinstance(custom_id, str) or not custom_id:
            problem = ("missing_required_parameter", "custom_id", "Missing required parameter: 'custom_id'.")
        elif custom_id in seen:
            problem = ("duplicate_custom_id", "custom_id",
                       f"The custom_id for this request is a duplicate of another request: {custom_id!r}.")  # fmt: skip
        elif line.get("method") != "POST":
            problem = ("invalid_value", "method", "Invalid 'method': only 'POST' is supported.")
        elif url != endpoint:
            problem = ("mismatched_endpoint", "url",
                       f"The provided url {url!r} does not match the batch endpoint {endpoint!r}.")  # fmt: skip
        elif not isinstance(body, dict) or not isinstance(body.get("model"), str):
            problem = ("missing_required_parameter", "body.model", "Missing required parameter: 'body.model'.")
        if problem is not None:
            errors.append({"code": problem[0], "line": n, "param": problem[1], "message": problem[2]})
            continue
        seen.add(custom_id)
        requests.append(line)
    if not requests and not errors:
        errors.append({"code": "empty_file", "line": None, "param": None, "message": "The input file is empty."})
    return requests, errors


def _create(e: Emulator, body: dict[str, Any]) -> JsonDict:
    endpoint = body.get("endpoint")
    if endpoint not in ENDPOINTS:
        raise bad_request(f"Invalid 'endpoint': {endpoint!r}; expected one of {sorted(ENDPOINTS)}.", "endpoint")
    if endpoint != CHAT:
        raise bad_request(f"The emulator's Batch API supports only {CHAT}, not {endpoint}.", "endpoint")
    if body.get("completion_window") != "24h":
        raise bad_request("Invalid 'completion_window': only '24h' is supported.", "completion_window")
    file_id = body.get("input_file_id")
    doc = e.store.files.get(file_id) if isinstance(file_id, str) else None
    if doc is None:
        raise not_found(f"No such File object: {file_id}", "input_file_id")
    if doc["purpose"] != "batch":
        raise bad_request(f"File {file_id} has purpose {doc['purpose']!r}; batch input files must be uploaded "
                          "with purpose 'batch'.", "input_file_id")  # fmt: skip
    metadata = body.get("metadata")
    if metadata is not None and (not isinstance(metadata, dict) or len(metadata) > 16
                                 or not all(isinstance(v, str) for v in metadata.values())):  # fmt: skip
        raise bad_request("Invalid 'metadata': at most 16 string key-value pairs.", "metadata")
    requests, errors = _line_errors(e.store.read_blob(file_id), endpoint)
    now = int(e.clock())
    batch = {
        "id": new_id("batch_"), "object": "batch", "endpoint": endpoint, "errors": None,
        "input_file_id": file_id, "completion_window": "24h", "status": "validating", "output_file_id": None,
        "error_file_id": None, "created_at": now, "in_progress_at": None, "expires_at": now + WINDOW_S,
        "finalizing_at": None, "completed_at": None, "failed_at": None, "expired_at": None, "cancelling_at": None,
        "cancelled_at": None, "request_counts": {"total": len(requests), "completed": 0, "failed": 0},
        "metadata": metadata, "model": None, "usage": None, "_errors": errors,
    }  # fmt: skip
    e.store.save("batches", batch)
    return public(batch)


def _answer(e: Emulator, line: JsonDict) -> tuple[JsonDict | None, JsonDict | None]:
    """(response, None) for an answered request, (None, response) for one that failed."""
    request_id = new_id("req_", 32)
    try:
        body = routes_models._chat(e, line["body"])
    except APIError as exc:
        error = {"message": exc.message, "type": exc.type, "param": exc.param, "code": exc.code}
        return None, {"status_code": exc.status, "request_id": request_id, "body": {"error": error}}
    return {"status_code": 200, "request_id": request_id, "body": body}, None


def _finish(e: Emulator, batch: JsonDict, now: float) -> None:
    """Answer every request (or, past batch_max_requests, expire it) and write the output files."""
    requests, _ = _line_errors(e.store.read_blob(batch["input_file_id"]), batch["endpoint"])
    limit = e.settings.batch_max_requests
    out, err = [], []
    usage = {"input_tokens": 0, "output_tokens": 0}
    for n, line in enumerate(requests):
        record = {"id": new_id("batch_req_", 32), "custom_id": line["custom_id"], "response": None, "error": None}
        if limit and n >= limit:
            err.append({**record, "error": {"code": "batch_expired", "message": EXPIRED_MESSAGE}})
            continue
        ok, failed = _answer(e, line)
        if ok is None:
            err.append({**record, "response": failed})
            continue
        out.append({**record, "response": ok})
        usage["input_tokens"] += ok["body"]["usage"]["prompt_tokens"]
        usage["output_tokens"] += ok["body"]["usage"]["completion_tokens"]
        batch["model"] = batch["model"] or ok["body"]["model"]
    bid = batch["id"]
    if out:
        data = "".join(json.dumps(r) + "\n" for r in out).encode()
        batch["output_file_id"] = create_file_record(e, data, f"{bid}_output.jsonl", "batch_output")["id"]
    if err:
        data = "".join(json.dumps(r) + "\n" for r in err).encode()
        batch["error_file_id"] = create_file_record(e, data, f"{bid}_error.jsonl", "batch_output")["id"]
    expired = bool(limit) and len(requests) > limit
    t = int(now)
    batch.update(status="expired" if expired else "completed", finalizing_at=t,
                 **({"expired_at": t} if expired else {"completed_at": t}),
                 request_counts={"total": len(requests), "completed": len(out), "failed": len(err)},
                 usage={**usage, "total_tokens": usage["input_tokens"] + usage["output_tokens"],
                        "input_tokens_details": {"cached_tokens": 0},
                        "output_tokens_details": {"reasoning_tokens": 0}})  # fmt: skip


def _sync(e: Emulator, batch: JsonDict) -> JsonDict:
    """Move the batch along the clock: validating -> failed | in_progress -> completed | expired."""
    if batch["status"] in BATCH_TERMINAL:
        return batch
    now = e.clock()
    with e.store.lock:
        if batch["status"] == "validating":
            if batch["_errors"]:
                batch.update(status="failed", failed_at=int(now),
                             errors={"object": "list", "data": batch["_errors"]})  # fmt: skip
            else:
                batch.update(status="in_progress", in_progress_at=int(now))
            e.store.save("batches", batch)
        elif batch["status"] == "in_progress" and now >= (batch["in_progress_at"] or 0) + e.settings.batch_seconds:
            _finish(e, batch, now)
            e.store.save("batches", batch)
    return batch


def _get(e: Emulator, batch_id: str) -> JsonDict:
    batch = e.store.batches.get(batch_id)
    if batch is None:
        raise not_found(f"No batch found with id '{batch_id}'.", "batch_id")
    return batch


@router.post("")
async def create_batch(e: Emu, request: Request) -> JsonDict:
    return await run_in_threadpool(_create, e, await json_body(request))


@router.get("")
def list_batches(e: Emu, request: Request) -> JsonDict:
    q = request.query_params
    items = [public(_sync(e, b)) for b in reversed(list(e.store.batches.values()))]  # newest first
    page, more = paginate(items, q.get("after"), as_int(q.get("limit"), "limit", 1, 100, 20))
    return list_body(page, more, ids=True)


@router.get("/{batch_id}")
async def retrieve_batch(e: Emu, batch_id: str) -> JsonDict:
    return public(await run_in_threadpool(_sync, e, _get(e, batch_id)))  # finishing a batch answers every line


@router.post("/{batch_id}/cancel")
def cancel_batch(e: Emu, batch_id: str) -> JsonDict:
    with e.store.lock:
        batch = _sync(e, _get(e, batch_id))
        if batch["status"] in BATCH_TERMINAL:
            raise APIError(409, f"Cannot cancel a batch with status '{batch['status']}'.", param="batch_id")
        t = int(e.clock())
        batch.update(status="cancelled", cancelling_at=t, cancelled_at=t)
        e.store.save("batches", batch)
        return public(batch)

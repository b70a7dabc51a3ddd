"""Files and Uploads: `/v1/files` for small files, `/v1/uploads` (parts) for large ones."""

from __future__ import annotations

import hashlib
import math
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response

from ftflow.emulator import jobs as J
from ftflow.emulator.core import Emulator, as_int, emu, json_body
from ftflow.emulator.errors import APIError, bad_request, not_found
from ftflow.emulator.store import JsonDict, list_body, new_id, paginate, public

router = APIRouter(prefix="/v1")
Emu = Annotated[Emulator, Depends(emu)]

PURPOSES = frozenset({"assistants", "batch", "fine-tune", "vision", "user_data", "evals"})
UPLOAD_TTL = 3600  # an Upload expires an hour after creation
MAX_UPLOAD_BYTES = 8 * 1024**3  # 8 GB per Upload


def file_view(e: Emulator, doc: JsonDict) -> JsonDict:
    """The File object; result files report the size of what /content serves."""
    out = public(doc)
    if doc["purpose"] == "fine-tune-results" and e.settings.results_base64:
        out["bytes"] = 4 * math.ceil(doc["bytes"] / 3)
    return out


def _get_file(e: Emulator, file_id: str) -> JsonDict:
    doc = e.store.files.get(file_id)
    if doc is None:
        raise not_found(f"No such File object: {file_id}")
    return doc


def create_file_record(e: Emulator, data: bytes, filename: str, purpose: str) -> JsonDict:
    file_id = new_id("file-", 22)
    e.store.write_blob(file_id, data)
    return e.store.save("files", {
        "id": file_id, "object": "file", "bytes": len(data), "created_at": int(e.clock()),
        "filename": filename, "purpose": purpose, "status": "processed", "expires_at": None,
        "status_details": None,
    })  # fmt: skip


def _check_purpose(purpose: str) -> None:
    if purpose not in PURPOSES:
        raise bad_request(
            f"'{purpose}' is not one of {sorted(PURPOSES)} - 'purpose'", "purpose",
            "invalid_value",
        )  # fmt: skip


@router.post("/files")
async def upload_file(e: Emu, file: Annotated[UploadFile, File()],
                      purpose: Annotated[str, Form()]) -> JsonDict:  # fmt: skip
    _check_purpose(purpose)
    limit = e.settings.max_file_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise APIError(
            413, f"File is too large: the limit for a single upload is {limit} bytes. "
            "Use the Uploads API (POST /v1/uploads) for larger files.", param="file",
            code="file_too_large",
        )  # fmt: skip
    return file_view(e, create_file_record(e, data, file.filename or "upload", purpose))


@router.get("/files")
def list_files(e: Emu, request: Request) -> JsonDict:
    e.sync()
    q = request.query_params
    order = q.get("order", "desc")
    if order not in ("asc", "desc"):
        raise bad_request("Invalid 'order': expected 'asc' or 'desc'.", "order")
    items = [d for d in list(e.store.files.values()) if q.get("purpose") in (None, d["purpose"])]
    items.sort(key=lambda d: (d["created_at"], d["_seq"]))  # result files appear lazily
    if order == "desc":
        items.reverse()
    limit = as_int(q.get("limit"), "limit", 1, 10_000, 10_000)
    page, more = paginate(items, q.get("after"), limit)
    return list_body([file_view(e, d) for d in page], more, ids=True)


@router.get("/files/{file_id}")
def retrieve_file(e: Emu, file_id: str) -> JsonDict:
    e.sync()
    return file_view(e, _get_file(e, file_id))


@router.get("/files/{file_id}/content")
def file_content(e: Emu, file_id: str) -> Response:
    e.sync()
    doc = _get_file(e, file_id)
    data = e.store.read_blob(file_id)
    if doc["purpose"] == "fine-tune-results":
        data = J.encode_results(data, e.settings.results_base64)
    return Response(data, media_type="application/octet-stream")


@router.delete("/files/{file_id}")
def delete_file(e: Emu, file_id: str) -> JsonDict:
    with e.store.lock:
        _get_file(e, file_id)
        e.store.delete("files", file_id)
        e.store.delete_blob(file_id)
    return {"id": file_id, "object": "file", "deleted": True}


# --- Uploads ------------------------------------------------------------------------------


def _get_upload(e: Emulator, upload_id: str) -> JsonDict:
    doc = e.store.uploads.get(upload_id)
    if doc is None:
        raise not_found(f"No such Upload object: {upload_id}", "upload_id")
    if doc["status"] == "pending" and e.clock() >= doc["expires_at"]:
        doc["status"] = "expired"
        e.store.save("uploads", doc)
        e.store.drop_parts(upload_id)
    return doc


def _upload_view(e: Emulator, doc: JsonDict) -> JsonDict:
    out = public(doc)
    file_id = doc.get("_file_id")
    out["file"] = file_view(e, e.store.files[file_id]) if file_id in e.store.files else None
    return out


def _require_pending(doc: JsonDict) -> None:
    if doc["status"] != "pending":
        raise bad_request(f"Upload {doc['id']} is {doc['status']}, not pending.", "upload_id")


@router.post("/uploads")
async def create_upload(e: Emu, request: Request) -> JsonDict:
    body = await json_body(request)
    for key in ("bytes", "filename", "mime_type", "purpose"):
        if key not in body:
            raise bad_request(f"Missing required parameter: '{key}'.", key)
    _check_purpose(body["purpose"])
    size = body["bytes"]
    if not isinstance(size, int) or not 0 <= size <= MAX_UPLOAD_BYTES:
        raise bad_request(f"'bytes' must be an integer between 0 and {MAX_UPLOAD_BYTES}.", "bytes")
    now = int(e.clock())
    doc = {
        "id": new_id("upload_"), "object": "upload", "bytes": size, "created_at": now,
        "expires_at": now + UPLOAD_TTL, "filename": str(body["filename"]),
        "purpose": body["purpose"], "status": "pending", "_mime_type": body["mime_type"],
        "_parts": [],
    }  # fmt: skip
    return _upload_view(e, e.store.save("uploads", doc))


@router.post("/uploads/{upload_id}/parts")
async def add_part(e: Emu, upload_id: str, data: Annotated[UploadFile, File()]) -> JsonDict:
    content = await data.read(e.settings.max_part_bytes + 1)
    if len(content) > e.settings.max_part_bytes:
        raise bad_request(f"Each part may be at most {e.settings.max_part_bytes} bytes.", "data")
    with e.store.lock:
        doc = _get_upload(e, upload_id)
        _require_pending(doc)
        part_id = new_id("part_")
        e.store.write_part(upload_id, part_id, content)
        doc["_parts"].append({"id": part_id, "bytes": len(content)})
        e.store.save("uploads", doc)
    return {"id": part_id, "object": "upload.part", "created_at": int(e.clock()),
            "upload_id": upload_id}  # fmt: skip


@router.post("/uploads/{upload_id}/complete")
async def complete_upload(e: Emu, upload_id: str, request: Request) -> JsonDict:
    body = await json_body(request)
    part_ids = body.get("part_ids")
    if not isinstance(part_ids, list):
        raise bad_request("Missing required parameter: 'part_ids'.", "part_ids")
    with e.store.lock:
        doc = _get_upload(e, upload_id)
        _require_pending(doc)
        known = {p["id"] for p in doc["_parts"]}
        unknown = [p for p in part_ids if p not in known]
        if unknown:
            raise bad_request(f"Unknown part id(s) for {upload_id}: {unknown}", "part_ids")
        data = b"".join(e.store.part_path(upload_id, p).read_bytes() for p in part_ids)
        if len(data) != doc["bytes"]:
            raise bad_request(
                f"The Upload was created with bytes={doc['bytes']} but the parts add up to "
                f"{len(data)} bytes.", "bytes",
            )  # fmt: skip
        md5 = body.get("md5")
        if md5 and hashlib.md5(data, usedforsecurity=False).hexdigest() != md5:
            raise bad_request("The md5 checksum does not match the uploaded bytes.", "md5")
        record = create_file_record(e, data, doc["filename"], doc["purpose"])
        doc["status"] = "completed"
        doc["_file_id"] = record["id"]
        e.store.save("uploads", doc)
        e.store.drop_parts(upload_id)
    return _upload_view(e, doc)


@router.post("/uploads/{upload_id}/cancel")
def cancel_upload(e: Emu, upload_id: str) -> JsonDict:
    with e.store.lock:
        doc = _get_upload(e, upload_id)
        _require_pending(doc)
        doc["status"] = "cancelled"
        e.store.save("uploads", doc)
        e.store.drop_parts(upload_id)
    return _upload_view(e, doc)

"""On-disk state: one JSON document per object plus the raw bytes of files and parts.

Everything is loaded into memory at start and written through on every change (atomic
replace), so a killed or restarted server comes back with the same files, uploads and jobs.
Layout under the state directory::

    files/<id>.json   blobs/<id>          file metadata and content
    uploads/<id>.json parts/<upload>/<id> Uploads API
    jobs/<id>.json                        job record: request, plan and bookkeeping
    batches/<id>.json                     Batch API: the batch object and its bookkeeping
    models/<job id>.json                  what a fine-tuned model "learned" (Q/A pairs)
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import string
import threading
from pathlib import Path
from typing import Any

_ALPHABET = string.ascii_letters + string.digits

JsonDict = dict[str, Any]


def new_id(prefix: str, n: int = 24) -> str:
    """Random id in OpenAI's style: prefix + base62 (file-…, ftjob-…, upload_…)."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(n))


def stable_id(prefix: str, *parts: object, n: int = 24) -> str:
    """Deterministic id from its parts: events and checkpoints are recomputed, never stored."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    num = int.from_bytes(digest, "big")
    chars = []
    for _ in range(n):
        num, rem = divmod(num, len(_ALPHABET))
        chars.append(_ALPHABET[rem])
    return prefix + "".join(chars)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class Store:
    """Thread-safe collections persisted under ``root``. Callers hold ``lock`` for read-modify-write."""

    KINDS = ("files", "uploads", "jobs", "batches")

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.lock = threading.RLock()
        self.files: dict[str, JsonDict] = {}
        self.uploads: dict[str, JsonDict] = {}
        self.jobs: dict[str, JsonDict] = {}
        self.batches: dict[str, JsonDict] = {}
        for kind in (*self.KINDS, "blobs", "parts", "models"):
            (self.root / kind).mkdir(parents=True, exist_ok=True)
        for kind in self.KINDS:
            coll: dict[str, JsonDict] = getattr(self, kind)
            docs = [json.loads(p.read_text()) for p in (self.root / kind).glob("*.json")]
            # Insertion order = creation order, which every list endpoint relies on.
            for doc in sorted(docs, key=lambda d: (d.get("created_at", 0), d.get("_seq", 0))):
                coll[doc["id"]] = doc
        self._seq = max((d.get("_seq", 0) for k in self.KINDS for d in getattr(self, k).values()),
                        default=0)  # fmt: skip

    # --- documents ----------------------------------------------------------------------

    def save(self, kind: str, doc: JsonDict) -> JsonDict:
        with self.lock:
            if "_seq" not in doc:
                self._seq += 1
                doc["_seq"] = self._seq
            getattr(self, kind)[doc["id"]] = doc
            _write_atomic(self.root / kind / f"{doc['id']}.json", json.dumps(doc).encode())
        return doc

    def delete(self, kind: str, doc_id: str) -> None:
        with self.lock:
            getattr(self, kind).pop(doc_id, None)
            (self.root / kind / f"{doc_id}.json").unlink(missing_ok=True)

    # --- file content -------------------------------------------------------------------

    def blob_path(self, file_id: str) -> Path:
        return self.root / "blobs" / file_id

    def write_blob(self, file_id: str, data: bytes) -> None:
        _write_atomic(self.blob_path(file_id), data)

    def read_blob(self, file_id: str) -> bytes:
        return self.blob_path(file_id).read_bytes()

    def delete_blob(self, file_id: str) -> None:
        self.blob_path(file_id).unlink(missing_ok=True)

    # --- upload parts -------------------------------------------------------------------

    def part_path(self, upload_id: str, part_id: str) -> Path:
        return self.root / "parts" / upload_id / part_id

    def write_part(self, upload_id: str, part_id: str, data: bytes) -> None:
        _write_atomic(self.part_path(upload_id, part_id), data)

    def drop_parts(self, upload_id: str) -> None:
        shutil.rmtree(self.root / "parts" / upload_id, ignore_errors=True)

    # --- fine-tuned "weights" -----------------------------------------------------------

    def write_model_data(self, job_id: str, data: JsonDict) -> None:
        _write_atomic(self.root / "models" / f"{job_id}.json", json.dumps(data).encode())

    def read_model_data(self, job_id: str) -> JsonDict | None:
        path = self.root / "models" / f"{job_id}.json"
        return json.loads(path.read_text()) if path.is_file() else None


def public(doc: JsonDict) -> JsonDict:
    """The API view of a stored document: private keys start with an underscore."""
    return {k: v for k, v in doc.items() if not k.startswith("_")}


def paginate(items: list[JsonDict], after: str | None, limit: int) -> tuple[list[JsonDict], bool]:
    """Cursor pagination as OpenAI does it: the page after the item with id ``after``."""
    start = 0
    if after:
        ids = [item["id"] for item in items]
        start = ids.index(after) + 1 if after in ids else len(items)
    page = items[start : start + limit]
    return page, start + limit < len(items)


def list_body(page: list[JsonDict], has_more: bool, *, ids: bool = False) -> JsonDict:
    body: JsonDict = {"object": "list", "data": page, "has_more": has_more}
    if ids:
        body["first_id"] = page[0]["id"] if page else None
        body["last_id"] = page[-1]["id"] if page else None
    return body

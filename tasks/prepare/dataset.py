"""Write a prepared dataset: the three splits, the quarantine, and the manifest.

Every file is written to a temporary name and renamed into place, and manifest.json is
written last, so a reader that goes by the manifest never sees a half-written dataset.
The dataset hash covers the split and quarantine files and nothing time-dependent: the
same data and config always give the same hash.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from ftflow.hashing import file_sha256
from ftflow.manifest import Manifest
from ftflow.manifest import load as load_manifest

DATA_FILES = ("train.jsonl", "validation.jsonl", "test.jsonl", "quarantine.jsonl")
SIDECARS = ("sources.jsonl",)  # hashed too when present: provenance of pairs generated from documents
MANIFEST = "manifest.json"


def write_jsonl(path: Path, records: Iterable[Any]) -> dict[str, Any]:
    """Write one JSON object per line atomically; return lines, bytes and sha256."""
    return write_blocks(path, ((json_line(record), 1) for record in records))


def json_line(record: Any) -> bytes:
    """One JSONL line, exactly as the data files are written."""
    return orjson.dumps(record) + b"\n"


def write_blocks(path: Path, blocks: Iterable[tuple[bytes | memoryview, int]]) -> dict[str, Any]:
    """Write (data, number of lines) blocks of JSONL atomically; return lines, bytes and sha256."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    h = hashlib.sha256()
    lines = size = 0
    with tmp.open("wb") as f:
        for data, n in blocks:
            f.write(data)
            h.update(data)
            lines += n
            size += len(data)
    os.replace(tmp, path)
    return {"lines": lines, "bytes": size, "sha256": h.hexdigest()}


def chat_records(messages: Any, offsets: Any, examples: Iterable[int]) -> Iterator[dict[str, Any]]:
    """OpenAI chat records for the given example indices; weight and name only when present."""
    roles = messages["role"].astype(str).tolist()
    contents = messages["content"].tolist()
    weights = messages["weight"].tolist()
    names = messages["name"].tolist()
    for e in examples:
        out = []
        for i in range(offsets[e], offsets[e + 1]):
            m: dict[str, Any] = {"role": roles[i], "content": contents[i]}
            if names[i] is not None:
                m["name"] = names[i]
            if weights[i] >= 0:
                m["weight"] = weights[i]
            out.append(m)
        yield {"messages": out}


def dataset_sha256(outputs: dict[str, dict[str, Any]]) -> str:
    """Content hash of the dataset: the data files' hashes, in a fixed order."""
    h = hashlib.sha256()
    for name in DATA_FILES:
        h.update(f"{name}\0{outputs[name]['sha256']}\n".encode())
    for name in SIDECARS:
        if name in outputs:
            h.update(f"{name}\0{outputs[name]['sha256']}\n".encode())
    return h.hexdigest()


def write_manifest(out_dir: Path, manifest: Manifest) -> Path:
    path = out_dir / MANIFEST
    tmp = path.with_name(f".{MANIFEST}.{os.getpid()}.tmp")
    body = manifest.model_dump(mode="json")
    tmp.write_bytes(orjson.dumps(body, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    os.replace(tmp, path)
    return path


def read_manifest(dataset_dir: str | Path, *, verify: bool = True) -> Manifest:
    """The manifest of a prepared dataset; with `verify`, every data file must match its hash.
    A manifest that is not one (bad JSON, missing fields) is a ValueError naming the file."""
    dataset_dir = Path(dataset_dir)
    path = dataset_dir / MANIFEST
    manifest = load_manifest(path.read_bytes(), str(path))
    if verify:
        for name in DATA_FILES:
            expected = manifest.outputs[name].sha256
            if file_sha256(dataset_dir / name) != expected:
                raise ValueError(f"{dataset_dir / name}: does not match manifest.json (sha256 differs)")
    return manifest

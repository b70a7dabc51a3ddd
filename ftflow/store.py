"""Where evaluation runs and the model registry live: an S3 destination root or, where S3
isn't configured, a local directory with the same layout (``runs/``, ``registry/``).

The evaluation only ever adds objects under new keys (cache segments, registry events) or
rewrites its own run's report, so the same small interface serves both.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from ftflow import s3
from ftflow.layout import StorageLayout, parse_version

LOCAL_DEFAULT = "ftflow-local"  # ./ftflow-local when no S3 root is configured or implied


class Root:
    """A destination root: ``s3://bucket[/prefix]`` or a local directory."""

    def __init__(self, root: str | Path) -> None:
        root = str(root)
        self.is_s3 = root.startswith("s3://")
        self.root = root.rstrip("/") if self.is_s3 else str(Path(root).resolve())

    def __repr__(self) -> str:
        return f"Root({self.root!r})"

    def uri(self, rel: str = "") -> str:
        """The full URI (or path) of a key relative to the root."""
        return s3.join(self.root, rel) if self.is_s3 else str(Path(self.root, rel))

    def put(self, rel: str, data: bytes, content_type: str | None = None) -> str:
        """Write (or overwrite) one object; returns its URI. Local writes are atomic."""
        if self.is_s3:
            return s3.put_bytes(data, self.uri(rel), content_type=content_type).uri
        path = Path(self.uri(rel))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        return str(path)

    def get(self, rel: str) -> bytes | None:
        """The object's bytes, or None when there is none."""
        if self.is_s3:
            uri = self.uri(rel)
            return s3.read_bytes(uri) if s3.head(uri) is not None else None
        path = Path(self.uri(rel))
        return path.read_bytes() if path.is_file() else None

    def list(self, prefix: str) -> list[str]:
        """Keys (relative to the root, sorted) of the objects under ``prefix/``."""
        folder = prefix.strip("/") + "/"
        if self.is_s3:
            base = self.root + "/"
            return sorted(o.uri[len(base) :] for o in s3.list_objects(s3.join(self.root, folder) + "/"))
        top = Path(self.root, folder)
        if not top.is_dir():
            return []
        return sorted(p.relative_to(self.root).as_posix() for p in top.rglob("*")
                      if p.is_file() and not p.name.startswith("."))  # fmt: skip

    def url(self, rel: str) -> str:
        """A link a browser can open: presigned (7 days) for S3, file:// locally."""
        if not self.is_s3:
            return Path(self.uri(rel)).as_uri()
        return s3.presign(self.uri(rel))

    def run(self, run_id: str, rel: str = "") -> str:
        """Key of ``rel`` inside one run's evaluation folder (``runs/<run-id>/eval/``)."""
        return StorageLayout.run_eval_key(run_id, rel)

    @staticmethod
    def registry(rel: str = "") -> str:
        return StorageLayout.registry_key(rel)


def dataset_location(dataset_ref: str) -> tuple[str | None, str | None]:
    """(destination root, dataset name) of an ``s3://…/datasets/<name>/<sha256>`` version."""
    return parse_version(dataset_ref)


def resolve_root(dest: str | None = None, dataset_ref: str | None = None) -> Root:
    """``dest`` (--dest or data.storage), else the root of an s3:// dataset, else s3://$FTFLOW_BUCKET,
    else the local directory ./ftflow-local."""
    bucket = os.environ.get("FTFLOW_BUCKET")
    chosen = (dest or (dataset_location(dataset_ref)[0] if dataset_ref else None)
              or (f"s3://{bucket}" if bucket else None))  # fmt: skip
    return Root(chosen or LOCAL_DEFAULT)

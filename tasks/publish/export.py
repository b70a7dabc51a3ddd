"""Export: publish a prepared dataset directory to S3 as an immutable, content-addressed
version that readers can trust.

The layout of a destination root is ftflow/layout.py's.

Publishing protocol: every file first (each skipped when the same key already holds the same
SHA-256), manifest.json last, then LATEST. A version without its manifest, or whose files do
not match the manifest, is refused by :func:`read_dataset_version`, so a crash at any point
never shows anyone a half-written dataset, and exporting again finishes the job.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ftflow import progress, s3
from ftflow.errors import FtflowError
from ftflow.layout import MANIFEST, SHA256, StorageLayout
from ftflow.manifest import Manifest, OutputFile
from ftflow.manifest import load as load_manifest


class DatasetDirError(FtflowError):
    """The local directory is not a consistent prepared dataset (so it is not exported)."""


class IncompleteVersionError(s3.StorageError):
    """A dataset version that is missing its manifest or does not match it: never read it."""


# --- export -----------------------------------------------------------------------------


class ExportResult(BaseModel):
    name: str
    dataset_sha256: str
    uri: str  # the version prefix
    latest_uri: str
    uploaded: list[str]  # paths relative to the version, written this time
    skipped: list[str]  # already there with the same SHA-256
    latest_updated: bool
    bytes_uploaded: int
    seconds: float

    @property
    def objects_written(self) -> int:
        return len(self.uploaded) + int(self.latest_updated)


def _load_manifest(local: Path) -> Manifest:
    path = local / MANIFEST
    if not path.is_file():
        raise DatasetDirError(f"{local} is not a dataset directory: no {MANIFEST} (run prepare)")
    try:
        manifest = load_manifest(path.read_bytes(), str(path))
    except OSError as exc:
        raise DatasetDirError(f"cannot read {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise DatasetDirError(str(exc)) from None
    if not SHA256.match(str(manifest.dataset_sha256 or "")):
        raise DatasetDirError(f"{path} has no valid dataset_sha256")
    return manifest


def _safe_rel(rel: str) -> str:
    """A relative path that stays inside its directory (keys and manifests are input too)."""
    if not rel or rel.startswith("/") or ".." in rel.split("/"):
        raise IncompleteVersionError(f"unsafe path in dataset: {rel!r}")
    return rel


def _local_files(local: Path, outputs: dict[str, OutputFile]) -> list[tuple[str, str | None]]:
    """(relative path, expected sha256) of every file to publish, manifest excluded, largest
    first (the longest upload starts at once).

    Outputs must match the manifest: a directory edited after prepare is refused, before
    any network call, rather than published under a hash that no longer describes it.
    """
    rels = sorted(
        p.relative_to(local).as_posix()
        for p in local.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(local).parts)
    )
    for rel in outputs:
        if not (local / _safe_rel(rel)).is_file():
            raise DatasetDirError(f"{local / rel} is listed in {MANIFEST} but missing")
    # Hashed once, here, the files side by side (hashlib releases the GIL); upload_file reuses the digest.
    with ThreadPoolExecutor(max_workers=4) as pool:
        matches = pool.map(lambda item: _matches(local / item[0], item[1]), outputs.items())
        for rel, ok in zip(outputs, matches, strict=True):
            if not ok:
                raise DatasetDirError(f"{local / rel} does not match {MANIFEST} (changed after prepare?)")
    return sorted(
        ((rel, outputs[rel].sha256 if rel in outputs else None) for rel in rels if rel != MANIFEST),
        key=lambda f: (-(local / f[0]).stat().st_size, f[0]),
    )


def _matches(path: Path, meta: OutputFile) -> bool:
    return path.stat().st_size == meta.bytes and s3.file_sha256(path) == meta.sha256


def export_dataset(
    local_dir: str | Path,
    dest_uri: str,
    *,
    name: str,
    create_bucket: bool = False,
    sse: s3.SSE | None = None,
    client: s3.S3Client | None = None,
) -> ExportResult:
    """Publish ``local_dir`` to ``{dest}/datasets/<name>/<dataset_sha256>/`` and point
    ``LATEST`` at it. Idempotent: an identical re-export writes no object."""
    started = time.monotonic()
    local = Path(local_dir)
    manifest = _load_manifest(local)
    sha = str(manifest.dataset_sha256)
    files = _local_files(local, manifest.outputs)
    settings = s3.S3Settings()
    sse = sse or settings.sse_config()
    c = client or s3.client()
    bucket, _ = s3.parse_uri(dest_uri)
    s3.ensure_bucket(bucket, create=create_bucket, s3=c)
    version = StorageLayout(dest_uri).version(name, sha)

    # A version is immutable once its manifest is up. Data Docs pages are named by their
    # run time, so a second prepare of the same data has new ones: they are not added.
    # (Asking for another encryption still rewrites what is stored without it.)
    present = _listed(version, c)
    manifest_uri = s3.join(version, MANIFEST)
    complete = manifest_uri in present if present is not None else s3.head(manifest_uri, s3=c) is not None

    bar = progress.track(f"export {name}", total=sum((local / rel).stat().st_size for rel, _ in [*files, (MANIFEST, None)]),
                         unit="bytes")  # fmt: skip

    def put(rel: str, expected: str | None) -> s3.UploadResult:
        result = _put(rel, expected)
        bar.advance(result.size if result.status == "skipped" else 0, **{result.status: 1})  # sent bytes: as they go
        return result

    def _put(rel: str, expected: str | None) -> s3.UploadResult:
        target = s3.join(version, rel)
        if expected is None and complete and rel != MANIFEST:
            info = s3.head(target, s3=c)
            if info is not None and (sse is None or info.sse == sse.algorithm):
                return s3.UploadResult(uri=target, sha256=info.sha256 or "", size=info.size, status="skipped")
            if info is None:
                return s3.UploadResult(uri=target, sha256="", size=(local / rel).stat().st_size, status="skipped")
        return s3.upload_file(local / rel, target, expected, s3=c, sse=sse, settings=settings,
                              verified=expected is not None, progress=bar.advance,
                              absent=present is not None and target not in present and rel != MANIFEST)  # fmt: skip

    with ThreadPoolExecutor(max_workers=settings.max_concurrency) as pool:
        futures = [pool.submit(put, rel, expected) for rel, expected in files]
        try:
            results = [f.result() for f in futures]
        except BaseException:
            for f in futures:  # the manifest is never written after a failure: stop early
                f.cancel()
            raise
    results.append(put(MANIFEST, None))  # last: its presence marks the version complete
    bar.close()

    pointer_uri = StorageLayout(dest_uri).latest(name)
    latest_updated = _point_latest(pointer_uri, sha, version, c, sse)
    rel_of = {s3.join(version, rel): rel for rel, _ in [*files, (MANIFEST, None)]}
    return ExportResult(
        name=name,
        dataset_sha256=sha,
        uri=version,
        latest_uri=pointer_uri,
        uploaded=[rel_of[r.uri] for r in results if r.status == "uploaded"],
        skipped=[rel_of[r.uri] for r in results if r.status == "skipped"],
        latest_updated=latest_updated,
        bytes_uploaded=sum(r.size for r in results if r.status == "uploaded"),
        seconds=round(time.monotonic() - started, 3),
    )


def _listed(version: str, c: s3.S3Client) -> set[str] | None:
    """The objects already under `version`, from one LIST (so that a missing key needs no HEAD
    before its upload); None when the credentials may write but not list (HEAD each key then)."""
    try:
        return {o.uri for o in s3.list_objects(version.rstrip("/") + "/", s3=c)}
    except s3.StorageError as exc:
        if s3.is_access_denied(exc):
            return None
        raise


def _read_pointer(uri: str, c: s3.S3Client) -> dict[str, Any] | None:
    if s3.head(uri, s3=c) is None:
        return None
    try:
        pointer = json.loads(s3.read_bytes(uri, s3=c))
    except ValueError as exc:
        raise s3.StorageError(f"{uri} is not a valid LATEST pointer") from exc
    return pointer if isinstance(pointer, dict) else None


def _point_latest(uri: str, sha: str, version: str, c: s3.S3Client, sse: s3.SSE | None) -> bool:
    """Move LATEST to ``version`` unless it already points there. Last writer wins."""
    current = _read_pointer(uri, c)
    if current and current.get("dataset_sha256") == sha and current.get("uri") == version:
        return False
    pointer = {
        "dataset_sha256": sha,
        "uri": version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    body = json.dumps(pointer, indent=2).encode() + b"\n"
    s3.put_bytes(body, uri, s3=c, sse=sse, content_type="application/json")
    return True


# --- reading ----------------------------------------------------------------------------


class DatasetVersion(BaseModel):
    uri: str
    dataset_sha256: str
    manifest: Manifest
    files: dict[str, str]  # manifest output name -> object URI


def resolve_latest(dest_uri: str, name: str, *, client: s3.S3Client | None = None) -> str:
    """The version URI that ``LATEST`` points to (read it with :func:`read_dataset_version`)."""
    c = client or s3.client()
    pointer = _read_pointer(StorageLayout(dest_uri).latest(name), c)
    if not pointer or not isinstance(pointer.get("uri"), str):
        raise s3.StorageError(f"no published version of dataset {name!r} under {dest_uri}")
    return pointer["uri"]


def read_dataset_version(
    uri: str, *, download_to: str | Path | None = None, client: s3.S3Client | None = None
) -> DatasetVersion:
    """Open a version only if it is complete: manifest present, every output present with
    the manifest's size and SHA-256 (and, when downloading, the bytes re-hashed locally)."""
    c = client or s3.client()
    uri = uri.rstrip("/")
    manifest_uri = s3.join(uri, MANIFEST)
    if s3.head(manifest_uri, s3=c) is None:
        raise IncompleteVersionError(
            f"dataset version {uri} is incomplete: no {MANIFEST} (export unfinished or failed)"
        )
    try:
        manifest = load_manifest(s3.read_bytes(manifest_uri, s3=c), manifest_uri)
    except ValueError as exc:
        raise IncompleteVersionError(str(exc)) from None
    sha = manifest.dataset_sha256
    if not uri.endswith("/" + str(sha)):
        raise IncompleteVersionError(f"{manifest_uri} describes dataset {sha}, not this version")
    files: dict[str, str] = {}
    for rel, meta in manifest.outputs.items():
        obj_uri = s3.join(uri, _safe_rel(rel))
        info = s3.head(obj_uri, s3=c)
        if info is None:
            raise IncompleteVersionError(f"dataset version {uri} is incomplete: {rel} is missing")
        if info.size != meta.bytes or info.sha256 != meta.sha256:
            raise IncompleteVersionError(f"dataset version {uri} is corrupt: {rel} does not match {MANIFEST}")
        files[rel] = obj_uri
    if download_to is not None:
        _download_version(uri, manifest, Path(download_to), c)
    return DatasetVersion(uri=uri, dataset_sha256=str(sha), manifest=manifest, files=files)


def _download_version(uri: str, manifest: Manifest, dest: Path, c: s3.S3Client) -> None:
    """Copy every object of the version; outputs are re-hashed against the manifest."""
    outputs = manifest.outputs
    for info in s3.list_objects(uri + "/", s3=c):
        rel = _safe_rel(info.uri[len(uri) + 1 :])
        if rel.startswith("adapters/"):  # models trained on this version (hf-lora), not part of the dataset
            continue
        digest = s3.download(info.uri, dest / rel, s3=c)
        if rel in outputs and digest != outputs[rel].sha256:
            raise IncompleteVersionError(f"{info.uri} does not match {MANIFEST} after download")

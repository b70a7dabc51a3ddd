"""A published dataset version, opened for the stages after it (training, evaluation).

A version is a directory with its manifest, or an ``s3://…/datasets/<name>/<sha256>``
prefix downloaded and verified against its manifest first.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ftflow.errors import InputError
from ftflow.manifest import Manifest
from ftflow.tasks.prepare.dataset import read_manifest


class DatasetNotFound(InputError):
    """The reference names no prepared dataset."""

    def __init__(self, message: str) -> None:
        super().__init__([message])


@dataclass
class Dataset:
    """A prepared dataset on local disk (downloaded first when it lives in S3)."""

    directory: Path
    manifest: Manifest

    @property
    def sha256(self) -> str:
        return str(self.manifest.dataset_sha256)

    @property
    def training_sha256(self) -> str:
        """Hash of what a trainer receives (train + validation files): Manifest.training_sha256."""
        return self.manifest.training_sha256

    def file(self, split: str) -> Path | None:
        path = self.directory / f"{split}.jsonl"
        return path if self.manifest.lines(path.name) else None


def open_dataset(ref: str | Path, cache_dir: Path | None = None) -> Dataset:
    """A dataset directory, or an s3:// version prefix downloaded and verified first."""
    ref = str(ref)
    if ref.startswith("s3://"):
        from ftflow.tasks.publish.export import read_dataset_version

        target = (cache_dir or Path(tempfile.gettempdir()) / "ftflow-datasets") / ref.rstrip("/").rsplit("/", 1)[-1]
        version = read_dataset_version(ref, download_to=target)
        return Dataset(directory=target, manifest=version.manifest)
    try:
        return Dataset(directory=Path(ref), manifest=read_manifest(ref))
    except FileNotFoundError:
        raise DatasetNotFound(f"{ref}: not a prepared dataset (no manifest.json); run `ftflow prepare` first") from None
    except ValueError as exc:
        raise DatasetNotFound(str(exc)) from None

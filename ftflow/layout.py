"""The storage layout: where everything lives under one destination root.

A root is ``s3://bucket[/prefix]`` (or, for evaluation runs and the registry without S3, a
local directory with the same layout)::

    landing/                      new raw input files arrive here (uploaders need write access
                                  to this prefix only); watch-landing announces them
    datasets/<name>/<sha256>/     one immutable dataset version, keyed by manifest
                                  `dataset_sha256`: train/validation/test/quarantine JSONL,
                                  data_docs/..., manifest.json (written last)
    datasets/<name>/LATEST        JSON pointer to the most recently published version
    runs/<run-id>/                reports of one pipeline run (finetune/, eval/, a refused gate's report)
    registry/events/              the model registry's append-only events

Every stage builds its keys here, so the layout is written down once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ftflow import s3
from ftflow.config import DATASET_NAME_PATTERN

LANDING = "landing"
DATASETS = "datasets"
RUNS = "runs"
REGISTRY = "registry"
MANIFEST = "manifest.json"
LATEST = "LATEST"
EVAL = "eval"  # a run's evaluation folder, beside its finetune/ folder
NAME = re.compile(DATASET_NAME_PATTERN)
SHA256 = re.compile(r"^[0-9a-f]{64}$")
_VERSION = re.compile(r"^(s3://.+?)/datasets/([A-Za-z0-9][A-Za-z0-9._-]*)/([0-9a-f]{64})/?$")


def check_name(name: str) -> str:
    """A dataset (and registry) name: letters, digits, '.', '_', '-'; at most 128 characters."""
    if not NAME.match(name):
        raise ValueError(f"invalid dataset name {name!r} (letters, digits, '.', '_', '-')")
    return name


@dataclass(frozen=True)
class StorageLayout:
    """URIs under one destination root (``s3://bucket[/prefix]``)."""

    root: str

    def landing(self) -> str:
        """Where new raw files arrive; the only prefix an uploader needs to write."""
        return s3.join(self.root, LANDING) + "/"

    def run(self, run_id: str) -> str:
        """Reports of one pipeline run."""
        return s3.join(self.root, RUNS, run_id) + "/"

    def registry(self) -> str:
        return s3.join(self.root, REGISTRY) + "/"

    def dataset(self, name: str) -> str:
        return s3.join(self.root, DATASETS, check_name(name))

    def version(self, name: str, dataset_sha256: str) -> str:
        """The immutable home of one dataset version (no trailing slash)."""
        return s3.join(self.dataset(name), dataset_sha256)

    def latest(self, name: str) -> str:
        return s3.join(self.dataset(name), LATEST)

    # Keys relative to the root (evaluation and the registry also run on a local directory).
    @staticmethod
    def run_eval_key(run_id: str, rel: str = "") -> str:
        return f"{RUNS}/{run_id}/{EVAL}/{rel}".rstrip("/")

    @staticmethod
    def registry_key(rel: str = "") -> str:
        return f"{REGISTRY}/{rel}".rstrip("/")


def parse_version(uri: str) -> tuple[str | None, str | None]:
    """(destination root, dataset name) of an ``s3://…/datasets/<name>/<sha256>`` version."""
    match = _VERSION.match(str(uri))
    return (match.group(1), match.group(2)) if match else (None, None)

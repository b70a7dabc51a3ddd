"""Prepare and publish in one call, the composition both the CLI (`ftflow prepare --out s3://…`)
and the retrain flow (flows/steps.py) run.

A local destination gets the dataset written straight into it. An ``s3://`` destination gets
the dataset prepared in ``work_dir`` and exported as an immutable, content-addressed version;
when the quality gate refuses the data, only its report (manifest and quarantine) is uploaded,
under ``runs/<run-id>/``, so the reason can be read where the data was expected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ftflow import s3
from ftflow.config import PrepareConfig
from ftflow.errors import QualityGateError
from ftflow.layout import StorageLayout
from ftflow.tasks.prepare.stage import PrepareResult, prepare_dataset
from ftflow.tasks.publish.export import ExportResult, export_dataset

REPORT_FILES = ("manifest.json", "quarantine.jsonl")


class RefusedAndReported(QualityGateError):
    """The gate refused the data; its report was uploaded to ``report_uri``."""

    def __init__(self, message: str, report_uri: str) -> None:
        super().__init__(message)
        self.report_uri = report_uri


@dataclass
class Published:
    prepared: PrepareResult
    exported: ExportResult | None  # None for a local destination

    @property
    def uri(self) -> str:
        return self.exported.uri if self.exported else str(self.prepared.out_dir)


def prepare_and_publish(inputs: list[str], dest: str, cfg: PrepareConfig, *, name: str, work_dir: Path,
                        run_id: str = "local", create_bucket: bool = False,
                        on_stage: Callable[[str], None] | None = None, reviewer: Any = None) -> Published:  # fmt: skip
    """Prepare ``inputs`` and publish them to ``dest`` (a directory, or ``s3://bucket[/prefix]``).
    ``work_dir`` holds the prepared files of an s3 destination; the caller owns (and removes) it."""
    if not s3.is_s3_uri(dest):
        return Published(prepare_dataset(inputs, dest, cfg, on_stage=on_stage, reviewer=reviewer), None)
    try:
        prepared = prepare_dataset(inputs, work_dir, cfg, on_stage=on_stage, reviewer=reviewer)
    except QualityGateError as exc:
        report = StorageLayout(dest).run(run_id)
        for rel in REPORT_FILES:
            if (work_dir / rel).exists():
                s3.upload_file(work_dir / rel, s3.join(report, rel))
        raise RefusedAndReported(f"{exc} (report: {report})", report) from None
    if on_stage:
        on_stage("export")
    exported = export_dataset(work_dir, dest, name=name, create_bucket=create_bucket)
    return Published(prepared, exported)

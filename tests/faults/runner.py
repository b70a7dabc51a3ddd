"""Run `ftflow prepare` in this process and check what every run must satisfy.

Whatever the input: no traceback; exit 0, 2 or 3; an error is one `error:` line; a folder
holds a manifest only if that manifest describes the files beside it (hashes and line
counts match, rows read = kept + quarantined per file and in total), and no temporary file.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ftflow.hashing import file_sha256 as sha256_file
from ftflow.tasks.prepare.dataset import DATA_FILES, MANIFEST
from ftflow.tasks.prepare.output_dir import temporaries


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith("error:")]


def run_prepare(args: list[str]) -> Run:
    """`ftflow prepare ARGS` in-process (the quality gate too, once Great Expectations is imported)."""
    from typer.testing import CliRunner

    from ftflow.cli import app

    result = CliRunner().invoke(app, ["prepare", *args], catch_exceptions=True)
    exc = result.exception if not isinstance(result.exception, SystemExit) else None
    return Run(result.exit_code, result.stdout, result.stderr, exc)


def read_manifest(out: Path) -> dict[str, Any] | None:
    path = out / MANIFEST
    return orjson.loads(path.read_bytes()) if path.is_file() else None


def check_run(run: Run, out: Path, exit_code: int, message: str | None) -> dict[str, Any] | None:
    """Every generic promise; returns the manifest (None when none was written)."""
    assert run.exception is None, f"crashed: {type(run.exception).__name__}: {run.exception}"
    assert "Traceback" not in run.output, run.output
    assert run.exit_code == exit_code, f"exit {run.exit_code}, expected {exit_code}: {run.stderr[-2000:]}"
    if exit_code == 0:
        assert not run.error_lines, run.stderr
    else:
        assert len(run.error_lines) == 1, f"expected one error line: {run.stderr}"
        if message is not None:
            error = run.stderr[run.stderr.index("error:") :]  # with the further problems of a multi-file error
            assert re.search(message, error), f"{error!r} does not match {message!r}"
        assert len(run.error_lines[0]) < 1500, "the message must not echo the input"
    manifest = read_manifest(out) if out.is_dir() else None
    if out.is_dir():
        assert not temporaries(out), f"temporary files left: {temporaries(out)}"
    if manifest is None:
        if out.is_dir():
            left = [n for n in DATA_FILES if (out / n).exists()]
            assert not left, f"data files without a manifest: {left}"
        return None
    reconcile(out, manifest)
    return manifest


def reconcile(out: Path, m: dict[str, Any]) -> None:
    """The manifest describes the folder: counts add up and every listed file matches its hash."""
    c = m["counts"]
    assert c["rows_read"] == c["rows_kept"] + c["rows_quarantined"], c
    assert sum(f["rows_read"] for f in m["inputs"]) == c["rows_read"]
    for f in m["inputs"]:
        assert f["rows_read"] == f["rows_kept"] + f["rows_quarantined"], f
    assert sum(c["per_reason"].values()) >= c["rows_quarantined"]
    for name, info in m["outputs"].items():
        path = out / name
        assert path.is_file(), f"manifest lists {name}, which is not there"
        assert sha256_file(path) == info["sha256"], f"{name} differs from the manifest"
        assert info["lines"] == sum(1 for line in path.read_bytes().splitlines() if line.strip())
    assert m["outputs"]["quarantine.jsonl"]["lines"] == c["rows_quarantined"]
    if m["status"] == "ok":
        assert c["train"] + c["validation"] + c["test"] == c["rows_kept"]
        for split in ("train", "validation", "test"):
            assert m["outputs"][f"{split}.jsonl"]["lines"] == c[split]
    else:
        for split in ("train", "validation", "test"):
            assert not (out / f"{split}.jsonl").exists(), f"refused run left {split}.jsonl"


def python() -> str:
    return sys.executable

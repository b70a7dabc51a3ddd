"""One writer discipline for a prepared dataset's folder: its manifest always describes
the files beside it.

Before a run writes anything, `claim` checks the folder can be written and removes the
outputs of any earlier run, the manifest first (from then on the folder holds no dataset,
rather than an old manifest beside new files). Every data file is then written under a
temporary name and renamed into place (tasks/prepare/dataset.py), and the manifest is renamed in
last. If the run fails, `release_failed` removes temporary files, so a failed run leaves
either nothing or, for a refused quality gate, the quarantine and a manifest saying so.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ftflow.errors import ConfigError
from ftflow.tasks.prepare.dataset import DATA_FILES, MANIFEST

DATA_DOCS = "data_docs"
OUTPUT_NAMES = (*DATA_FILES, DATA_DOCS)


def claim(out: str | Path) -> Path:
    """Make `out` an empty-of-outputs, writable directory (other files in it are left alone)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out}: output path is a file, not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".ftflow-write-test.{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ConfigError(f"{out}: cannot write the output directory ({exc.strerror or exc})") from None
    try:
        (out / MANIFEST).unlink(missing_ok=True)  # first: no old manifest may describe new files
        for name in OUTPUT_NAMES:
            path = out / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        _remove_temporaries(out)
    except OSError as exc:
        raise ConfigError(f"{out}: cannot remove the previous run's outputs ({exc.strerror or exc})") from None
    return out


def release_failed(out: Path) -> None:
    """After a failed run: no temporary file stays behind (completed files and, for a refused
    gate, its manifest do)."""
    _remove_temporaries(out)


def temporaries(out: Path) -> list[Path]:
    """Temporary files a writer leaves while it works (`.train.jsonl.<pid>.tmp`, ...)."""
    names = (*DATA_FILES, MANIFEST)
    return [p for p in out.glob(".*.tmp") if any(p.name.startswith(f".{n}.") for n in names)]


def _remove_temporaries(out: Path) -> None:
    for path in temporaries(out):
        path.unlink(missing_ok=True)

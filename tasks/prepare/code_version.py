"""The version of the code that prepares a dataset: part of the prepare cache key (flows/steps.py),
so a cached dataset is reused only by the code that made it, and a fixed bug is never served
from an old cache.

It is ftflow's package version plus a hash of every source file of the prepare stage
(tasks/prepare/, its readers, checks and documents) and of the expectation suites the quality
gate runs (expectations/*.json): editing any of them, without bumping the version, is a new key.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ftflow.tasks.prepare import quality

SOURCES = Path(__file__).resolve().parent  # tasks/prepare (installed as ftflow.tasks.prepare)


def package_version() -> str:
    try:
        return metadata.version("ftflow")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"


def source_digest(roots: tuple[tuple[Path, str], ...] = ((SOURCES, "*.py"), (quality.EXPECTATIONS_DIR, "*.json"))
                  ) -> str:  # fmt: skip
    """sha256 over (relative path, content) of every matching file under each root, in a fixed order."""
    h = hashlib.sha256()
    for root, pattern in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob(pattern)):
            if "__pycache__" in path.parts:
                continue
            h.update(f"{root.name}/{path.relative_to(root).as_posix()}\0".encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """`<package version>+<first 16 hex of the source digest>`, computed once per process."""
    return f"{package_version()}+{source_digest()[:16]}"

"""The one file-hash helper: SHA-256 of a file, streamed (a 1M-example train file is 625 MB)."""

from __future__ import annotations

import hashlib
from pathlib import Path

_CHUNK = 8 << 20


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes, read in 8 MiB chunks into one reused buffer."""
    h = hashlib.sha256()
    buf = bytearray(_CHUNK)
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as f:
        while n := f.readinto(buf):
            h.update(view[:n])
    return h.hexdigest()

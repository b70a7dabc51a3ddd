"""OCR with Tesseract (Debian's tesseract-ocr, -eng, -spa), run as a process: no model download.

Images go in as PNG bytes on stdin; the text comes back on stdout. Tesseract separates text
blocks with blank lines, which the readers use as paragraph breaks.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from functools import lru_cache
from typing import Any

from ftflow.errors import InputError

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa"
OCR_TIMEOUT_S = 300


@lru_cache(maxsize=1)
def tesseract_path() -> str | None:
    return shutil.which("tesseract")


@lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    exe = tesseract_path()
    if exe is None:
        return frozenset()
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=60, check=False)
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:] if line.strip())


def check_ready(languages: list[str], path: str) -> None:
    """An InputError naming `path` when Tesseract or one of the languages is missing."""
    if tesseract_path() is None:
        raise InputError([f"{path}: needs OCR, but the `tesseract` program is not installed ({INSTALL_HINT})"])
    missing = [lang for lang in languages if lang not in installed_languages()]
    if missing:
        raise InputError([f"{path}: OCR language(s) {', '.join(missing)} not installed "
                          f"(apt-get install {' '.join('tesseract-ocr-' + m for m in missing)})"])  # fmt: skip


def png_bytes(image: Any) -> bytes:
    """A PIL image as PNG bytes (grey: smaller, and Tesseract binarizes anyway)."""
    buf = io.BytesIO()
    image.convert("L").save(buf, format="PNG")
    return buf.getvalue()


def ocr_image(data: bytes, languages: list[str], path: str) -> str:
    """The text of one image (any format Tesseract's Leptonica reads: PNG, JPEG, TIFF)."""
    check_ready(languages, path)
    cmd = [str(tesseract_path()), "stdin", "stdout", "-l", "+".join(languages), "--psm", "3"]
    try:
        out = subprocess.run(cmd, input=data, capture_output=True, timeout=OCR_TIMEOUT_S, check=False,
                             env={**os.environ, "OMP_THREAD_LIMIT": "1"})  # fmt: skip
    except subprocess.TimeoutExpired:
        raise InputError([f"{path}: OCR took longer than {OCR_TIMEOUT_S} s"]) from None
    if out.returncode != 0:
        why = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError([f"{path}: OCR failed ({why[-1] if why else 'exit ' + str(out.returncode)})"])
    return out.stdout.decode("utf-8", "replace")

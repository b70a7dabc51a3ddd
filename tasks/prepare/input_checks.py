"""Checks on an input before it is parsed: is it text at all, is it a file, was it seen already,
and is a .json file one JSON document (an array of records) rather than JSON Lines.

Each failure is one InputError line naming the file and what it really is, never its bytes.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import orjson

from ftflow.errors import InputError

# The first bytes of binary formats a text input is often confused with.
MAGIC = ((b"PK\x03\x04", "a ZIP archive: an .xlsx or .docx saved under another name?"), (b"\x89PNG", "a PNG image"),
         (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"), (b"%PDF", "a PDF document"),
         (b"\x1f\x8b", "gzip-compressed: decompress it first"), (b"BZh", "bzip2-compressed: decompress it first"),
         (b"\xfd7zXZ", "xz-compressed: decompress it first"), (b"(\xb5/\xfd", "zstd-compressed: decompress it first"),
         (b"PAR1", "a Parquet file: name it .parquet"), (b"SQLite format 3\x00", "an SQLite database"),
         (b"\xd0\xcf\x11\xe0", "an old Office document: save it as .xlsx or CSV"),
         (b"7z\xbc\xaf", "a 7-Zip archive"), (b"\x7fELF", "a program (ELF)"))  # fmt: skip


def check_not_binary(path: str, data: bytes, fmt: str) -> None:
    if fmt in ("parquet", "xlsx"):
        return
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError([f"{path}: file is UTF-16 encoded; save it as UTF-8"])
    for magic, what in MAGIC:
        if data.startswith(magic):
            raise InputError([f"{path}: binary file ({what}), not {fmt.upper()} text"])
    head = data[:65536]
    if head.count(0) > len(head) // 10:
        raise InputError([f"{path}: binary file (many NUL bytes), not {fmt.upper()} text"])
    controls = sum(head.count(c) for c in _CONTROL_BYTES)
    if controls > len(head) // 20:
        raise InputError([f"{path}: binary file ({controls} control bytes in its first {len(head)}), "
                          f"not {fmt.upper()} text"])  # fmt: skip


_CONTROL_BYTES = tuple(bytes([c]) for c in (*range(1, 9), 11, 12, *range(14, 27), *range(28, 32), 127))


def missing(path: Path) -> str:
    """Why a local input is not a file: a symlink loop, a dangling link, no permission or absent."""
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop (too many levels of symbolic links)"
        if path.is_symlink():
            return f"broken symlink (points to {os.readlink(path)}, which does not exist)"
        if exc.errno == errno.EACCES:
            return "permission denied"
        return "no such file"
    return "not a regular file (a device, pipe or socket)"


def first_visit(path: str, seen: dict[tuple[int, int], str]) -> bool:
    """False for a local file already listed under another name (a symlink or hard link to it)."""
    try:
        st = os.stat(path)
    except OSError:
        return True  # read_inputs reports it
    key = (st.st_dev, st.st_ino)
    if key in seen:
        return False
    seen[key] = path
    return True


def json_document(path: str, data: bytes, encoding: str, fmt_suffix: str) -> list[Any] | None:
    """The records of a file that holds one JSON document rather than JSON Lines, or None.

    A `.json` file may hold an array of records (`[{...}, ...]`, as most exports write)
    or a single pretty-printed record; a `.jsonl` file holding an array is an error
    saying so (reading it line by line would reject every line as broken JSON).
    """
    if not may_be_document(data, encoding):
        return None
    body = data.lstrip(_LEAD)
    try:
        doc = orjson.loads(
            body.decode(encoding, errors="strict") if encoding.replace("_", "-").lower() != "utf-8" else body
        )
    except (orjson.JSONDecodeError, UnicodeDecodeError):
        return None  # not one document: read line by line, each bad line is quarantined
    if fmt_suffix != ".json":
        what = f"one JSON array of {len(doc)} items" if isinstance(doc, list) else "one JSON value over several lines"
        raise InputError([f"{path}: holds {what}, not JSON Lines (one object per line); name it .json, or write "
                          "one object per line"])  # fmt: skip
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        return [doc]
    raise InputError([f"{path}: holds a single JSON {type(doc).__name__}, not records"])


def may_be_document(head: bytes, encoding: str) -> bool:
    """Whether a file starting with `head` may be one JSON document: it opens an array, or an
    object that its first line does not close."""
    body = head.lstrip(_LEAD)
    first = body.split(b"\n", 1)[0]
    return body.startswith(b"[") or (body.startswith(b"{") and not _parses(first.decode(encoding, "replace")))


_LEAD = b"\xef\xbb\xbf \t\r\n"


def _parses(line: str) -> bool:
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return True

"""Input readers, one registered unit per table format, chosen by file suffix.

A :class:`Reader` adds the rows of one file to the ingest builder; ingest (tasks/prepare/ingest.py)
does what is the same for every format first: read the bytes (local or s3://), hash them, refuse
an empty or binary file, and settle a text file's encoding. A reader that can do better than
"all the bytes in memory" for a local file (JSONL: parsed in byte ranges on every core, hashed on
the way) also implements ``read_path``.

Adding a format: one module here with a Reader subclass decorated with :func:`register`, listed
in ``_MODULES``, plus its tests. Documents (PDF, DOCX, ...) are their own family
(tasks/prepare/documents/): they become rows only after generation.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from ftflow.config import PrepareConfig
    from ftflow.tasks.prepare.ingest import InputFile
    from ftflow.tasks.prepare.row_blocks import Builder


class Reader:
    name: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]
    text: ClassVar[bool] = False  # a text format: its encoding is configured or detected before `read`
    counts_rows: ClassVar[bool] = False  # sets info.rows itself (else ingest counts the rows it added)

    def read(self, builder: Builder, idx: int, info: InputFile, data: bytes, cfg: PrepareConfig) -> None:
        """Add the file's rows (``data`` is the whole file) to ``builder``; problems raise InputError."""
        raise NotImplementedError

    def read_path(self, builder: Builder, idx: int, info: InputFile, cfg: PrepareConfig) -> bool:
        """Read a local file without holding it whole; False: this reader has no such path."""
        return False


READERS: dict[str, Reader] = {}
_MODULES = ("delimited", "jsonl_reader", "parquet", "xlsx")


def register(cls: type[Reader]) -> type[Reader]:
    if cls.name in READERS:
        raise ValueError(f"a reader for {cls.name!r} is already registered")
    READERS[cls.name] = cls()
    return cls


def registered() -> dict[str, Reader]:
    for module in _MODULES:  # each registers itself on import (once; imports are cached)
        importlib.import_module(f"{__name__}.{module}")
    return READERS


def formats() -> dict[str, str]:
    """File suffix -> format name, for every registered reader."""
    return {suffix: r.name for r in registered().values() for suffix in r.suffixes}


def for_format(name: str) -> Reader:
    return registered()[name]

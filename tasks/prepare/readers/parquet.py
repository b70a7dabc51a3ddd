"""Parquet: one example per row (1-based row numbers)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from ftflow.config import PrepareConfig
from ftflow.errors import InputError
from ftflow.tasks.prepare.readers import Reader, register
from ftflow.tasks.prepare.readers.tables import read_frame_rows
from ftflow.tasks.prepare.row_blocks import Builder

if TYPE_CHECKING:
    from ftflow.tasks.prepare.ingest import InputFile


@register
class ParquetReader(Reader):
    name = "parquet"
    suffixes = (".parquet",)

    def read(self, builder: Builder, idx: int, info: InputFile, data: bytes, cfg: PrepareConfig) -> None:
        read_parquet(builder, idx, info, data, cfg)


def read_parquet(builder: Builder, idx: int, info: InputFile, data: bytes, cfg: PrepareConfig) -> None:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises several types for corrupt files
        raise InputError([f"{info.path}: not a readable Parquet file ({exc})"]) from None
    read_frame_rows(
        builder,
        idx,
        info,
        table.column_names,
        table.to_pylist(),
        cfg,
        lambda i: (i + 1, f"row {i + 1}"),
    )

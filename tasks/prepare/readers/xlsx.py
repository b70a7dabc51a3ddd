"""XLSX: every non-empty sheet (or those in `prepare.sheets`); places are "sheet 'FAQ' row 5"."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pandas as pd

from ftflow.config import PrepareConfig
from ftflow.errors import InputError
from ftflow.tasks.prepare.readers import Reader, register
from ftflow.tasks.prepare.readers.tables import read_frame_rows
from ftflow.tasks.prepare.row_blocks import Builder

if TYPE_CHECKING:
    from ftflow.tasks.prepare.ingest import InputFile


@register
class XlsxReader(Reader):
    name = "xlsx"
    suffixes = (".xlsx",)

    def read(self, builder: Builder, idx: int, info: InputFile, data: bytes, cfg: PrepareConfig) -> None:
        read_xlsx(builder, idx, info, data, cfg)


def read_xlsx(builder: Builder, idx: int, info: InputFile, data: bytes, cfg: PrepareConfig) -> None:
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, keep_default_na=False)
    except Exception as exc:  # openpyxl raises several types for corrupt files
        raise InputError([f"{info.path}: not a readable XLSX file ({exc})"]) from None
    wanted = cfg.sheets or [name for name, df in sheets.items() if len(df.columns)]
    missing = [name for name in wanted if name not in sheets]
    if missing:
        raise InputError([f"{info.path}: no sheet named {', '.join(map(repr, missing))}; it has {list(sheets)}"])
    if not wanted:
        raise InputError([f"{info.path}: every sheet is empty"])
    for name in wanted:
        df = sheets[name]
        # Spreadsheet row numbers: the header is row 1, so data row i is row i + 2.
        read_frame_rows(builder, idx, info, [str(c) for c in df.columns], df.to_dict("records"), cfg,
                         lambda i, name=name: (i + 2, f"sheet {name!r} row {i + 2}"), f"sheet {name!r}",
                         skip_blank=True)  # fmt: skip

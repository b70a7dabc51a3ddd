"""Ingested rows in columns: one block per input file, gathered into the stage's DataFrames.

A big JSONL file arrives as one block of arrays (parsed in parts by other processes);
table formats add their rows one by one. Either way the result is the same pair of
frames, with message texts in Arrow (tasks/prepare/textcol.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ftflow.tasks.prepare.records import ROLES, Message
from ftflow.tasks.prepare.textcol import text_array, text_series


@dataclass
class RowBlock:
    """Examples of one input file and their messages, as columns (indices local to the block)."""

    rows: np.ndarray  # int64 line (or row) number of each example
    where: list[str] | None  # None: "line {row}"
    errors: dict[int, str]  # example -> format error
    originals: Sequence[Any]  # per example: raw line or row dict
    msg_ex: np.ndarray  # int64 example of each message
    msg_role: np.ndarray  # int8 index into ROLES
    msg_content: pa.Array | pa.ChunkedArray  # large_string
    msg_weight: np.ndarray  # int8, -1 = absent
    msg_names: dict[int, str] = field(default_factory=dict)  # message -> name
    blank_lines: int = 0


class Originals(Sequence[Any]):
    """The originals of several blocks, indexed by example, without one list of them all."""

    def __init__(self, parts: list[Sequence[Any]]) -> None:
        self.parts = parts
        self.starts = np.cumsum([0, *map(len, parts)])

    def __len__(self) -> int:
        return int(self.starts[-1])

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        k = int(np.searchsorted(self.starts, i, side="right")) - 1
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.parts[k][i - int(self.starts[k])]


class Builder:
    """Whole-file column blocks, plus rows added one by one (tables) until their file is done."""

    def __init__(self) -> None:
        self.blocks: list[tuple[int, RowBlock]] = []
        self.discard()

    def discard(self) -> None:
        """Forget the rows added since the last finished file (its file failed as a whole)."""
        self.ex_row: list[int] = []
        self.ex_where: list[str] = []
        self.ex_error: list[str | None] = []
        self.originals: list[Any] = []
        self.m_ex: list[int] = []
        self.m_role: list[str] = []
        self.m_content: list[str] = []
        self.m_weight: list[int] = []
        self.m_name: list[str | None] = []

    def add(self, row: int, where: str, original: Any, messages: list[Message] | None, error: str | None) -> None:
        ex = len(self.ex_row)
        self.ex_row.append(row)
        self.ex_where.append(where)
        self.ex_error.append(error)
        self.originals.append(original)
        for m in messages or ():
            self.m_ex.append(ex)
            self.m_role.append(m.role)
            self.m_content.append(m.content)
            self.m_weight.append(-1 if m.weight is None else m.weight)
            self.m_name.append(m.name)

    def finish_file(self, file_idx: int) -> int:
        """Close the rows added one by one into a block of `file_idx`; returns their number."""
        n = len(self.ex_row)
        if n:
            codes = {role: i for i, role in enumerate(ROLES)}
            block = RowBlock(rows=np.asarray(self.ex_row, dtype=np.int64), where=self.ex_where,
                             errors={i: e for i, e in enumerate(self.ex_error) if e is not None},
                             originals=self.originals, msg_ex=np.asarray(self.m_ex, dtype=np.int64),
                             msg_role=np.asarray([codes[r] for r in self.m_role], dtype=np.int8),
                             msg_content=text_array(self.m_content),
                             msg_weight=np.asarray(self.m_weight, dtype=np.int8),
                             msg_names={i: v for i, v in enumerate(self.m_name) if v is not None})  # fmt: skip
            self.blocks.append((file_idx, block))
        self.discard()
        return n

    def add_block(self, file_idx: int, block: RowBlock) -> None:
        self.blocks.append((file_idx, block))

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, Sequence[Any]]:
        """examples, messages and the originals of every block, in order."""
        blocks = [b for _, b in self.blocks]
        sizes = [len(b.rows) for b in blocks]
        ex_offsets = np.cumsum([0, *sizes])
        n_msgs = np.cumsum([0, *(len(b.msg_ex) for b in blocks)])
        errors = np.full(int(ex_offsets[-1]), None, dtype=object)
        names = np.full(int(n_msgs[-1]), None, dtype=object)
        where: list[str] = []
        for k, b in enumerate(blocks):
            for i, e in b.errors.items():
                errors[ex_offsets[k] + i] = e
            for i, v in b.msg_names.items():
                names[n_msgs[k] + i] = v
            where.extend(b.where if b.where is not None else [f"line {r}" for r in b.rows.tolist()])
        examples = pd.DataFrame({
            "file": np.repeat(np.asarray([f for f, _ in self.blocks], dtype=np.int64), sizes),
            "row": concat([b.rows for b in blocks], np.int64),
            "where": pd.Series(where, dtype=object),
            "format_error": pd.Series(errors, dtype=object),
        })  # fmt: skip
        messages = pd.DataFrame({
            "ex": concat([b.msg_ex + ex_offsets[k] for k, b in enumerate(blocks)], np.int64),
            "role": pd.Categorical.from_codes(concat([b.msg_role for b in blocks], np.int8), categories=list(ROLES)),
            "content": text_series([b.msg_content for b in blocks]),
            "weight": pd.Series(concat([b.msg_weight for b in blocks], np.int8), dtype="int8"),
            "name": pd.Series(names, dtype=object),
        })  # fmt: skip
        return examples, messages, Originals([b.originals for b in blocks])


def concat(arrays: list[np.ndarray], dtype: Any) -> np.ndarray:
    """np.concatenate of the parts as `dtype`; an empty array of it when there are none."""
    return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.empty(0, dtype=dtype)

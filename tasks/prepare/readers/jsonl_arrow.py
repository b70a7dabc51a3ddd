"""Plain chat JSONL lines read by Arrow's JSON reader and checked with vectorized rules.

Most lines of a chat dataset are {"messages": [{"role": ..., "content": ...}, ...]} and
pass every check of records.to_messages. Arrow's C++ reader parses a block of them
several times faster than orjson plus those checks in Python. It is only trusted where it
cannot differ: a block it does not read as exactly one row per line, or whose shape is
anything else (other keys, other value types), goes to the line parser whole, and so does
every row that is not plainly valid, so every error message comes from the same code.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from ftflow.config import PrepareConfig
from ftflow.tasks.prepare.records import ROLES

MAX_OPENERS_PER_LINE = 64  # a chat line opens a few arrays/objects; far more means odd nesting
BLOCK_LINES = 20_000  # lines read at once: one odd line sends only its block to the line parser
_ROLES = pa.array(ROLES, type=pa.string())
_ASSISTANT = ROLES.index("assistant")
_MESSAGE_FIELDS = {"role", "content", "weight", "name"}


@dataclass
class ArrowMessages:
    """The messages of the lines of a block that are plainly valid chat records."""

    ok: np.ndarray  # per line: read here (the others go to the line parser)
    row: np.ndarray  # per message: its line in the block
    role: np.ndarray  # int8 index into ROLES
    content: pa.Array  # large_string
    weight: np.ndarray  # int8, -1 = absent
    names: dict[int, str]  # message -> name

    def columns(self, first: int) -> dict[str, Any]:
        """As RowBlock message columns, the block's first line being example `first`."""
        return {"msg_ex": self.row + first, "msg_role": self.role, "msg_content": self.content,
                "msg_weight": self.weight, "msg_names": self.names}  # fmt: skip


def applies(cfg: PrepareConfig, utf8: bool) -> bool:
    """Records are read with the default plan (a `messages` key), from UTF-8."""
    columns = cfg.columns
    return utf8 and columns.messages is None and columns.question is None and columns.answer is None


def read_block(lines: list[bytes]) -> ArrowMessages | None:
    """The plainly valid lines of `lines` (non-blank, without line ends), or None to parse them all line by line."""
    data = b"\n".join(lines)
    if data.count(b"[") + data.count(b"{") > MAX_OPENERS_PER_LINE * len(lines):
        return None  # deeply nested JSON takes Arrow's reader seconds per line; orjson refuses it at once
    try:
        longest = max(map(len, lines), default=0)
        options = pj.ReadOptions(use_threads=False, block_size=max(1 << 20, 2 * longest + 2))
        table = pj.read_json(io.BytesIO(data), read_options=options)
        table.validate(full=True)  # Arrow's reader does not check UTF-8; a bad byte must not reach normalize
    except Exception:  # anything Arrow cannot read the plain way: the line parser decides
        return None
    if table.num_rows != len(lines) or table.column_names != ["messages"]:
        return None  # two documents on a line, other keys, ...
    messages = table.column(0).combine_chunks()
    if not _plain_type(messages.type):
        return None
    n = len(lines)
    length = pc.list_value_length(messages).fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    listed = messages.is_valid().to_numpy(zero_copy_only=False) & (length > 0)
    structs = messages.flatten()
    row = np.repeat(np.arange(n), length)
    role = pc.index_in(structs.field("role"), value_set=_ROLES).fill_null(-1).to_numpy(zero_copy_only=False)
    good = structs.is_valid().to_numpy(zero_copy_only=False) & (role >= 0)
    good &= structs.field("content").is_valid().to_numpy(zero_copy_only=False)
    assistant = role == _ASSISTANT
    weight = np.full(len(role), -1, dtype=np.int8)
    trained = assistant.copy()
    if "weight" in _fields(messages.type):
        values = structs.field("weight").cast(pa.float64())  # int64, double or all null
        present = values.is_valid().to_numpy(zero_copy_only=False)
        w = values.fill_null(0).to_numpy(zero_copy_only=False)
        good &= ~present | (assistant & ((w == 0) | (w == 1)))
        weight[present] = np.where(w[present] == 1, 1, 0)
        trained &= ~present | (w != 0)
    bad = np.bincount(row[~good], minlength=n)
    ok = listed & (bad == 0) & (np.bincount(row[trained], minlength=n) > 0)
    keep = ok[row]
    names: dict[int, str] = {}
    if "name" in _fields(messages.type):
        kept_names = structs.field("name").filter(pa.array(keep))
        present_names = np.flatnonzero(kept_names.is_valid().to_numpy(zero_copy_only=False))
        names = dict(zip(present_names.tolist(), kept_names.take(pa.array(present_names)).to_pylist(), strict=True))
    return ArrowMessages(ok=ok, row=row[keep], role=role[keep].astype(np.int8),
                         content=structs.field("content").filter(pa.array(keep)).cast(pa.large_string()),
                         weight=weight[keep], names=names)  # fmt: skip


def _fields(list_type: pa.DataType) -> dict[str, pa.DataType]:
    return {f.name: f.type for f in list_type.value_type}


def _plain_type(t: pa.DataType) -> bool:
    """list<struct<role: string, content: string[, weight: int64|double][, name: string]>>."""
    if not (pa.types.is_list(t) or pa.types.is_large_list(t)) or not pa.types.is_struct(t.value_type):
        return False
    fields = _fields(t)
    text = (pa.types.is_string, pa.types.is_large_string)
    return (
        {"role", "content"} <= set(fields) <= _MESSAGE_FIELDS
        and any(check(fields["role"]) for check in text)
        and any(check(fields["content"]) for check in text)
        and ("name" not in fields or any(check(fields["name"]) for check in (*text, pa.types.is_null)))
        and ("weight" not in fields or pa.types.is_int64(fields["weight"]) or pa.types.is_float64(fields["weight"])
             or pa.types.is_null(fields["weight"]))
    )  # fmt: skip

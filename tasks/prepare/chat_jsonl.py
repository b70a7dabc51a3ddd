"""Split files written straight from the Arrow message columns, byte for byte as orjson would.

Serializing a million examples record by record (a dict per message, orjson per line)
takes seconds in Python. Here each message becomes its JSON text with Arrow string
kernels (escaping done on the few texts that need it) and each line is joined from its
messages, in batches; the batch's buffer is the file's bytes. `dataset.chat_records` is
the record-by-record definition these lines must equal.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from ftflow.tasks.prepare.records import ROLES
from ftflow.tasks.prepare.textcol import ranges, replace_rows, take_rows

BATCH = 50_000  # examples per batch: bounds the temporary arrays
_ROLE_PREFIX = pa.array([f'{{"role":"{role}","content":"' for role in ROLES], type=pa.large_string())
# orjson escapes '"', '\\' and control characters; these have short forms, the rest \\u00XX.
_SHORT_ESCAPES = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\t", "\\t"), ("\r", "\\r"), ("\b", "\\b"),
                  ("\f", "\\f"))  # fmt: skip
_NEEDS_ESCAPE = r'[\x00-\x1f"\\]'
_LONG_ESCAPE = r"[\x00-\x07\x0b\x0e-\x1f]"


def escaped(texts: pa.Array) -> pa.Array:
    """Each text's JSON string body (without quotes), exactly as orjson writes it."""
    mask = pc.match_substring_regex(texts, _NEEDS_ESCAPE).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(mask)
    if not len(rows):
        return texts
    sub = texts.take(pa.array(rows))
    odd = pc.match_substring_regex(sub, _LONG_ESCAPE).to_numpy(zero_copy_only=False)
    for char, escape in _SHORT_ESCAPES:
        sub = pc.replace_substring(sub, char, escape)
    if odd.any():  # rare control characters: let orjson spell them
        originals = texts.take(pa.array(rows[odd])).to_pylist()
        sub = replace_rows(sub, odd, [orjson.dumps(t)[1:-1].decode() for t in originals])
    return replace_rows(texts, mask, sub)


def chat_line_blocks(contents: pa.ChunkedArray, role: np.ndarray, weight: np.ndarray, names: Mapping[int, str],
                     offsets: np.ndarray, examples: np.ndarray) -> Iterator[tuple[memoryview, int]]:  # fmt: skip
    """(bytes, lines) blocks of the chat JSONL lines of `examples`, in order (`names`: message -> name)."""
    named = np.fromiter(names, dtype=np.int64, count=len(names))
    for lo in range(0, len(examples), BATCH):
        batch = np.asarray(examples[lo : lo + BATCH], dtype=np.int64)
        counts = offsets[batch + 1] - offsets[batch]
        msg = ranges(offsets[batch], counts)  # the batch's messages, example by example
        texts = take_rows(contents, msg)
        suffix = _suffixes(msg, weight, names, named)
        parts = [_ROLE_PREFIX.take(pa.array(role[msg])), escaped(texts), suffix]
        message_json = pc.binary_join_element_wise(*parts, _text(""))
        line_offsets = pa.array(np.concatenate(([0], np.cumsum(counts))), type=pa.int64())
        body = pc.binary_join(pa.LargeListArray.from_arrays(line_offsets, message_json), _text(","))
        lines = pc.binary_join_element_wise(_text('{"messages":['), body, _text("]}\n"), _text(""))
        yield _data(lines), len(batch)


def _suffixes(msg: np.ndarray, weight: np.ndarray, names: Mapping[int, str], named: np.ndarray) -> pa.Array | pa.Scalar:
    """What follows each message's text: the closing quote, its name and weight if present, and '}'."""
    special = np.flatnonzero((weight[msg] >= 0) | np.isin(msg, named))
    if not len(special):
        return _text('"}')
    values = np.full(len(msg), '"}', dtype=object)
    for k in special.tolist():
        i = int(msg[k])
        tail = '"'
        if i in names:
            tail += ',"name":' + orjson.dumps(names[i]).decode()
        if weight[i] >= 0:
            tail += f',"weight":{int(weight[i])}'
        values[k] = tail + "}"
    return pa.array(values, type=pa.large_string())


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())


def _data(lines: pa.Array) -> memoryview:
    """The bytes of a string array's values, back to back (a line array's file content)."""
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset : lines.offset + len(lines) + 1]
    return memoryview(lines.buffers()[2])[int(offsets[0]) : int(offsets[-1])]

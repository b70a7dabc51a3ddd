"""Split lines built with Arrow kernels are byte for byte what orjson writes for chat_records."""

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa

from ftflow.tasks.prepare.chat_jsonl import chat_line_blocks, escaped
from ftflow.tasks.prepare.dataset import chat_records
from ftflow.tasks.prepare.records import ROLES
from ftflow.tasks.prepare.textcol import text_series

TEXTS = ["plain", 'quote " and \\ backslash', "new\nline\ttab\rreturn", "control \x01\x1f\x7f", "é 😀 \u2028",
         "", "{\"messages\":[]}", "ends with \\"]  # fmt: skip


def test_escaped_texts_are_orjson_string_bodies():
    got = escaped(pa.array(TEXTS, type=pa.large_string())).to_pylist()
    assert got == [orjson.dumps(t)[1:-1].decode() for t in TEXTS]


def test_chat_lines_equal_orjson_records():
    n_msgs = len(TEXTS) * 2
    ex = np.repeat(np.arange(len(TEXTS)), 2)
    role = np.tile([1, 2], len(TEXTS)).astype(np.int8)
    weight = np.full(n_msgs, -1, dtype=np.int8)
    weight[3], weight[5] = 0, 1
    names = {2: "ann", 6: 'b"o\\b'}
    contents = [t for text in TEXTS for t in (text, text[::-1])]
    messages = pd.DataFrame({
        "ex": ex,
        "role": pd.Categorical.from_codes(role, categories=list(ROLES)),
        "content": text_series([pa.array(contents, type=pa.large_string())]),
        "weight": pd.Series(weight, dtype="int8"),
        "name": pd.Series([names.get(i) for i in range(n_msgs)], dtype=object),
    })  # fmt: skip
    offsets = np.arange(0, n_msgs + 1, 2)
    examples = np.array([5, 0, 3, 7, 1, 2, 4, 6])
    expected = b"".join(orjson.dumps(r) + b"\n" for r in chat_records(messages, offsets, examples))
    arrow = pa.chunked_array([pa.array(contents[:5], pa.large_string()), pa.array(contents[5:], pa.large_string())])
    blocks = list(chat_line_blocks(arrow, role, weight, names, offsets, examples))
    assert b"".join(bytes(data) for data, _ in blocks) == expected
    assert sum(n for _, n in blocks) == len(examples)

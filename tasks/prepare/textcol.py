"""Text columns kept in Arrow: compact (no Python object per row) and fast to transform.

A million examples are about three million message texts; as Python strings they cost
a gigabyte more and every pass over them is a Python loop. Stages keep them as Arrow
large_string arrays and turn only the few rows a step must touch into Python strings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa


def text_array(texts: list[str]) -> pa.Array | list[str]:
    """Texts as an Arrow array; the list itself if some text cannot be UTF-8 (lone surrogates)."""
    try:
        return pa.array(texts, type=pa.large_string())
    except (UnicodeEncodeError, pa.ArrowInvalid):
        return texts


def text_series(chunks: Sequence[pa.Array | pa.ChunkedArray | list[str]]) -> pd.Series:
    """One text column from parts, Arrow-backed whenever every part is Arrow."""
    if any(isinstance(c, list) for c in chunks):
        return pd.Series([t for c in chunks for t in (c if isinstance(c, list) else c.to_pylist())], dtype=object)
    arrays = [a for c in chunks for a in (c.chunks if isinstance(c, pa.ChunkedArray) else [c])]
    return pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array(arrays, type=pa.large_string())))


def text_arrow(series: pd.Series) -> pa.ChunkedArray:
    """The Arrow array behind a text column (no copy when it is Arrow-backed)."""
    arr = pa.array(series.array, type=pa.large_string())
    return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])


def replace_rows(arr: pa.Array, mask: np.ndarray, values: pa.Array | list[str]) -> pa.Array:
    """`arr` with the rows where `mask` is set replaced by `values` (in order), in one gather."""
    replacement = values if isinstance(values, pa.Array) else pa.array(values, type=arr.type)
    index = np.arange(len(arr), dtype=np.int64)
    rows = np.flatnonzero(mask)
    index[rows] = len(arr) + np.arange(len(rows))
    out = pa.chunked_array([arr, replacement.cast(arr.type)]).take(pa.array(index))
    return out.chunk(0) if out.num_chunks == 1 else out.combine_chunks()


def replace_in_chunks(arr: pa.ChunkedArray, rows: np.ndarray, values: pa.Array) -> pa.ChunkedArray:
    """`arr` with arr[rows[i]] = values[i] (`rows` ascending), chunk by chunk: a chunk without
    changes is kept as it is, and no copy of the whole column is made at once."""
    bounds = np.cumsum([0, *(len(c) for c in arr.chunks)])
    cuts = np.searchsorted(rows, bounds)
    chunks = []
    for k, chunk in enumerate(arr.chunks):
        lo, hi = int(cuts[k]), int(cuts[k + 1])
        if lo == hi:
            chunks.append(chunk)
            continue
        mask = np.zeros(len(chunk), dtype=bool)
        mask[rows[lo:hi] - bounds[k]] = True
        chunks.append(replace_rows(chunk, mask, values.slice(lo, hi - lo)))
    return pa.chunked_array(chunks, type=arr.type)


def take_rows(arr: pa.ChunkedArray | pa.Array, rows: np.ndarray) -> pa.Array:
    """`arr[rows]` as one array, gathered chunk by chunk.

    `ChunkedArray.take` first concatenates every chunk: a copy of the whole column
    (gigabytes) for a few rows.
    """
    rows = np.asarray(rows, dtype=np.int64)
    if isinstance(arr, pa.Array):
        return arr.take(pa.array(rows))
    if arr.num_chunks == 1:
        return arr.chunk(0).take(pa.array(rows))
    if not len(rows):
        return pa.array([], type=arr.type)
    bounds = np.cumsum([0, *(len(c) for c in arr.chunks)])
    chunk_of = np.searchsorted(bounds, rows, side="right") - 1
    order = np.argsort(chunk_of, kind="stable")
    in_order = bool((order == np.arange(len(rows))).all())
    pieces = []
    for k in np.unique(chunk_of).tolist():
        mine = rows[order][chunk_of[order] == k] - bounds[k]
        pieces.append(arr.chunk(k).take(pa.array(mine)))
    gathered = pa.concat_arrays(pieces)
    if in_order:
        return gathered
    inverse = np.empty(len(rows), dtype=np.int64)
    inverse[order] = np.arange(len(rows))
    return gathered.take(pa.array(inverse))


def ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The indices starts[i], starts[i] + 1, ... (counts[i] of them) for every i, concatenated:
    e.g. the messages of some examples, from their message offsets."""
    counts = np.asarray(counts, dtype=np.int64)
    first = np.cumsum(counts) - counts
    return np.repeat(np.asarray(starts, dtype=np.int64) - first, counts) + np.arange(int(counts.sum()))

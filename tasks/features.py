"""Per-example features: the columns the quality suites in expectations/ validate.

One row per input row (`row_id` = example index). Rows with a format error have no
messages; their other features stay missing, which GX skips, so such a row is
quarantined once, as `invalid_format`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ftflow.config import PrepareConfig
from tasks import tokens
from tasks.dedup import DuplicateResult, find_duplicates
from tasks.ingest import Ingested
from tasks.records import ROLES
from tasks.truncation import detect_truncation

# No token is longer than this many characters, so a longer example is surely over the
# limit and is not tokenized (a 50 MB line would take long to encode for nothing).
MAX_CHARS_PER_TOKEN = 256


@dataclass
class Features:
    table: pd.DataFrame  # row_id + quality.FEATURE_COLUMNS
    keys: list[str | None]  # conversation key per example (None: invalid row)
    near_texts: list[str | None]  # user + assistant text per example
    duplicates: DuplicateResult
    message_tokens: np.ndarray  # content tokens per message (-1: not counted)


def _per_example(messages: pd.DataFrame, n: int) -> np.ndarray:
    """Offsets of each example's messages (messages are stored in example order)."""
    return np.searchsorted(messages["ex"].to_numpy(), np.arange(n + 1), side="left")


def _joined(values: pa.Array, offsets: np.ndarray, sep: str) -> list[str]:
    lists = pa.LargeListArray.from_arrays(pa.array(offsets, type=pa.int64()), values)
    return pc.binary_join(lists, pa.scalar(sep, pa.large_string())).to_pylist()


def build_features(ing: Ingested, cfg: PrepareConfig, pii_found: np.ndarray,
                   flagged: list[str | None] | None = None) -> Features:  # fmt: skip
    """Compute every feature; the slow parts (tokens, near duplicates) run side by side."""
    ex_table, msgs = ing.examples, ing.messages
    n = len(ex_table)
    valid = ex_table["format_error"].isna().to_numpy()
    ex = msgs["ex"].to_numpy()
    contents = pa.array(msgs["content"].tolist(), type=pa.large_string())
    lengths = pc.utf8_length(contents).to_numpy()
    role = msgs["role"].to_numpy()
    trained = (role == "assistant") & (msgs["weight"].to_numpy() != 0)

    empty_messages = np.bincount(ex[lengths == 0], minlength=n).astype(float)
    answer_chars = np.full(n, np.inf)
    np.minimum.at(answer_chars, ex[trained], lengths[trained])
    offsets = _per_example(msgs, n)
    role_arr = pa.array(role.astype(str), type=pa.large_string())
    tagged = pc.binary_join_element_wise(role_arr, contents, pa.scalar("\x1f", pa.large_string()))
    keys_arr = _joined(tagged, offsets, "\x1e")
    keys: list[str | None] = [k if ok else None for k, ok in zip(keys_arr, valid, strict=True)]
    not_system = role != "system"
    near_offsets = np.concatenate(([0], np.cumsum(np.bincount(ex[not_system], minlength=n))))
    near_arr = _joined(contents.filter(pa.array(not_system)), near_offsets, "\n")
    # Empty or too-short rows are quarantined for that; matching them as near duplicates
    # of each other ("Yes." vs "No." under one question) would only add a second reason.
    long_enough = valid & (empty_messages == 0) & (answer_chars >= cfg.quality.min_answer_chars)
    near_texts: list[str | None] = [t if ok else None for t, ok in zip(near_arr, long_enough, strict=True)]

    q = cfg.quality
    limit = tokens.example_token_limit(cfg.model)
    ex_chars = np.bincount(ex, weights=lengths, minlength=n)
    countable = valid & (empty_messages == 0) & (ex_chars <= limit * MAX_CHARS_PER_TOKEN)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # tiktoken's Rust core releases the GIL, so counting overlaps the numpy-heavy dedup.
        token_job = pool.submit(_count_message_tokens, msgs["content"], countable[ex], cfg.model)
        dups = find_duplicates(keys, near_texts, near=q.near_duplicates, threshold=q.near_duplicate_threshold,
                               seed=cfg.split.seed)  # fmt: skip
        message_tokens = token_job.result()

    # As OpenAI's cookbook counts: every value of a message is encoded (the role too), plus
    # 3 tokens per message, 1 more for a name, and 3 per example for the reply.
    role_tokens = {r: int(c) for r, c in zip(ROLES, tokens.count_tokens(list(ROLES), cfg.model), strict=True)}
    overhead = tokens.TOKENS_PER_MESSAGE + msgs["role"].astype(str).map(role_tokens).to_numpy(dtype=np.int64)
    per_message = np.where(message_tokens >= 0, message_tokens + overhead, 0)
    names = msgs["name"].notna().to_numpy()
    if names.any():
        name_tokens = tokens.count_tokens(msgs["name"][names].tolist(), cfg.model)
        per_message[names] += name_tokens + tokens.TOKENS_PER_NAME
    n_tokens = np.bincount(ex, weights=per_message, minlength=n) + tokens.TOKENS_PER_EXAMPLE
    n_tokens = np.where(countable, n_tokens, np.nan)
    n_tokens[valid & ~countable & (empty_messages == 0)] = limit + 1  # surely over: not tokenized

    signals = detect_truncation(
        [c for c, t in zip(msgs["content"], trained, strict=True) if t],
        message_tokens[trained].tolist(),
        token_limits=q.generation_limits,
    )
    truncation = pd.Series([None] * n, dtype=object)
    for e, signal in zip(ex[trained].tolist(), signals, strict=True):
        if signal is not None and truncation.iat[e] is None:
            truncation.iat[e] = signal

    def link(values: np.ndarray) -> pd.Series:
        return pd.Series(np.where(values >= 0, values, -1), dtype="Int64").mask(values < 0)

    table = pd.DataFrame({
        "row_id": np.arange(n),
        "format_error": ex_table["format_error"],
        "empty_messages": np.where(valid, empty_messages, np.nan),
        "answer_chars": np.where(valid & np.isfinite(answer_chars), answer_chars, np.nan),
        "truncation": truncation.where(valid, None),
        "duplicate_of": link(dups.duplicate_of),
        "near_duplicate_of": link(dups.near_duplicate_of),
        "n_tokens": n_tokens,
        "flagged": pd.Series(flagged if flagged is not None else [None] * n, dtype=object),
        "pii_found": np.where(valid, np.bincount(ex, weights=pii_found, minlength=n), np.nan),
    })  # fmt: skip
    return Features(
        table=table,
        keys=keys,
        near_texts=near_texts,
        duplicates=dups,
        message_tokens=message_tokens,
    )


def _count_message_tokens(contents: pd.Series, countable: np.ndarray, model: str) -> np.ndarray:
    """Content tokens of each countable message; each distinct text is encoded once."""
    out = np.full(len(contents), -1, dtype=np.int64)
    idx = np.flatnonzero(countable)
    if len(idx):
        codes, uniques = pd.factorize(contents.iloc[idx], sort=False)
        counts = tokens.count_tokens(list(uniques), model, num_threads=1)
        out[idx] = counts[codes]
    return out

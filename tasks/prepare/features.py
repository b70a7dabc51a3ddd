"""Per-example features: the columns the quality suites in expectations/ validate.

One row per input row (`row_id` = example index). Rows with a format error have no
messages; their other features stay missing, which GX skips, so such a row is
quarantined once, as `invalid_format`.

The per-row work (token counts, truncation signals, MinHash sketches, key hashes) runs
in parts on every core (tasks/prepare/feature_parts.py); what needs all rows at once (duplicate
links, the corpus vocabulary for cut words) is joined here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ftflow import tokens
from ftflow.config import PrepareConfig
from ftflow.tasks.prepare import checks, executors, parallel
from ftflow.tasks.prepare.checks import dedup, truncation, truncation_stage
from ftflow.tasks.prepare.checks.dedup import DuplicateResult
from ftflow.tasks.prepare.feature_parts import ExampleTexts, FeatureInputs, PartFeatures, part_features, slice_inputs
from ftflow.tasks.prepare.ingest import Ingested
from ftflow.tasks.prepare.records import ROLES
from ftflow.tasks.prepare.row_blocks import concat
from ftflow.tasks.prepare.textcol import take_rows, text_arrow

# No token is longer than this many characters, so a longer example is surely over the
# limit and is not tokenized (a 50 MB line would take long to encode for nothing).
MAX_CHARS_PER_TOKEN = 256
_ASSISTANT = ROLES.index("assistant")


@dataclass
class Features:
    table: pd.DataFrame  # row_id + quality.FEATURE_COLUMNS
    keys: Sequence[str | None]  # conversation key per example (None: invalid row), built on access
    near_texts: Sequence[str | None]  # user + assistant text per example, built on access
    duplicates: DuplicateResult
    message_tokens: np.ndarray  # content tokens per message (-1: not counted)
    split_units: np.ndarray | None = None  # split.hash_unit of each key with the split seed (NaN: invalid)
    truncation_details: dict[int, str] = field(default_factory=dict)  # example -> why it looks cut
    languages: dict[str, object] = field(default_factory=dict)  # manifest: sampled answers per language


def build_features(ing: Ingested, cfg: PrepareConfig, pii_found: np.ndarray,
                   flagged: list[str | None] | None = None) -> Features:  # fmt: skip
    """Compute every feature; the per-row parts run on every core."""
    ex_table, msgs = ing.examples, ing.messages
    n = len(ex_table)
    valid = ex_table["format_error"].isna().to_numpy()
    ex = msgs["ex"].to_numpy()
    contents = text_arrow(msgs["content"])
    lengths = pc.utf8_length(contents).to_numpy() if len(contents) else np.zeros(0, dtype=np.int64)
    role = msgs["role"].cat.codes.to_numpy().astype(np.int8)
    trained = (role == _ASSISTANT) & (msgs["weight"].to_numpy() != 0)

    empty_messages = np.bincount(ex[lengths == 0], minlength=n).astype(float)
    answer_chars = np.full(n, np.inf)
    np.minimum.at(answer_chars, ex[trained], lengths[trained])
    offsets = np.searchsorted(ex, np.arange(n + 1), side="left")  # messages are stored in example order
    # Empty or too-short rows are quarantined for that; matching them as near duplicates
    # of each other ("Yes." vs "No." under one question) would only add a second reason.
    q = cfg.quality
    long_enough = valid & (empty_messages == 0) & (answer_chars >= q.min_answer_chars)
    limit = tokens.example_token_limit(cfg.model)
    ex_chars = np.bincount(ex, weights=lengths, minlength=n)
    countable = valid & (empty_messages == 0) & (ex_chars <= limit * MAX_CHARS_PER_TOKEN)

    inputs = FeatureInputs(contents=contents, role=role, offsets=offsets, countable=countable[ex],
                           trained=trained, valid=valid, near=long_enough if q.near_duplicates else None,
                           model=cfg.model, limits=frozenset(q.generation_limits), seed=cfg.split.seed,
                           sample_stride=truncation.sample_stride(int(trained.sum()), truncation.SCAN_LIMIT),
                           learned=truncation_stage.learn_profiles(contents, trained))  # fmt: skip
    tokens.get_encoding(cfg.model)  # loaded once here, inherited by every part (and used here after)
    truncation.preload()
    spans = parallel.split_even(ex_chars + 1, parallel.workers_for(len(contents)))
    with parallel.no_gc():
        parts: list[PartFeatures] = executors.current().map(_span_features, inputs, spans)
        message_tokens = concat([p.tokens for p in parts], np.int64)
        keys = ExampleTexts(contents, role, offsets, valid, "key")
        near_texts = ExampleTexts(contents, role, offsets, long_enough, "near")
        finish_duplicates = _start_duplicates(parts, inputs, keys, near_texts, q.near_duplicate_threshold)
        # While other processes verify near-duplicate candidates:
        signals, trained_details = _truncation(parts, contents, trained, message_tokens, inputs)
        n_tokens = _example_tokens(msgs, message_tokens, countable, cfg.model)
        n_tokens[valid & ~countable & (empty_messages == 0)] = limit + 1  # surely over: not tokenized
        truncation_col = _first_signal(signals, ex[trained], n)
        trained_ex = ex[trained]
        details: dict[int, str] = {}
        for pos, why in sorted(trained_details.items()):
            if signals[pos] >= 0:
                details.setdefault(int(trained_ex[pos]), why)
        dups = finish_duplicates()

    def link(values: np.ndarray) -> pd.Series:
        return pd.Series(np.where(values >= 0, values, -1), dtype="Int64").mask(values < 0)

    table = pd.DataFrame({
        "row_id": np.arange(n),
        "format_error": ex_table["format_error"],
        "empty_messages": np.where(valid, empty_messages, np.nan),
        "answer_chars": np.where(valid & np.isfinite(answer_chars), answer_chars, np.nan),
        "truncation": pd.Series(truncation_col, dtype=object).where(valid, None),
        "duplicate_of": link(dups.duplicate_of),
        "near_duplicate_of": link(dups.near_duplicate_of),
        "n_tokens": n_tokens,
        "flagged": pd.Series(flagged if flagged is not None else [None] * n, dtype=object),
        "pii_found": np.where(valid, np.bincount(ex, weights=pii_found, minlength=n), np.nan),
        "ungrounded": _ungrounded(ing, n),
    })  # fmt: skip
    for column, values in checks.computed_columns(ing, cfg).items():  # checks that bring their own column
        table[column] = values.to_numpy()
    units = concat([p.units for p in parts], np.float64)
    return Features(table=table, keys=keys, near_texts=near_texts, duplicates=dups,
                    message_tokens=message_tokens, split_units=units, truncation_details=details,
                    languages=inputs.learned.summary() if inputs.learned else {})  # fmt: skip


def _ungrounded(ing: Ingested, n: int) -> pd.Series:
    """Why a pair generated from a document is not supported by its chunk (None: supported, or a table row)."""
    out = np.full(n, None, dtype=object)
    for i, why in ing.ungrounded.items():
        out[i] = why
    return pd.Series(out, dtype=object)


def _example_tokens(msgs: pd.DataFrame, message_tokens: np.ndarray, countable: np.ndarray, model: str) -> np.ndarray:
    """Tokens per example as OpenAI's cookbook counts them: every value of a message is encoded
    (the role too), plus 3 tokens per message, 1 more for a name, and 3 per example for the
    reply. NaN where not counted."""
    role = msgs["role"].cat.codes.to_numpy()
    overhead = tokens.TOKENS_PER_MESSAGE + tokens.count_tokens(list(ROLES), model)[role].astype(np.int64)
    per_message = np.where(message_tokens >= 0, message_tokens + overhead, 0)
    names = msgs["name"].notna().to_numpy()
    if names.any():
        name_tokens = tokens.count_tokens(msgs["name"][names].tolist(), model)
        per_message[names] += name_tokens + tokens.TOKENS_PER_NAME
    n = len(countable)
    n_tokens = np.bincount(msgs["ex"].to_numpy(), weights=per_message, minlength=n) + tokens.TOKENS_PER_EXAMPLE
    return np.where(countable, n_tokens, np.nan)


def _first_signal(signals: np.ndarray, example: np.ndarray, n: int) -> np.ndarray:
    """Per example: the name of the first signal among its trained answers (None if none)."""
    out = np.full(n, None, dtype=object)
    has = signals >= 0
    first_ex, first_pos = np.unique(example[has], return_index=True)  # messages are in example order
    out[first_ex] = np.asarray(truncation.TRUNCATION_SIGNALS, dtype=object)[signals[has][first_pos]]
    return out


def _start_duplicates(parts: list[PartFeatures], inputs: FeatureInputs, keys: ExampleTexts, near_texts: ExampleTexts,
                      threshold: float) -> Callable[[], DuplicateResult]:  # fmt: skip
    """Exact duplicates from the key hashes (checked against the keys), then near duplicates:
    the exact Jaccard checks start in other processes; the returned function waits for them."""
    n = len(inputs.valid)
    digests = concat([p.digests for p in parts], np.uint64)
    duplicate_of = dedup.exact_duplicates_by_digest(digests, inputs.valid, inputs.contents, inputs.role,
                                                    inputs.offsets, keys)  # fmt: skip
    later = earlier = np.empty(0, dtype=np.int64)
    if inputs.near is not None:
        sketched = np.flatnonzero(inputs.near)  # the rows the parts sketched, in order
        pick = duplicate_of[sketched] < 0
        candidates = sketched[pick]
        if len(candidates) > 1:
            band_keys = np.concatenate([p.band_keys for p in parts])[pick]
            sig = np.concatenate([p.sig for p in parts])[pick]
            later, earlier = dedup.plausible_pairs(band_keys, sig, threshold)
            later, earlier = candidates[later], candidates[earlier]
    verifying = _start_verify(later, earlier, near_texts, threshold)

    def finish() -> DuplicateResult:
        near_of = np.full(n, -1, dtype=np.int64)
        similarity = np.zeros(n, dtype=np.float64)
        for part in verifying.results():
            for i, (j, sim) in part.items():
                near_of[i], similarity[i] = j, sim
        return DuplicateResult(duplicate_of, near_of, similarity, dedup.group_links(duplicate_of, near_of))

    return finish


def _start_verify(later: np.ndarray, earlier: np.ndarray, texts: ExampleTexts,
                  threshold: float) -> executors.Pending[dict[int, tuple[int, float]]]:  # fmt: skip
    """dedup.verify_pairs with the pairs split between later rows, one part per core."""
    cuts = parallel.split_even(np.ones(len(later)), parallel.workers_for(len(later), 4_000))
    # A later row's pairs must stay in one part: move each cut to the start of its row.
    starts = {int(np.searchsorted(later, later[lo], side="left")) for lo, _ in cuts if lo < len(later)}
    spans = list(itertools.pairwise(sorted({0, len(later), *starts})))

    return executors.current().start(_verify_span, (later, earlier, texts, threshold), spans)


def _features_slice(inputs: FeatureInputs, span: tuple[int, int]) -> tuple[FeatureInputs, tuple[int, int]]:
    return slice_inputs(inputs, *span), (0, span[1] - span[0])


@executors.sliced_by(_features_slice)
def _span_features(inputs: FeatureInputs, span: tuple[int, int]) -> PartFeatures:
    return part_features(inputs, *span)


class _Known:
    """The texts one share of the pairs reads, fetched beforehand (what a remote worker is sent)."""

    def __init__(self, texts: dict[int, str | None]) -> None:
        self.texts = texts

    def many(self, rows: np.ndarray) -> dict[int, str | None]:
        return {int(r): self.texts[int(r)] for r in rows}


def _verify_slice(shared: tuple[np.ndarray, np.ndarray, ExampleTexts, float], span: tuple[int, int]
                  ) -> tuple[tuple[np.ndarray, np.ndarray, _Known, float], tuple[int, int]]:  # fmt: skip
    later, earlier, texts, threshold = shared
    lo, hi = span
    known = _Known(texts.many(np.unique(np.concatenate((later[lo:hi], earlier[lo:hi])))))
    return (later[lo:hi].copy(), earlier[lo:hi].copy(), known, threshold), (0, hi - lo)


@executors.sliced_by(_verify_slice)
def _verify_span(shared: tuple[np.ndarray, np.ndarray, ExampleTexts | _Known, float], span: tuple[int, int]
                 ) -> dict[int, tuple[int, float]]:  # fmt: skip
    later, earlier, texts, threshold = shared
    lo, hi = span
    known = texts.many(np.unique(np.concatenate((later[lo:hi], earlier[lo:hi]))))
    return dedup.verify_pairs(later[lo:hi], earlier[lo:hi], lambda i: known[i] or "", threshold)


def _truncation(parts: list[PartFeatures], contents: pa.ChunkedArray, trained: np.ndarray,
                message_tokens: np.ndarray, inputs: FeatureInputs) -> tuple[np.ndarray, dict[int, str]]:  # fmt: skip
    """Signal code per trained message (-1: none) and why; `mid_word` guesses re-checked against
    the corpus (and, if they pass, judged by the learned rules as the parts judged the others)."""
    signals = concat([p.signals for p in parts], np.int8)
    details = {k: v for p in parts for k, v in p.details.items()}
    pending = concat([p.pending for p in parts], np.int64)  # positions among the trained messages
    if len(pending):
        rows = np.flatnonzero(trained)[pending]
        texts = take_rows(contents, rows).to_pylist()
        mid_tokens = set().union(*(p.mid_tokens for p in parts))
        n_tok = message_tokens[rows].tolist()
        rechecked = truncation.recheck_mid_word(texts, n_tok, mid_tokens, inputs.limits,
                                                truncation.Vocabulary())  # fmt: skip
        codes = [truncation.signal_code(s) for s in rechecked]
        if inputs.learned is not None:
            codes, why = truncation_stage.judge_texts(texts, codes, n_tok, inputs.learned)
            details.update({int(pending[i]): w for i, w in why.items()})
        signals[pending] = codes
    return signals, details

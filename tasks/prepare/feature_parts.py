"""The per-row half of the features stage, for one contiguous range of examples.

Every value here depends only on the example itself (and fixed settings), so ranges can
be computed in separate processes and concatenated: token counts (each distinct text
encoded once), first-pass truncation signals, each conversation key's seeded hash (for
exact duplicates and the split) and the MinHash sketch of each near-duplicate text.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ftflow import tokens
from ftflow.tasks.prepare import split
from ftflow.tasks.prepare.checks import dedup, truncation, truncation_stage
from ftflow.tasks.prepare.records import ROLES
from ftflow.tasks.prepare.textcol import ranges, take_rows

_SYSTEM = ROLES.index("system")
_KEY_PREFIX = pa.array([f"{role}\x1f" for role in ROLES], type=pa.large_string())
BLOCK_MESSAGES = 100_000  # messages a part works on at once: bounds its memory


@dataclass
class FeatureInputs:
    """What every part reads (inherited by forked workers, never copied)."""

    contents: pa.ChunkedArray  # message texts
    role: np.ndarray  # int8 index into ROLES, per message
    offsets: np.ndarray  # messages of example i: offsets[i]:offsets[i + 1]
    countable: np.ndarray  # per message: count its tokens
    trained: np.ndarray  # per message: a trained assistant answer
    valid: np.ndarray  # per example: no format error
    near: np.ndarray | None  # per example: takes part in near-duplicate search (None: search is off)
    model: str
    limits: frozenset[int]  # generation limits for the token_limit signal
    seed: int
    sample_stride: int  # every how many trained messages the scan for mid-text words reads
    learned: truncation_stage.Learned | None = None  # corpus-learned truncation profiles (None: off)
    trained_base: int = 0  # trained messages before the first of these (a slice sent to a remote worker)


def slice_inputs(inputs: FeatureInputs, lo: int, hi: int) -> FeatureInputs:
    """Only what examples lo..hi-1 read (their messages' texts and flags), as compact copies: the
    partition a remote worker is sent; `part_features(slice, 0, hi - lo)` equals `part_features(inputs, lo, hi)`."""
    m_lo, m_hi = int(inputs.offsets[lo]), int(inputs.offsets[hi])
    # combined: a pickled slice of an Arrow array would carry its parent's whole buffers
    texts = inputs.contents.slice(m_lo, m_hi - m_lo).combine_chunks()
    return replace(inputs, contents=pa.chunked_array([texts], type=inputs.contents.type),
                   role=inputs.role[m_lo:m_hi].copy(), offsets=inputs.offsets[lo : hi + 1] - m_lo,
                   countable=inputs.countable[m_lo:m_hi].copy(), trained=inputs.trained[m_lo:m_hi].copy(),
                   valid=inputs.valid[lo:hi].copy(), near=None if inputs.near is None else inputs.near[lo:hi].copy(),
                   trained_base=inputs.trained_base + int(np.count_nonzero(inputs.trained[:m_lo])))  # fmt: skip


@dataclass
class PartFeatures:
    tokens: np.ndarray  # per message: content tokens (-1: not counted)
    signals: np.ndarray  # per trained message: truncation signal code (-1: none)
    pending: np.ndarray  # positions among all trained messages judged mid_word, to re-check
    mid_tokens: set[str]  # truncation.mid_text_tokens of this part's share of the sample
    digests: np.ndarray  # per example: seeded hash of its key (0 for invalid rows)
    units: np.ndarray  # per example: split.hash_unit of its key (NaN for invalid rows)
    band_keys: np.ndarray  # per sketched example: LSH band keys
    sig: np.ndarray  # per sketched example: signature high halves
    details: dict[int, str]  # position among all trained messages -> why it looks cut


class ExampleTexts(Sequence[str | None]):
    """Per example: its conversation key ("key") or user + assistant text ("near"), joined on access.

    A million of them as Python strings would cost a gigabyte; the few that are read
    (duplicate checks, a frozen test split) are built from the message texts on demand.
    """

    def __init__(self, contents: pa.ChunkedArray, role: np.ndarray, offsets: np.ndarray, mask: np.ndarray,
                 kind: str) -> None:  # fmt: skip
        self.contents, self.role, self.offsets, self.mask, self.kind = contents, role, offsets, mask, kind

    def __len__(self) -> int:
        return len(self.mask)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if not self.mask[i]:
            return None
        lo, hi = int(self.offsets[i]), int(self.offsets[i + 1])
        texts = self.contents.slice(lo, hi - lo).to_pylist()
        return join_example(texts, self.role[lo:hi], self.kind)

    def many(self, rows: np.ndarray) -> dict[int, str | None]:
        """The texts of many rows at once (Arrow kernels, not one slice per row)."""
        rows = np.asarray(rows, dtype=np.int64)
        counts = self.offsets[rows + 1] - self.offsets[rows]
        msg = ranges(self.offsets[rows], counts)
        local = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        joined = join_examples(take_rows(self.contents, msg), self.role[msg], local, self.kind).to_pylist()
        return {int(r): t if self.mask[r] else None for r, t in zip(rows.tolist(), joined, strict=True)}


def join_example(texts: Sequence[str], roles: Sequence[int] | np.ndarray, kind: str) -> str:
    """The example's key (as split.conversation_key) or its non-system texts joined by newlines."""
    if kind == "key":
        return split.conversation_key([(ROLES[r], t) for r, t in zip(roles, texts, strict=True)])
    return "\n".join(t for r, t in zip(roles, texts, strict=True) if r != _SYSTEM)


def join_examples(texts: pa.Array, role: np.ndarray, offsets: np.ndarray, kind: str) -> pa.Array:
    """`join_example` for every example at once (`offsets` from 0), with Arrow kernels."""
    if kind == "key":
        tagged = pc.binary_join_element_wise(_KEY_PREFIX.take(pa.array(role)), texts, _text(""))
        return pc.binary_join(pa.LargeListArray.from_arrays(pa.array(offsets, pa.int64()), tagged), _text("\x1e"))
    keep = role != _SYSTEM
    example = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
    near_offsets = np.concatenate(([0], np.cumsum(np.bincount(example[keep], minlength=len(offsets) - 1))))
    lists = pa.LargeListArray.from_arrays(pa.array(near_offsets, pa.int64()), texts.filter(pa.array(keep)))
    return pc.binary_join(lists, _text("\n"))


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())


def part_features(inputs: FeatureInputs, lo: int, hi: int) -> PartFeatures:
    """Features of examples lo..hi-1, a block of about BLOCK_MESSAGES messages at a time.

    Blocks bound the temporaries (joined keys and texts, word lists, Python strings) to
    a few tens of MB whatever the part's size; the caches of token counts per word and
    of known words carry over from block to block.
    """
    vocabulary = truncation.Vocabulary()
    known_tokens: dict[str, int] = {}
    blocks = [_block_features(inputs, a, b, vocabulary, known_tokens)
              for a, b in itertools.pairwise(_block_cuts(inputs.offsets, lo, hi))]  # fmt: skip
    return PartFeatures(
        tokens=np.concatenate([b.tokens for b in blocks]),
        signals=np.concatenate([b.signals for b in blocks]),
        pending=np.concatenate([b.pending for b in blocks]),
        mid_tokens=set().union(*(b.mid_tokens for b in blocks)),
        digests=np.concatenate([b.digests for b in blocks]),
        units=np.concatenate([b.units for b in blocks]),
        band_keys=np.concatenate([b.band_keys for b in blocks]),
        sig=np.concatenate([b.sig for b in blocks]),
        details={k: v for b in blocks for k, v in b.details.items()},
    )


def _block_cuts(offsets: np.ndarray, lo: int, hi: int) -> list[int]:
    """Example boundaries lo = c0 < c1 < ... = hi, about BLOCK_MESSAGES messages apart."""
    targets = np.arange(int(offsets[lo]), int(offsets[hi]), BLOCK_MESSAGES)
    cuts = np.searchsorted(offsets[lo : hi + 1], targets, side="left") + lo
    return sorted({lo, hi, *cuts.tolist()})


def _block_features(inputs: FeatureInputs, lo: int, hi: int, vocabulary: truncation.Vocabulary,
                    known_tokens: dict[str, int]) -> PartFeatures:  # fmt: skip
    m_lo, m_hi = int(inputs.offsets[lo]), int(inputs.offsets[hi])
    chunk = inputs.contents.slice(m_lo, m_hi - m_lo)
    counts = _count_tokens(chunk, inputs.countable[m_lo:m_hi], inputs.model, known_tokens)
    role = inputs.role[m_lo:m_hi]

    trained = np.flatnonzero(inputs.trained[m_lo:m_hi])
    texts: list[str] = take_rows(chunk, trained).to_pylist()
    n_tok = counts[trained].tolist()
    signals, pending = truncation.first_pass(texts, n_tok, inputs.limits, vocabulary)
    trained_before = inputs.trained_base + int(np.count_nonzero(inputs.trained[:m_lo]))
    codes = [truncation.signal_code(s) for s in signals]
    details: dict[int, str] = {}
    if inputs.learned is not None:
        # mid_word guesses are re-checked against the corpus later, in the main process.
        mid = truncation.signal_code("mid_word")
        keep = [i for i, c in enumerate(codes) if c != mid]
        new, why = truncation_stage.judge_texts([texts[i] for i in keep], [codes[i] for i in keep],
                                                [n_tok[i] for i in keep], inputs.learned)  # fmt: skip
        for j, i in enumerate(keep):
            codes[i] = new[j]
        details = {trained_before + keep[j]: w for j, w in why.items()}
    first = (-trained_before) % inputs.sample_stride  # the first of this block's trained messages in the sample
    mid_tokens = truncation.mid_text_tokens(texts[first :: inputs.sample_stride])
    del texts

    offsets = inputs.offsets[lo : hi + 1] - m_lo
    flat = chunk.combine_chunks() if chunk.num_chunks != 1 else chunk.chunk(0)
    valid = np.flatnonzero(inputs.valid[lo:hi])
    keys = take_rows(join_examples(flat, role, offsets, "key").cast(pa.large_binary()), valid).to_pylist()
    digests = np.zeros(hi - lo, dtype=np.uint64)
    digests[valid] = [split.digest_bytes(k, inputs.seed) for k in keys]
    units = np.full(hi - lo, np.nan)
    units[valid] = [int(h) / 2.0**64 for h in digests[valid].tolist()]  # exactly split.hash_unit
    del keys
    near = np.flatnonzero(inputs.near[lo:hi]) if inputs.near is not None else np.empty(0, dtype=np.int64)
    near_texts = take_rows(join_examples(flat, role, offsets, "near"), near)
    band_keys, sig = dedup.sketch(near_texts, dedup.minhash_params(inputs.seed))
    return PartFeatures(tokens=counts, signals=np.asarray(codes, dtype=np.int8),
                        pending=np.asarray(pending, dtype=np.int64) + trained_before, mid_tokens=mid_tokens,
                        digests=digests, units=units,
                        band_keys=band_keys, sig=sig, details=details)  # fmt: skip


def _count_tokens(texts: pa.ChunkedArray, countable: np.ndarray, model: str, known: dict[str, int]) -> np.ndarray:
    """Content tokens of each countable text (-1 for the others)."""
    out = np.full(len(texts), -1, dtype=np.int64)
    rows = np.flatnonzero(countable)
    if len(rows) == len(texts):
        out[:] = tokens.count_tokens_arrow(texts.combine_chunks(), model, known)
    elif len(rows):
        out[rows] = tokens.count_tokens_arrow(take_rows(texts, rows), model, known)
    return out

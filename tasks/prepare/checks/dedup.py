"""Duplicates and near duplicates; the first occurrence is kept, later ones are quarantined.

Exact duplicates: the same normalized conversation (roles and contents).
Near duplicates: case, whitespace and punctuation variants and small word edits. Each
example's user and assistant text is reduced to lower-case words; MinHash over word
bigrams, computed with numpy for whole chunks of examples at once, proposes candidate
pairs through LSH bands; every candidate is then verified with the exact bigram
Jaccard similarity, so the sketch only affects recall, never precision.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ftflow.tasks.prepare.textcol import ranges, take_rows

NUM_PERM = 32
BANDS = 8  # 8 bands of 4 rows: pairs at Jaccard 0.8 become candidates with p ≈ 0.99
ROWS = NUM_PERM // BANDS
CHUNK = 50_000  # examples per vectorized chunk: bounds the temporary arrays
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
# Punctuation, symbols and every non-ASCII whitespace (Unicode White_Space and what Arrow's
# utf8 split also takes, \x1c-\x1f): replaced by a space, the words split at ASCII whitespace
# are those of utf8_split_whitespace, at half its cost.
PUNCTUATION = r"[\p{P}\p{S}\x1c-\x1f\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+"
# The sketch reads at most this much of each text; candidates are verified on all of it.
SKETCH_CHARS = 512
ESTIMATE_MARGIN = 0.25
_WORD_PY = re.compile(r"[^\W_]+")


@dataclass
class DuplicateResult:
    duplicate_of: np.ndarray  # per example: index of the first identical example, or -1
    near_duplicate_of: np.ndarray  # per example: earliest verified near duplicate, or -1
    similarity: np.ndarray  # Jaccard similarity to `near_duplicate_of` (0 when none)
    group: np.ndarray  # representative example of each example's (near-)duplicate group


def exact_duplicates(keys: Sequence[str | None]) -> np.ndarray:
    """Index of the first example with the same key, -1 for first occurrences and None keys."""
    codes, _ = pd.factorize(pd.Series(keys, dtype=object), use_na_sentinel=True)
    first = np.full(codes.max() + 1 if len(codes) else 0, -1, dtype=np.int64)
    order = np.arange(len(codes))
    valid = codes >= 0
    # The first index of each code: assign in reverse so the earliest write wins.
    first[codes[valid][::-1]] = order[valid][::-1]
    out = np.where(valid, first[np.where(valid, codes, 0)], -1)
    out[out == order] = -1
    return out


def exact_duplicates_by_digest(digests: np.ndarray, valid: np.ndarray, contents: pa.ChunkedArray, role: np.ndarray,
                               offsets: np.ndarray, keys: Sequence[str | None]) -> np.ndarray:  # fmt: skip
    """`exact_duplicates(keys)` from each valid row's 64-bit key hash, without the keys themselves.

    Rows with equal hashes are confirmed message by message (roles and texts); should
    two different keys ever share a hash, the answer comes from the keys after all.
    """
    out = np.full(len(valid), -1, dtype=np.int64)
    rows = np.flatnonzero(valid)
    if not len(rows):
        return out
    codes, _ = pd.factorize(digests[rows])
    first = np.empty(codes.max() + 1, dtype=np.int64)
    first[codes[::-1]] = rows[::-1]  # the earliest row of each hash wins
    later = first[codes] != rows
    dup, orig = rows[later], first[codes][later]
    same = _same_messages(dup, orig, contents, role, offsets)
    if not all(keys[a] == keys[b] for a, b in zip(dup[~same].tolist(), orig[~same].tolist(), strict=True)):
        return exact_duplicates(keys)  # a hash collision
    out[dup] = orig
    return out


def _same_messages(a: np.ndarray, b: np.ndarray, contents: pa.ChunkedArray, role: np.ndarray,
                   offsets: np.ndarray) -> np.ndarray:  # fmt: skip
    """Per pair: examples a[k] and b[k] have the same roles and texts, message by message."""
    n_a, n_b = offsets[a + 1] - offsets[a], offsets[b + 1] - offsets[b]
    same = n_a == n_b
    k = np.flatnonzero(same)
    lens = n_a[k]
    pair = np.repeat(np.arange(len(k)), lens)
    ma, mb = ranges(offsets[a[k]], lens), ranges(offsets[b[k]], lens)
    if len(ma):
        texts_equal = pc.equal(take_rows(contents, ma), take_rows(contents, mb)).to_numpy(zero_copy_only=False)
        mismatches = np.bincount(pair, weights=~((role[ma] == role[mb]) & texts_equal), minlength=len(k))
        same[k] = mismatches == 0
    return same


def canonical_words(texts: Sequence[str] | pa.Array, max_chars: int | None = None) -> tuple[pa.Array, np.ndarray]:
    """Lower-case words without punctuation, flattened, and each document's word offsets.

    "Hello,  WORLD!" and "hello world" give the same words.
    """
    arr = texts if isinstance(texts, pa.Array) else pa.array(texts, type=pa.large_string())
    if max_chars is not None:
        arr = pc.utf8_slice_codeunits(arr, 0, max_chars)
    arr = pc.replace_substring_regex(pc.utf8_lower(arr), PUNCTUATION, " ")
    words = pc.ascii_split_whitespace(pc.ascii_trim_whitespace(arr))  # trimmed: no empty words at the ends
    offsets = words.offsets.to_numpy()
    return pc.list_flatten(words), offsets - offsets[0]


def word_hashes(flat: pa.Array) -> np.ndarray:
    """Stable 64-bit hash of every word: each distinct word is hashed once."""
    encoded = pc.dictionary_encode(flat)
    vocab_hash = pd.util.hash_array(np.asarray(encoded.dictionary.to_pylist(), dtype=object))
    return vocab_hash[encoded.indices.to_numpy(zero_copy_only=False)]


def _shingles(word_hash: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Word bigram hashes and, per document, the start of its shingles; one-word docs use the word."""
    n_words = np.diff(offsets)
    is_last = np.zeros(len(word_hash), dtype=bool)
    is_last[offsets[1:][n_words > 0] - 1] = True
    nxt = np.empty_like(word_hash)
    nxt[:-1] = word_hash[1:]
    if len(word_hash):
        nxt[-1] = 0
    with np.errstate(over="ignore"):
        bigram = (word_hash * np.uint64(0x9E3779B97F4A7C15)) ^ nxt
    single = n_words == 1
    keep = ~is_last
    keep[offsets[:-1][single]] = True  # a one-word doc keeps its only word
    bigram[offsets[:-1][single]] = word_hash[offsets[:-1][single]]
    counts = np.where(single, 1, np.maximum(n_words - 1, 0))
    starts = np.concatenate(([0], np.cumsum(counts)))
    return bigram[keep], starts


def _minhash(shingles: np.ndarray, starts: np.ndarray, params: np.ndarray) -> np.ndarray:
    """(docs, NUM_PERM) signature; docs without shingles get all-max rows."""
    n_docs = len(starts) - 1
    sig = np.full((n_docs, NUM_PERM), _MASK64, dtype=np.uint64)
    nonempty = np.diff(starts) > 0
    if not nonempty.any():
        return sig
    seg = starts[:-1][nonempty]
    # Templated text repeats its bigrams (~4 % are distinct in 50k docs): hash each distinct one.
    codes, distinct = pd.factorize(shingles)
    with np.errstate(over="ignore"):
        for k, (a, b) in enumerate(params):
            h = distinct * a + b
            h ^= h >> np.uint64(31)
            sig[nonempty, k] = np.minimum.reduceat(h[codes], seg)
    return sig


def _band_keys(sig: np.ndarray) -> np.ndarray:
    """(docs, BANDS) keys, each mixing the band's ROWS minhash values."""
    with np.errstate(over="ignore"):
        parts = sig.reshape(len(sig), BANDS, ROWS)
        key = np.zeros((len(sig), BANDS), dtype=np.uint64)
        for r in range(ROWS):
            key = (key * np.uint64(0x100000001B3)) ^ parts[:, :, r]
    return key


def _bigram_set(text: str) -> set[tuple[str, str]] | set[str]:
    words = _WORD_PY.findall(text.lower())
    return set(itertools.pairwise(words)) if len(words) > 1 else set(words)


def jaccard(a: str, b: str) -> float:
    """Exact word-bigram Jaccard similarity, the measure the threshold refers to."""
    return _jaccard_sets(_bigram_set(a), _bigram_set(b))


def _jaccard_sets(sa: set[Any], sb: set[Any]) -> float:
    if not sa and not sb:
        return 1.0
    inter = len(sa & sb)
    return inter / (len(sa) + len(sb) - inter)


def minhash_params(seed: int) -> np.ndarray:
    """The (NUM_PERM, 2) multipliers and offsets of the MinHash family for `seed`."""
    rng = np.random.default_rng(seed)
    return rng.integers(1, 2**63, size=(NUM_PERM, 2), dtype=np.uint64) | np.uint64(1)


def sketch(texts: Sequence[str] | pa.Array, params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per text: LSH band keys (n, BANDS) and the signature's high halves (n, NUM_PERM, uint32).

    Each text's sketch depends on that text alone, so parts of a corpus can be sketched apart.
    """
    sig = np.empty((len(texts), NUM_PERM), dtype=np.uint32)  # high halves: 128 MB per 1M
    keys = np.empty((len(texts), BANDS), dtype=np.uint64)
    for lo in range(0, len(texts), CHUNK):
        flat, offsets = canonical_words(texts[lo : lo + CHUNK], SKETCH_CHARS)
        full = _minhash(*_shingles(word_hashes(flat), offsets), params)
        keys[lo : lo + len(full)] = _band_keys(full)
        sig[lo : lo + len(full)] = (full >> np.uint64(32)).astype(np.uint32)
    return keys, sig


def plausible_pairs(keys: np.ndarray, sig: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """(later, earlier) positions worth the exact check, sorted by later then earlier.

    Shared template phrases make many weak candidates; the signature's agreement estimates
    their Jaccard (sd <= 0.09 with 32 values), and only pairs within about 3 sd of the
    threshold pay for the exact check.
    """
    later, earlier = _candidate_pairs(keys)
    estimate = (sig[later] == sig[earlier]).mean(axis=1)
    plausible = estimate >= threshold - ESTIMATE_MARGIN
    return later[plausible], earlier[plausible]


def verify_pairs(later: np.ndarray, earlier: np.ndarray, text_of: Callable[[int], str],
                 threshold: float) -> dict[int, tuple[int, float]]:  # fmt: skip
    """For each `later` row, its earliest `earlier` row at exact Jaccard >= threshold, and the similarity.

    Pairs must come sorted by (later, earlier); rows are independent, so a caller may
    split the pairs between `later` rows and verify the parts apart.
    """
    found: dict[int, tuple[int, float]] = {}
    bigrams: dict[int, set[Any]] = {}
    # A row's bigram set is dropped after the last pair that needs it: kept for every row, the
    # sets of 100k candidates cost over a gigabyte.
    last_use = _last_use(later, earlier)

    def bigram_set(row: int) -> set[Any]:
        if row not in bigrams:
            bigrams[row] = _bigram_set(text_of(row))
        return bigrams[row]

    for k, (i, j) in enumerate(zip(later.tolist(), earlier.tolist(), strict=True)):
        if i not in found:  # else an earlier match already won
            sim = _jaccard_sets(bigram_set(i), bigram_set(j))
            if sim >= threshold:
                found[i] = (j, sim)
        for row in (i, j):
            if last_use[row] == k:
                bigrams.pop(row, None)
    return found


def _last_use(later: np.ndarray, earlier: np.ndarray) -> dict[int, int]:
    """Per row in either column: the index of the last pair it appears in."""
    rows = np.concatenate((later, earlier))
    pair = np.tile(np.arange(len(later)), 2)
    order = np.lexsort((pair, rows))  # by row, then pair
    last = np.r_[rows[order][1:] != rows[order][:-1], True] if len(rows) else np.zeros(0, dtype=bool)
    return dict(zip(rows[order][last].tolist(), pair[order][last].tolist(), strict=True))


def find_duplicates(exact_keys: Sequence[str | None], texts: Sequence[str | None], *,
                    near: bool = True, threshold: float = 0.7, seed: int = 0) -> DuplicateResult:  # fmt: skip
    """Exact duplicates by key, near duplicates by text; None marks an example to skip."""
    n = len(texts)
    duplicate_of = exact_duplicates(exact_keys)
    near_of = np.full(n, -1, dtype=np.int64)
    similarity = np.zeros(n, dtype=np.float64)
    candidates = np.flatnonzero((duplicate_of < 0) & pd.notna(pd.Series(texts, dtype=object)).to_numpy())
    if near and len(candidates) > 1:
        keys, sig = sketch([texts[i] or "" for i in candidates.tolist()], minhash_params(seed))
        later, earlier = plausible_pairs(keys, sig, threshold)
        found = verify_pairs(candidates[later], candidates[earlier], lambda i: texts[i] or "", threshold)
        for i, (j, sim) in found.items():
            near_of[i], similarity[i] = j, sim
    return DuplicateResult(duplicate_of, near_of, similarity, group_links(duplicate_of, near_of))


def _candidate_pairs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(later, earlier) positions sharing a band key with the bucket's first member, sorted."""
    n = len(keys)
    order = np.arange(n)
    found = []
    for band in range(keys.shape[1]):
        codes, _ = pd.factorize(keys[:, band])
        first = np.full(codes.max() + 1, n, dtype=np.int64)
        np.minimum.at(first, codes, order)
        later = np.flatnonzero(first[codes] != order)
        found.append(later * n + first[codes[later]])
    pairs = np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    return pairs // n, pairs % n


def group_links(duplicate_of: np.ndarray, near_of: np.ndarray) -> np.ndarray:
    """Follow links to the earliest example; links always point backwards, so one pass works."""
    group = np.arange(len(duplicate_of))
    link = np.where(duplicate_of >= 0, duplicate_of, near_of)
    for i in np.flatnonzero(link >= 0).tolist():
        group[i] = group[link[i]]
    return group

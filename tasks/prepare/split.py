"""Split: deterministic, seeded, and stable as the data grows.

Each kept example goes to train, validation or test by a seeded hash of its content,
so the same example always lands in the same split whatever else is in the data.
Near duplicates never straddle splits: only the first of a group is kept. Examples of
a previous dataset's test split (and near duplicates of them) stay in test, so the
test set never leaks into training when ratios or seeds change.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import orjson
import xxhash

from ftflow.config import PrepareConfig, SplitConfig
from ftflow.errors import ConfigError
from ftflow.tasks.prepare.checks.dedup import find_duplicates

SPLITS = ("train", "validation", "test")
_TRAIN, _VALIDATION, _TEST = range(3)


def key_digest(key: str, seed: int) -> int:
    """The key's seeded 64-bit hash."""
    return digest_bytes(key.encode("utf-8", "surrogatepass"), seed)


def digest_bytes(key: bytes, seed: int) -> int:
    """`key_digest` of a key already encoded."""
    return xxhash.xxh64_intdigest(key, seed=seed)


def hash_unit(key: str, seed: int) -> float:
    """A uniform number in [0, 1) from the key and seed."""
    return key_digest(key, seed) / 2.0**64


def assign_splits(keys: Sequence[str], cfg: SplitConfig) -> np.ndarray:
    """0/1/2 (train/validation/test) for each key."""
    return assign_units(np.fromiter((hash_unit(k, cfg.seed) for k in keys), dtype=np.float64, count=len(keys)), cfg)


def assign_units(u: np.ndarray, cfg: SplitConfig) -> np.ndarray:
    """0/1/2 (train/validation/test) for each key's `hash_unit`."""
    out = np.full(len(u), _TEST, dtype=np.int8)
    out[u < cfg.train + cfg.validation] = _VALIDATION
    out[u < cfg.train] = _TRAIN
    return out


def group_units(units: np.ndarray, groups: dict[int, str], seed: int) -> np.ndarray:
    """`units` with each grouped example's unit drawn from its group key instead (pairs generated
    from one document chunk share it), so a group lands in one split and the test set never
    sees its own source in training."""
    if not groups:
        return units
    out = units.copy()
    for i, key in groups.items():
        out[i] = hash_unit(key, seed)
    return out


def conversation_key(messages: Sequence[tuple[str, str]]) -> str:
    """The text that identifies an example: roles and normalized contents."""
    return "\x1e".join(f"{role}\x1f{content}" for role, content in messages)


def load_frozen_test(path: str | Path) -> list[list[tuple[str, str]]]:
    """(role, content) lists of a previous test split: a dataset directory or its test.jsonl."""
    given = path = Path(path)
    if path.is_dir():
        path = path / "test.jsonl"
    if not path.is_file():
        what = "has no test.jsonl" if given.is_dir() else "no such file"
        raise ConfigError(
            f"prepare.split.frozen_test {given}: {what} (name a prepared dataset's folder or its test.jsonl)"
        )
    out = []
    try:
        with path.open("rb") as f:
            for number, line in enumerate(f, 1):
                if line.strip():
                    out.append(_frozen_example(path, number, line))
    except OSError as exc:
        raise ConfigError(f"prepare.split.frozen_test {path}: cannot read ({exc.strerror or exc})") from None
    return out


def _frozen_example(path: Path, number: int, line: bytes) -> list[tuple[str, str]]:
    try:
        messages = orjson.loads(line)["messages"]
        return [(str(m["role"]), str(m["content"])) for m in messages]
    except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
        raise ConfigError(f"prepare.split.frozen_test {path} line {number}: not a chat example of a prepared "
                          f"dataset ({type(exc).__name__}: {exc})") from None  # fmt: skip


def pin_to_frozen_test(splits: np.ndarray, keys: Sequence[str], texts: Sequence[str],
                       frozen: list[list[tuple[str, str]]], threshold: float) -> int:  # fmt: skip
    """Move examples equal or near-equal to a previous test example into test; returns how many moved."""
    if not frozen:
        return 0
    frozen_keys = [conversation_key(m) for m in frozen]
    frozen_texts = ["\n".join(c for r, c in m if r != "system") for m in frozen]
    n_frozen = len(frozen)
    result = find_duplicates([*frozen_keys, *keys], [*frozen_texts, *texts], threshold=threshold)
    pinned = (result.group[n_frozen:] < n_frozen) & (splits != _TEST)
    splits[pinned] = _TEST
    return int(pinned.sum())


def split_examples(kept: np.ndarray, keys: Sequence[str | None], near_texts: Sequence[str | None],
                   cfg: PrepareConfig, units: np.ndarray | None = None) -> tuple[dict[str, np.ndarray], int]:  # fmt: skip
    """The split stage: example indices per split, and how many were pinned to test.

    `units`: each example's `hash_unit` with the split seed, when already computed (features).
    """
    if units is not None:
        assignment = assign_units(units[kept], cfg.split)
    else:
        assignment = assign_splits([keys[i] or "" for i in kept], cfg.split)
    pinned = 0
    if cfg.split.frozen_test:
        kept_keys = [keys[i] or "" for i in kept]
        frozen = load_frozen_test(cfg.split.frozen_test)
        texts = [near_texts[i] or "" for i in kept]
        pinned = pin_to_frozen_test(assignment, kept_keys, texts, frozen, cfg.quality.near_duplicate_threshold)
    return {name: kept[assignment == i] for i, name in enumerate(SPLITS)}, pinned

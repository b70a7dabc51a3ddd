"""The data files of a prepared dataset: the three splits and the quarantine.

At a million rows writing is seconds of work, so the files are shared between two
processes (train in one; validation, test and quarantine in the other), each writing
and hashing whole files. Split lines come straight from the Arrow columns
(tasks/chat_jsonl.py); quarantine rows are few enough to build one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ftflow.config import PrepareConfig
from tasks import dataset, parallel, pii_national, tokens
from tasks.chat_jsonl import chat_line_blocks
from tasks.features import Features
from tasks.ingest import Ingested
from tasks.textcol import text_arrow

QUARANTINE_BATCH = 1024  # records per write: one write and hash update per batch, not per line


def write_data_files(out: Path, ing: Ingested, feats: Features, reasons: dict[int, list[str]],
                     by_split: dict[str, np.ndarray] | None, cfg: PrepareConfig) -> dict[str, dict[str, Any]]:  # fmt: skip
    """Write quarantine.jsonl and, unless `by_split` is None (refused), the split files; their line
    counts, sizes and sha256. Without splits, stale split files are removed."""
    n = len(ing.examples)
    offsets = np.searchsorted(ing.messages["ex"].to_numpy(), np.arange(n + 1), side="left")
    jobs: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("quarantine.jsonl", lambda: dataset.write_blocks(out / "quarantine.jsonl",
                                                          _quarantine_blocks(ing, feats, reasons, cfg))),
    ]  # fmt: skip
    for name, idx in (by_split or {}).items():
        path = out / f"{name}.jsonl"
        jobs.append((path.name, partial(_write_split, path, ing.messages, offsets, idx)))
    if by_split is None:
        for name in ("train", "validation", "test"):
            (out / f"{name}.jsonl").unlink(missing_ok=True)  # no stale split may pass for this run's result
    # train (the biggest) alone; the others together.
    groups = [[j for j in jobs if j[0] == "train.jsonl"], [j for j in jobs if j[0] != "train.jsonl"]]
    groups = [g for g in groups if g]
    if parallel.workers_for(n) < 2:
        groups = [[j for g in groups for j in g]]
    results = parallel.fork_map(lambda group: {name: job() for name, job in group}, groups)
    return {name: info for part in results for name, info in part.items()}


def _write_split(path: Path, msgs: pd.DataFrame, offsets: np.ndarray, examples: np.ndarray) -> dict[str, Any]:
    """One split file; from the Arrow columns when the texts are Arrow-backed (always, but for lone surrogates)."""
    if not isinstance(msgs["content"].dtype, pd.ArrowDtype):
        return dataset.write_jsonl(path, dataset.chat_records(msgs, offsets, examples))
    names = msgs["name"]
    named = np.flatnonzero(names.notna().to_numpy())
    blocks = chat_line_blocks(text_arrow(msgs["content"]), msgs["role"].cat.codes.to_numpy(), msgs["weight"].to_numpy(),
                              dict(zip(named.tolist(), names.iloc[named].tolist(), strict=True)), offsets, examples)  # fmt: skip
    return dataset.write_blocks(path, blocks)


def _quarantine_blocks(ing: Ingested, feats: Features, reasons: dict[int, list[str]],
                       cfg: PrepareConfig) -> Iterator[tuple[bytes, int]]:  # fmt: skip
    """(bytes, lines) blocks of quarantine.jsonl."""
    batch: list[bytes] = []
    for record in _quarantine_records(ing, feats, reasons, cfg):
        batch.append(dataset.json_line(record))
        if len(batch) == QUARANTINE_BATCH:
            yield b"".join(batch), len(batch)
            batch = []
    if batch:
        yield b"".join(batch), len(batch)


def _quarantine_records(ing: Ingested, feats: Features, reasons: dict[int, list[str]], cfg: PrepareConfig):
    files = ing.files
    order = sorted(reasons)
    picked = np.asarray(order, dtype=np.int64)
    # Only the quarantined rows' values, as plain Python lists (a pandas lookup per cell is slow).
    cols = ("format_error", "empty_messages", "answer_chars", "truncation", "duplicate_of", "near_duplicate_of",
            "n_tokens", "pii_found", "flagged")  # fmt: skip
    values = {c: dict(zip(order, feats.table[c].iloc[picked].tolist(), strict=True)) for c in cols}
    where = ing.examples["where"].to_numpy()
    file_idx = ing.examples["file"].to_numpy()
    rows = ing.examples["row"].to_numpy()
    similarity = feats.duplicates.similarity
    limit = tokens.example_token_limit(cfg.model)

    def place(i: int) -> str:
        return f"{files[int(file_idx[i])].path} {where[i]}"

    def detail(i: int, reason: str) -> str:
        def v(column: str) -> Any:
            return values[column][i]

        match reason:
            case "invalid_format":
                return str(v("format_error"))
            case "empty":
                return f"{int(v('empty_messages'))} message(s) with no text"
            case "too_short":
                return f"answer has {int(v('answer_chars'))} characters, minimum {cfg.quality.min_answer_chars}"
            case "truncated":
                why = feats.truncation_details.get(i)
                return f"answer looks cut off: {v('truncation')}" + (f": {why}" if why else "")
            case "duplicate":
                return f"same as {place(int(v('duplicate_of')))}"
            case "near_duplicate":
                return f"near duplicate of {place(int(v('near_duplicate_of')))} (similarity {similarity[i]:.2f})"
            case "too_long":
                return f"{int(v('n_tokens'))} tokens, over the {limit}-token limit of {cfg.model}"
            case "pii":
                return f"{int(v('pii_found'))} personal data match(es)"
            case "flagged_content":
                return f"moderation flagged: {v('flagged')}"
        return reason

    redact_original = cfg.quality.quarantine_pii == "redact"
    for i in order:
        original = ing.original(i)
        if redact_original:
            original = _redacted(original, cfg.quality.pii_regions)
        yield {
            "file": files[int(file_idx[i])].path,
            "row": int(rows[i]),
            "where": where[i],
            "reasons": reasons[i],
            "details": {r: detail(i, r) for r in reasons[i]},
            "original": original,
        }


def _redacted(original: Any, regions: list[str]) -> Any:
    """The raw line (or the row's cells) with personal data replaced, for quarantine_pii: redact."""
    if isinstance(original, str):
        return pii_national.redact(original, regions=regions).text
    if isinstance(original, dict):
        return {k: _redacted(v, regions) for k, v in original.items()}
    if isinstance(original, list):
        return [_redacted(v, regions) for v in original]
    return original

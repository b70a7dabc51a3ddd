"""The data files of a prepared dataset: the three splits and the quarantine.

At a million rows writing is seconds of work, so the files are shared between two
processes (train in one; validation, test and quarantine in the other), each writing
and hashing whole files. Split lines come straight from the Arrow columns
(tasks/prepare/chat_jsonl.py); quarantine rows are few enough to build one by one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ftflow import tokens
from ftflow.config import PrepareConfig
from ftflow.tasks.prepare import checks, dataset, executors, parallel, pii_national
from ftflow.tasks.prepare.chat_jsonl import chat_line_blocks
from ftflow.tasks.prepare.features import Features
from ftflow.tasks.prepare.ingest import Ingested
from ftflow.tasks.prepare.textcol import text_arrow

QUARANTINE_BATCH = 1024  # records per write: one write and hash update per batch, not per line


def write_data_files(out: Path, ing: Ingested, feats: Features, reasons: dict[int, list[str]],
                     by_split: dict[str, np.ndarray] | None, cfg: PrepareConfig) -> dict[str, dict[str, Any]]:  # fmt: skip
    """Write quarantine.jsonl and, unless `by_split` is None (refused), the split files; their line
    counts, sizes and sha256. Without splits, stale split files are removed."""
    n = len(ing.examples)
    offsets = np.searchsorted(ing.messages["ex"].to_numpy(), np.arange(n + 1), side="left")
    jobs = ["quarantine.jsonl", *(f"{name}.jsonl" for name in (by_split or {}))]
    if by_split is None:
        for name in ("train", "validation", "test"):
            (out / f"{name}.jsonl").unlink(missing_ok=True)  # no stale split may pass for this run's result
    # train (the biggest) alone; the others together.
    groups = [[j for j in jobs if j == "train.jsonl"], [j for j in jobs if j != "train.jsonl"]]
    groups = [g for g in groups if g]
    if parallel.workers_for(n) < 2:
        groups = [[j for g in groups for j in g]]
    shared = _WriteInputs(out, ing, feats, reasons, by_split or {}, cfg, offsets)
    results = executors.current().map(_write_files, shared, groups)
    return {name: info for part in results for name, info in part.items()}


@dataclass
class _WriteInputs:
    out: Path
    ing: Ingested
    feats: Features
    reasons: dict[int, list[str]]
    by_split: dict[str, np.ndarray]
    cfg: PrepareConfig
    offsets: np.ndarray


@executors.on_client  # writes this run's output folder
def _write_files(shared: _WriteInputs, names: list[str]) -> dict[str, dict[str, Any]]:
    """Write one group of output files (a partition of the write step)."""
    s, written = shared, {}
    for name in names:
        if name == "quarantine.jsonl":
            blocks = _quarantine_blocks(s.ing, s.feats, s.reasons, s.cfg)
            written[name] = dataset.write_blocks(s.out / name, blocks)
        else:
            split = name.removesuffix(".jsonl")
            written[name] = _write_split(s.out / name, s.ing.messages, s.offsets, s.by_split[split])
    return written


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
    cols = checks.feature_columns()
    values = {c: dict(zip(order, feats.table[c].iloc[picked].tolist(), strict=True)) for c in cols}
    where = ing.examples["where"].to_numpy()
    file_idx = ing.examples["file"].to_numpy()
    rows = ing.examples["row"].to_numpy()
    similarity = feats.duplicates.similarity
    limit = tokens.example_token_limit(cfg.model)

    def place(i: int) -> str:
        return f"{files[int(file_idx[i])].path} {where[i]}"

    registered = checks.registered()
    notes = {"truncation": feats.truncation_details}  # why a signal fired, per row, where a check says more

    def detail(i: int, reason: str) -> str:
        context = checks.DetailContext(cfg=cfg, row=i, value=lambda column: values[column][i], place=place,
                                       similarity=float(similarity[i]), token_limit=limit,
                                       why=lambda column: notes.get(column, {}).get(i))  # fmt: skip
        return registered[reason].explain(context)

    redact_original = cfg.quality.quarantine_pii == "redact"
    for i in order:
        original = ing.original(i)
        if redact_original:
            original = _redacted(original, cfg.quality.pii_regions)
        record = {
            "file": files[int(file_idx[i])].path,
            "row": int(rows[i]),
            "where": where[i],
            "reasons": reasons[i],
            "details": {r: detail(i, r) for r in reasons[i]},
            "original": original,
        }
        if i in ing.sources:  # a pair generated from a document: file, page, section, chunk hash
            record["source"] = ing.sources[i]
        yield record


def _redacted(original: Any, regions: list[str]) -> Any:
    """The raw line (or the row's cells) with personal data replaced, for quarantine_pii: redact."""
    if isinstance(original, str):
        return pii_national.redact(original, regions=regions).text
    if isinstance(original, dict):
        return {k: _redacted(v, regions) for k, v in original.items()}
    if isinstance(original, list):
        return [_redacted(v, regions) for v in original]
    return original

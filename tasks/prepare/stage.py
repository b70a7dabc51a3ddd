"""The data-preparation stage: raw files in, a fine-tuning dataset (or a clear refusal) out.

ingest → normalize (+ PII) → features → quality gate (GX) → split → tokens and cost →
write. Data stays in memory inside this stage for speed; what leaves it is a directory
and its manifest, referenced by path and content hash. For big inputs each stage's
per-row work runs in one forked process per core (tasks/prepare/parallel.py), and Great
Expectations is imported in a process of its own meanwhile (tasks/prepare/gate_process.py).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ftflow import tokens
from ftflow.config import PrepareConfig
from ftflow.errors import QualityGateError
from ftflow.manifest import Manifest
from ftflow.tasks.prepare import dataset, executors, output_dir, quality, split
from ftflow.tasks.prepare.checks.moderation import Moderator, OpenAIModerator
from ftflow.tasks.prepare.documents.sidecar import SOURCES, write_sources
from ftflow.tasks.prepare.documents.stage import Reviewer
from ftflow.tasks.prepare.features import Features, build_features
from ftflow.tasks.prepare.gate_process import GateProcess
from ftflow.tasks.prepare.gate_process import run_gate as gate_run
from ftflow.tasks.prepare.gate_process import start as gate_process_start
from ftflow.tasks.prepare.ingest import Ingested, ingest
from ftflow.tasks.prepare.normalize import Normalized, normalize_examples
from ftflow.tasks.prepare.outputs import write_data_files

StageRunner = Callable[..., Any]  # runner(name, fn, *args) -> fn(*args)


def run_inline(name: str, fn: Callable[..., Any], *args: Any) -> Any:
    """Run a sub-stage as a plain call (the CLI); the flow passes a runner that makes it a task."""
    return fn(*args)


@dataclass
class PrepareResult:
    out_dir: Path
    manifest: Manifest
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def dataset_sha256(self) -> str:
        return str(self.manifest.dataset_sha256)


def prepare_dataset(inputs: list[str], out_dir: str | Path, cfg: PrepareConfig, *,
                    runner: StageRunner = run_inline, on_stage: Callable[[str], None] | None = None,
                    moderator: Moderator | None = None, reviewer: Reviewer | None = None,
                    executor: executors.Executor | None = None) -> PrepareResult:  # fmt: skip
    """Run the whole stage. Raises InputError or QualityGateError with a message for the user;
    when the gate refuses, quarantine.jsonl and manifest.json are still written to show why,
    and no split files are. `reviewer` shows pairs generated from documents to a person
    (prepare.documents.review; the flow's is a Prefect form)."""
    tokens.example_token_limit(cfg.model)  # an unknown model fails now, not after ingest
    if cfg.split.frozen_test:
        split.load_frozen_test(cfg.split.frozen_test)  # a wrong path fails now, not after every stage
    out = output_dir.claim(out_dir)  # writable, and no earlier run's outputs (manifest first) left
    gate_process = gate_process_start()  # imports Great Expectations while the stages run
    engine = executor
    try:
        engine = executor or executors.make(cfg.executor, cfg.dask_address)
        with executors.use(engine):
            return _prepare(inputs, out, cfg, runner, on_stage, moderator, gate_process, reviewer)
    except BaseException:
        output_dir.release_failed(out)
        raise
    finally:
        if gate_process is not None:
            gate_process.close()
        if executor is None and engine is not None:
            executors.close(engine)  # a Dask client this run opened


def _prepare(inputs: list[str], out_dir: str | Path, cfg: PrepareConfig, runner: StageRunner,
             on_stage: Callable[[str], None] | None, moderator: Moderator | None,
             gate_process: GateProcess | None, reviewer: Reviewer | None = None) -> PrepareResult:  # fmt: skip
    out = Path(out_dir)
    timings: dict[str, float] = {}

    def run(name: str, fn: Callable[..., Any], *args: Any) -> Any:
        if on_stage:
            on_stage(name)
        t0 = time.perf_counter()
        try:
            return runner(name, fn, *args)
        finally:
            timings[name] = round(time.perf_counter() - t0, 3)

    ing: Ingested = run("ingest", ingest, inputs, cfg, reviewer)
    norm: Normalized = run("normalize", normalize_examples, ing, cfg.quality.pii, cfg.quality.pii_regions)
    flagged = None
    if cfg.quality.moderation:  # the configured endpoint's /moderations unless a moderator is injected
        flagged = run("moderate", (moderator or OpenAIModerator()).flag, ing)
    feats: Features = run("features", build_features, ing, cfg, norm.pii_found, flagged)
    gate: quality.GateResult = run("quality gate", gate_run, gate_process, feats.table, cfg, out / "data_docs")
    n = len(ing.examples)
    rejected = np.zeros(n, dtype=bool)
    rejected[list(gate.reasons)] = True
    kept = np.flatnonzero(~rejected)
    units = feats.split_units
    if ing.split_groups and units is not None:  # pairs of one document chunk share a split
        units = split.group_units(units, ing.split_groups, cfg.split.seed)
    by_split, pinned = run("split", split.split_examples, kept, feats.keys, feats.near_texts, cfg, units)
    n_tokens = feats.table["n_tokens"].to_numpy()
    cost = run("cost", tokens.estimate_cost, n_tokens[by_split["train"]].astype(np.int64), cfg.model,
               cfg.epochs, cfg.pricing)  # fmt: skip
    manifest = run("write", write_dataset, out, ing, norm, feats, gate, by_split, pinned, cost, cfg)
    if not manifest.ok:
        raise QualityGateError(manifest.refusal or "quality gate refused the data")
    return PrepareResult(out_dir=out, manifest=manifest, timings=timings)


def write_dataset(out: Path, ing: Ingested, norm: Normalized, feats: Features, gate: quality.GateResult,
                  by_split: dict[str, np.ndarray], pinned: int, cost: tokens.CostEstimate,
                  cfg: PrepareConfig) -> Manifest:  # fmt: skip
    """Write quarantine, splits (only if the gate passes) and, last, the manifest."""
    n = len(ing.examples)
    rejected = np.zeros(n, dtype=bool)
    rejected[list(gate.reasons)] = True
    n_kept = int(n - rejected.sum())
    reason_counts = Counter(r for rs in gate.reasons.values() for r in rs)
    refusal = quality.gate_refusal(n, int(rejected.sum()), n_kept, cfg.quality, reason_counts)
    if refusal and reason_counts.get("invalid_format"):
        refusal += " " + _first_format_error(ing, feats)
    outputs = write_data_files(out, ing, feats, gate.reasons, by_split if refusal is None else None, cfg)
    if ing.sources:  # pairs generated from documents: their sources, beside (not inside) the split files
        outputs.update(write_sources(out, ing.sources, by_split if refusal is None else {}))
    else:
        (out / SOURCES).unlink(missing_ok=True)  # a stale one must not be published with this version
    n_tokens = feats.table["n_tokens"].to_numpy()
    manifest = Manifest.model_validate({
        "status": "refused" if refusal else "ok",
        "refusal": refusal,
        "dataset_sha256": None if refusal else dataset.dataset_sha256(outputs),
        "inputs": _input_stats(ing, rejected),
        "counts": {
            "rows_read": n,
            "rows_kept": n_kept,
            "rows_quarantined": int(rejected.sum()),
            **{name: len(idx) for name, idx in by_split.items()},
            "pinned_to_test": pinned,
            "per_reason": dict(sorted(reason_counts.items())),
        },
        "pii": {"mode": cfg.quality.pii, "found": norm.pii_by_type},
        "languages": feats.languages,
        "encoding_repaired": norm.encoding_repaired,
        "tokens": {
            "model": cfg.model,
            "encoding": tokens.encoding_name_for(cfg.model),
            "example_token_limit": tokens.example_token_limit(cfg.model),
            **{name: tokens.token_stats(n_tokens[idx].astype(np.int64)) for name, idx in by_split.items()},
        },
        "cost_estimate": cost.as_dict(),
        **({"documents": ing.documents} if ing.documents is not None else {}),
        "quality_gate": {"expectations": gate.expectations, "data_docs": "data_docs/index.html"},
        "config": cfg.model_dump(mode="json"),
        "outputs": outputs,
    })  # fmt: skip
    dataset.write_manifest(out, manifest)
    return manifest


def _first_format_error(ing: Ingested, feats: Features) -> str:
    """The first row that broke the format, as an example of what to fix (the rest are in the quarantine)."""
    errors = feats.table["format_error"]
    first = int(errors.notna().to_numpy().argmax())
    where = f"{ing.files[int(ing.examples['file'].iloc[first])].path} {ing.examples['where'].iloc[first]}"
    return f"First invalid_format row: {where}: {errors.iloc[first]}."


def _input_stats(ing: Ingested, rejected: np.ndarray) -> list[dict[str, Any]]:
    """Per input file: rows read = rows kept + rows quarantined, so counts reconcile."""
    file_idx = ing.examples["file"].to_numpy()
    stats = []
    for i, f in enumerate(ing.files):
        mine = file_idx == i
        stats.append({"path": f.path, "format": f.format, "sha256": f.sha256, "bytes": f.bytes,
                      "rows_read": int(mine.sum()), "rows_kept": int((mine & ~rejected).sum()),
                      "rows_quarantined": int((mine & rejected).sum()), "blank_lines_skipped": f.blank_lines,
                      "encoding": f.encoding, "encoding_detected": f.encoding_detected})  # fmt: skip
    return stats

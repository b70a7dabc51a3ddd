"""Quality gate: Great Expectations validates the per-example features.

The rules live as Expectation Suites in expectations/*.json. Each expectation names in
its `meta.reason` the reason code its failing rows are quarantined with; GX reports the
failing rows (result_format COMPLETE, rows indexed by `row_id`) and only those go to
quarantine. Thresholds are GX suite parameters filled from the config. Only which rows
fail matters here, so GX is asked to leave their values out of its results: copying
and serializing them cost more than the validation itself at a million rows.
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ftflow.config import PrepareConfig, QualityConfig
from tasks.tokens import example_token_limit

EXPECTATIONS_DIR = Path(__file__).resolve().parent.parent / "expectations"
REASONS = ("empty", "too_short", "truncated", "duplicate", "near_duplicate", "too_long",
           "invalid_format", "flagged_content", "pii", "ungrounded")  # fmt: skip
FEATURE_COLUMNS = ("format_error", "empty_messages", "answer_chars", "truncation", "duplicate_of",
                   "near_duplicate_of", "n_tokens", "flagged", "pii_found", "ungrounded")  # fmt: skip


@dataclass
class GateResult:
    """Reason codes per failing row, and what GX said about each expectation."""

    reasons: dict[int, list[str]]  # row_id -> reason codes, in suite order
    expectations: list[dict[str, Any]] = field(default_factory=list)
    data_docs: Path | None = None


def load_suite(name: str, directory: Path = EXPECTATIONS_DIR) -> dict[str, Any]:
    path = directory / f"{name}.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    for exp in suite["expectations"]:
        if exp.get("meta", {}).get("reason") not in REASONS:
            raise ValueError(f"{path}: every expectation needs meta.reason, one of {REASONS}")
    return suite


def _quiet_gx() -> None:
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="great_expectations")


def import_gx() -> None:
    """Import what `validate` uses (seconds: a background process does it ahead of time)."""
    _quiet_gx()
    import great_expectations  # noqa: F401
    from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: F401


def validate(features: pd.DataFrame, suites: list[dict[str, Any]], parameters: Mapping[str, Any],
             data_docs_dir: Path | None = None) -> GateResult:  # fmt: skip
    """Run the suites over `features` (must have a `row_id` column) and collect failing rows."""
    _quiet_gx()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)  # no tqdm noise in logs
    if data_docs_dir is not None:
        context.add_data_docs_site(
            site_name="local",
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(Path(data_docs_dir).resolve()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    batch_def = context.data_sources.add_pandas("prepare").add_dataframe_asset("examples")
    batch_def = batch_def.add_batch_definition_whole_dataframe("all rows")
    definitions = []
    for suite_json in suites:
        suite = context.suites.add(gx.ExpectationSuite(**suite_json))
        definitions.append(
            context.validation_definitions.add(gx.ValidationDefinition(name=suite.name, data=batch_def, suite=suite))
        )
    actions = [gx.checkpoint.UpdateDataDocsAction(name="data_docs")] if data_docs_dir else []
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name="quality_gate",
            validation_definitions=definitions,
            actions=actions,
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": ["row_id"],
                "exclude_unexpected_values": True,
                "return_unexpected_index_query": False,
            },
        )
    )
    result = checkpoint.run(
        batch_parameters={"dataframe": features.set_index("row_id")}, expectation_parameters=dict(parameters)
    )
    reasons: dict[int, list[str]] = {}
    summary: list[dict[str, Any]] = []
    for run in result.run_results.values():
        for r in run.results:
            reason = r.expectation_config.meta["reason"]
            if r.exception_info and r.exception_info.get("raised_exception"):
                raise RuntimeError(f"expectation for {reason!r} failed to run: {r.exception_info['exception_message']}")
            failing = [int(i) for item in r.result.get("unexpected_index_list") or [] for i in item["row_id"]]
            for row_id in failing:
                reasons.setdefault(row_id, []).append(reason)
            summary.append({"reason": reason, "expectation": r.expectation_config.type,
                            "column": r.expectation_config.kwargs.get("column"), "success": bool(r.success),
                            "unexpected_count": len(failing)})  # fmt: skip
    docs_index = data_docs_dir / "index.html" if data_docs_dir else None
    return GateResult(reasons=reasons, expectations=summary, data_docs=docs_index)


def run_gate(features: pd.DataFrame, cfg: PrepareConfig, data_docs_dir: Path | None) -> GateResult:
    """The quality-gate stage: the suites the config asks for, with its thresholds."""
    suites = [load_suite("quality")] + ([load_suite("pii")] if cfg.quality.pii == "quarantine" else [])
    params = {
        "min_answer_chars": cfg.quality.min_answer_chars,
        "max_example_tokens": example_token_limit(cfg.model),
    }
    return validate(features, suites, params, data_docs_dir)


def gate_refusal(n_rows: int, n_rejected: int, n_kept: int, q: QualityConfig,
                 reasons: Mapping[str, int]) -> str | None:  # fmt: skip
    """Why the run must stop (too much rejected, too little left), or None to go on."""
    why = ", ".join(f"{reason}: {count}" for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1]))
    share = n_rejected / n_rows if n_rows else 1.0
    if share > q.max_rejected_share:
        return (
            f"quality gate: {n_rejected} of {n_rows} rows rejected ({share:.0%}), more than the allowed "
            f"{q.max_rejected_share:.0%} (prepare.quality.max_rejected_share). Reasons: {why or 'none'}. "
            "See quarantine.jsonl for every rejected row."
        )
    if n_kept < q.min_examples:
        return (
            f"quality gate: only {n_kept} examples left after quarantine; at least {q.min_examples} are needed "
            f"(OpenAI's minimum is 10). Reasons: {why or 'none'}. See quarantine.jsonl."
        )
    return None

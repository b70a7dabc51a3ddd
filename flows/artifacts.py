"""Prefect artifacts: what a person looking at a run in the UI needs to see.

Links to S3 objects are presigned (7 days), so they open in a browser without credentials.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from ftflow import s3
from ftflow.manifest import Manifest


def quality(manifest_path: Path, where: str) -> None:
    """The data-quality table: rows per input file and per reason, cost estimate, Data Docs link."""
    m = Manifest.model_validate_json(manifest_path.read_bytes())
    c = m.counts
    rows: list[dict[str, Any]] = [
        {"what": f"rows in {Path(f.path).name}", "count": f.rows_read, "kept": f.rows_kept,
         "quarantined": f.rows_quarantined}
        for f in m.inputs
    ]  # fmt: skip
    rows += [{"what": f"quarantined: {reason}", "count": n, "kept": "", "quarantined": n}
             for reason, n in sorted(c.per_reason.items(), key=lambda kv: -kv[1])]  # fmt: skip
    create_table_artifact(key="data-quality", table=rows, description=f"Quality gate for {where} ({m.status})")
    cost = m.cost_estimate
    usd = "unknown" if cost.usd is None else f"${cost.usd:,.2f}"
    lines = [
        f"## Dataset {m.dataset_sha256 or '(refused)'}",
        f"- status: **{m.status}**" + (f" — {m.refusal}" if m.refusal else ""),
        f"- rows read {c.rows_read}, kept {c.rows_kept}, quarantined {c.rows_quarantined}",
        f"- splits: train {c.train}, validation {c.validation}, test {c.test}",
        f"- cost estimate: {cost.billed_tokens:,} billed tokens ({cost.epochs} epochs) ≈ {usd}",
        f"- stored at `{where}`",
    ]
    if m.ok:
        lines.append(f"- [Data Docs]({s3.presign(s3.join(where, 'data_docs/index.html'))}), "
                     f"[manifest]({s3.presign(s3.join(where, 'manifest.json'))})")  # fmt: skip
    else:
        lines.append(f"- [quarantine.jsonl]({s3.presign(s3.join(where, 'quarantine.jsonl'))})")
    create_markdown_artifact(key="dataset", markdown="\n".join(lines), description="Prepared dataset")


def finetune(report: Any, uploaded: dict[str, str]) -> None:
    """Job, model, trained vs estimated tokens, final metrics, loss curve link."""
    lines = [f"## Fine-tune {report.job_id}: {report.status}"]
    if report.fine_tuned_model:
        lines.append(f"- model: `{report.fine_tuned_model}`")
    if report.error:
        lines.append(f"- error: {report.error}")
    if report.trained_tokens is not None:
        lines.append(f"- trained tokens {report.trained_tokens:,} vs estimate {report.estimated_tokens:,} "
                     f"(ratio {report.token_ratio})")  # fmt: skip
    lines += [f"- {k}: {v}" for k, v in report.final_metrics.items()]
    if "loss_curve" in uploaded:
        url = s3.presign(uploaded["loss_curve"])
        lines += [f"- [loss curve]({url})", "", f"![loss curve]({url})"]
    create_markdown_artifact(key="fine-tune", markdown="\n".join(lines), description="Fine-tuning job")


def summary(rows: dict[str, Any]) -> None:
    """One table that answers: what came in, what it cost, what was trained, what was decided."""
    create_table_artifact(key="retrain-summary", table=[{"item": k, "value": str(v)} for k, v in rows.items()],
                          description="Retrain run summary")  # fmt: skip

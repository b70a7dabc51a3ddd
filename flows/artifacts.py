"""Prefect artifacts: what a person looking at a run in the UI needs to see, and still can
weeks later.

Tables and text are inline (table and markdown artifacts, no link needed to read them); the
loss curve is an image artifact holding the PNG itself (a ``data:`` URI); links to stored
objects (Data Docs, manifest, quarantine, metrics) go through the link server when
``FTFLOW_LINKS_URL`` names one (they never expire), else they are presigned for 7 days and
``ftflow links resign`` signs them again (ftflow/links.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from prefect.artifacts import create_image_artifact, create_markdown_artifact, create_table_artifact

from ftflow import links, s3
from ftflow.manifest import Manifest


def _docs_link(where: str) -> str:
    docs = links.markdown_link("Data Docs", s3.join(where, "data_docs/index.html"))
    if s3.is_s3_uri(where) and not links.lasting():  # a presigned link opens that one page only
        docs += " (this page only: its other pages open through the link server, `ftflow links serve`)"
    return docs


def quality(manifest_path: Path, where: str) -> None:
    """The data-quality table (rows per input file and per reason), the quality gate's own
    results (what Data Docs shows, inline), and the dataset summary with its links."""
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
    expectations = m.quality_gate.get("expectations") or []
    if expectations:
        create_table_artifact(key="quality-gate", table=[{k: str(v) for k, v in e.items()} for e in expectations],
                              description="Great Expectations results per expectation (the Data Docs summary)")  # fmt: skip
    cost = m.cost_estimate
    usd = "unknown" if cost.usd is None else f"${cost.usd:,.2f}"
    t = m.tokens
    lines = [
        f"## Dataset {m.dataset_sha256 or '(refused)'}",
        f"- status: **{m.status}**" + (f" — {m.refusal}" if m.refusal else ""),
        f"- rows read {c.rows_read}, kept {c.rows_kept}, quarantined {c.rows_quarantined}",
        f"- cost estimate: {cost.billed_tokens:,} billed tokens ({cost.epochs} epochs) ≈ {usd}",
        f"- stored at `{where}`",
    ]
    if m.ok:
        lines.append(f"- {_docs_link(where)}, {links.markdown_link('manifest', s3.join(where, 'manifest.json'))}")
        lines += ["", "| split | examples | tokens |", "|---|---:|---:|"]
        lines += [f"| {name} | {n:,} | {getattr(t, name).total:,} |"
                  for name, n in (("train", c.train), ("validation", c.validation), ("test", c.test))]  # fmt: skip
    else:
        lines.append(f"- {links.markdown_link('quarantine.jsonl', s3.join(where, 'quarantine.jsonl'))}")
    create_markdown_artifact(key="dataset", markdown="\n".join(lines), description="Prepared dataset")


def finetune(report: Any, uploaded: dict[str, str]) -> None:
    """Job, model, trained vs estimated tokens, final metrics, the loss curve (inline image)."""
    lines = [f"## Fine-tune {report.job_id}: {report.status}"]
    if report.fine_tuned_model:
        lines.append(f"- model: `{report.fine_tuned_model}`")
    if report.error:
        lines.append(f"- error: {report.error}")
    if report.trained_tokens is not None:
        lines.append(f"- trained tokens {report.trained_tokens:,} vs estimate {report.estimated_tokens:,} "
                     f"(ratio {report.token_ratio})")  # fmt: skip
    lines += [f"- {k}: {v}" for k, v in report.final_metrics.items()]
    files = [links.markdown_link(Path(uri).name, uri) for name, uri in uploaded.items() if name != "loss_curve"]
    if files:
        lines.append("- files: " + ", ".join(files))
    curve = report.files.get("loss_curve")
    if curve and Path(curve).is_file():
        src = links.image_src(Path(curve).read_bytes(), uploaded.get("loss_curve"))
        lines += ["", f"![loss curve]({src})"]
        create_image_artifact(src, key="loss-curve", description=f"Loss curve of {report.job_id}")
    create_markdown_artifact(key="fine-tune", markdown="\n".join(lines), description="Fine-tuning job")


def summary(rows: dict[str, Any]) -> None:
    """One table that answers: what came in, what it cost, what was trained, what was decided."""
    create_table_artifact(key="retrain-summary", table=[{"item": k, "value": str(v)} for k, v in rows.items()],
                          description="Retrain run summary")  # fmt: skip


def resign(flow_runs: list[str] | None = None, *, every: bool = False, page: int = 200) -> list[dict[str, Any]]:
    """Make every titled link (``[text](url "s3://…")``) of the markdown artifacts of
    ``flow_runs`` (or of ``every`` run) again, in place: fresh presigned URLs, or the link
    server's lasting ones when FTFLOW_LINKS_URL is set. One row per artifact changed."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import ArtifactUpdate
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterType

    if not flow_runs and not every:
        raise ValueError("name the flow runs to re-sign, or ask for every run")
    kind = ArtifactFilterType(any_=["markdown"])
    done: list[dict[str, Any]] = []
    with get_client(sync_client=True) as client:
        offset = 0
        while True:
            which = ArtifactFilter(type=kind) if every else ArtifactFilter(
                type=kind, flow_run_id=ArtifactFilterFlowRunId(any_=[UUID(r) for r in flow_runs or []]))  # fmt: skip
            batch = client.read_artifacts(artifact_filter=which, limit=page, offset=offset)
            for artifact in batch:
                if not isinstance(artifact.data, str):
                    continue
                text, count = links.resign(artifact.data)
                if count:
                    client.update_artifact(artifact.id, ArtifactUpdate(data=text))
                    done.append({"flow_run": str(artifact.flow_run_id or ""), "key": artifact.key or "",
                                 "artifact": str(artifact.id), "links": count})  # fmt: skip
            if len(batch) < page:
                return done
            offset += page

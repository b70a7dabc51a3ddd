"""The evaluation report: markdown with the comparison table, a PNG chart and the items where
the candidate did worst, plus ``eval.json`` with every number and every answer.

Stored under the run (``runs/<run-id>/``) in the destination root; inside a Prefect flow or
task run also shown as artifacts (markdown, the comparison table, the chart as an image artifact
holding the PNG itself, so nothing in them expires); copied to a local directory when asked (the CLI).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ftflow import links
from ftflow.store import Root
from ftflow.tasks.evaluate.evaluation import EvalResult, ItemResult
from ftflow.tasks.evaluate.metrics import METRICS
from ftflow.tasks.evaluate.promotion import Decision

CHART = "eval_chart.png"
ROLE_ORDER = ("base", "champion", "candidate")
_COLOURS = {"base": "#9e9e9e", "champion": "#1f77b4", "candidate": "#ff7f0e"}


class ReportFiles(BaseModel):
    run_uri: str
    files: dict[str, str]  # name -> URI (or path) under the run
    local: dict[str, str] = {}  # name -> local path
    artifacts: list[str] = []  # Prefect artifact ids


def _roles(result: EvalResult) -> list[str]:
    return [r for r in ROLE_ORDER if r in result.roles]


def _num(value: float | None, fmt: str = ".3f") -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else format(value, fmt)


def _cell(text: str | None, limit: int = 400) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("|", "\\|").replace("\n", " ")


def worst_items(result: EvalResult, metric: str, k: int) -> list[tuple[ItemResult, float]]:
    """Items where the candidate fell furthest below the reference on ``metric`` (worst first)."""
    ref = result.reference_role
    sign = 1.0 if METRICS[metric].higher_is_better else -1.0
    scored = []
    for item in result.items:
        cand, other = item.metrics.get("candidate", {}), item.metrics.get(ref, {})
        if metric == "judge":
            if item.judge is not None:
                scored.append((item, 2 * item.judge - 1))
        elif metric in cand and metric in other:
            scored.append((item, sign * (cand[metric] - other[metric])))
    scored.sort(key=lambda pair: (pair[1], pair[0].line))
    return [pair for pair in scored[:k] if pair[1] < 0]


def comparison_rows(result: EvalResult) -> list[dict[str, str]]:
    """One row per metric: each model's mean and the candidate's difference with its CI."""
    rows = []
    level = round(result.settings.get("confidence", 0.95) * 100)
    for metric, info in METRICS.items():
        if not any(metric in m.means for m in result.models.values()) and metric != "judge":
            continue
        if metric == "judge" and not result.judge_model:
            continue
        row = {"metric": f"{metric} {'↑' if info.higher_is_better else '↓'}"}
        for role in _roles(result):
            row[role] = _num(result.models[role].means.get(metric))
        if metric == "judge":
            d = result.comparisons[result.reference_role].metrics.get("judge")
            row["candidate"] = _num(d.candidate if d else None)
            row[result.reference_role] = _num(d.reference if d else None)
        for ref_role, comparison in result.comparisons.items():
            d = comparison.metrics.get(metric)
            row[f"Δ vs {ref_role} [{level}% CI]"] = (
                f"{d.diff:+.3f} [{d.ci_low:+.3f}, {d.ci_high:+.3f}]" if d and not math.isnan(d.diff) else "–"
            )
        rows.append(row)
    for label, value in (("answer tokens (mean)", lambda m: _num(m.mean_answer_tokens, ".1f")),
                         ("completion tokens (total)", lambda m: f"{m.completion_tokens:,}"),
                         ("failed items", lambda m: str(m.failed))):  # fmt: skip
        rows.append({"metric": label, **{r: value(result.models[r]) for r in _roles(result)}})
    return rows


def _table(rows: list[dict[str, str]]) -> str:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(_cell(row.get(c, "")) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def _mode_lines(result: EvalResult) -> list[str]:
    """How the answers were asked (online or through the Batch API), what they cost, and which
    checkpoint of the fine-tune is the candidate when it is not the final model."""
    from ftflow.tasks.evaluate.cost import describe

    out = [describe(result.cost) + "." if result.cost else f"mode: {result.mode}."]
    if result.batches:
        out[0] += " Batches: " + ", ".join(f"`{b['id']}` ({b['status']})" for b in result.batches) + "."
    if result.checkpoint:
        out.append(f"Candidate checkpoint: {result.checkpoint['why']}.")
    return [*out, ""]


def render_markdown(result: EvalResult, decision: Decision, *, chart: str = CHART, worst: int = 10) -> str:
    roles = result.roles
    s = result.stats
    who = ", ".join(f"{r} `{roles[r]}`" for r in _roles(result))
    out = [
        f"# Evaluation `{result.run_id}`",
        "",
        f"{who} on dataset `{result.name}` (`{result.dataset_sha256[:12]}`): {len(result.items)} test items, "
        f"temperature {result.settings['temperature']:g}, seed {result.settings['seed']}, "
        f"max tokens {result.settings['max_tokens']}."
        + (
            f" Judge: `{result.judge_model}` (both orders; {result.judge_invalid} unusable verdicts counted as ties)."
            if result.judge_model
            else ""
        ),
        "",
        *_mode_lines(result),
        f"## Decision: {decision.outcome.upper()}",
        "",
        f"Primary metric `{decision.primary}`, against the {decision.reference_role} `{decision.reference_model}`.",
        "",
        *[f"- {reason}" for reason in decision.reasons],
        *[
            f"- guard `{g.metric}`: {_num(g.change, '+.4f')} (tolerance {g.tolerance:g}) {'ok' if g.ok else 'FAILED'}"
            for g in decision.guards
        ],
        "",
        "## Comparison",
        "",
        _table(comparison_rows(result)),
        "",
        f"![metrics and differences]({chart})",
        "",
    ]
    bad = worst_items(result, decision.primary, worst)
    ref = result.reference_role
    out += [f"## Where the candidate did worst ({decision.primary}, against the {ref})", ""]
    if not bad:
        out += ["No item where the candidate scored below the reference.", ""]
    for rank, (item, delta) in enumerate(bad, 1):
        m = decision.primary
        cand_score = item.judge if m == "judge" else item.metrics.get("candidate", {}).get(m)
        ref_score = (1 - item.judge if item.judge is not None else None) if m == "judge" else item.metrics.get(ref, {}).get(m)  # fmt: skip
        out += [
            f"### {rank}. test line {item.line} (item `{item.id}`), Δ {delta:+.3f}",
            "",
            f"- **Question:** {_cell(item.question, 600)}",
            f"- **Reference:** {_cell(item.reference, 600)}",
            f"- **Candidate** ({m} {_num(cand_score)}): {_cell(item.answers.get('candidate'), 600)}",
            f"- **{ref.capitalize()}** ({m} {_num(ref_score)}): {_cell(item.answers.get(ref), 600)}",
            "",
        ]
    out += [
        "## Run",
        "",
        f"{int(s['answers'])} distinct requests, {int(s['cached'])} answered from the cache; "
        f"{int(s['requests'])} sent ({int(s['retries'])} retries: {int(s['rate_limited'])} × 429, "
        f"{int(s['server_errors'])} × 5xx, {int(s['connection_errors'])} connection errors); "
        f"{int(s['failed'])} failed; {s['seconds']:.1f} s, {s['requests_per_minute']:.0f} requests/min; "
        f"{int(s['prompt_tokens']):,} prompt + {int(s['completion_tokens']):,} completion tokens.",
        "",
    ]
    return "\n".join(out)


def render_chart(result: EvalResult, decision: Decision, path: Path) -> Path:
    """Left: each model's mean per metric. Right: the candidate's difference from the reference
    with its CI, turned so that right of zero is better."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    metrics = [m for m in METRICS if m != "judge" and any(m in r.means for r in result.models.values())]
    roles = _roles(result)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=100)
    x = np.arange(len(metrics))
    width = 0.8 / max(1, len(roles))
    for i, role in enumerate(roles):
        means = [result.models[role].means.get(m, float("nan")) for m in metrics]
        left.bar(x + (i - (len(roles) - 1) / 2) * width, means, width, label=f"{role}", color=_COLOURS[role])
    left.set_xticks(x, metrics, rotation=20, ha="right")
    left.set(ylim=(0, 1.05), title="mean per model", ylabel="score")
    left.legend(fontsize=8)
    comparison = result.comparisons[decision.reference_role]
    names = [m for m in METRICS if m in comparison.metrics]
    y = np.arange(len(names))[::-1]
    for yi, m in zip(y, names, strict=True):
        d = comparison.metrics[m]
        s = 1.0 if METRICS[m].higher_is_better else -1.0
        mean, lo, hi = s * d.diff, min(s * d.ci_low, s * d.ci_high), max(s * d.ci_low, s * d.ci_high)
        colour = "#2ca02c" if lo > 0 else "#d62728" if hi < 0 else "#555555"
        right.errorbar(mean, yi, xerr=[[mean - lo], [hi - mean]], fmt="o", color=colour, capsize=4)
    right.axvline(0, color="black", linewidth=0.8)
    right.set_yticks(y, names)
    level = round(result.settings.get("confidence", 0.95) * 100)
    right.set(title=f"candidate − {decision.reference_role} ({level}% CI, right = better)", xlabel="difference")
    fig.suptitle(f"{result.candidate}: {decision.outcome}", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def eval_json(result: EvalResult, decision: Decision) -> bytes:
    """Every number and answer of the run plus the decision (NaN written as null)."""
    payload = _finite({**result.model_dump(mode="json"), "decision": decision.model_dump(mode="json")})
    return json.dumps(payload, indent=1, ensure_ascii=False, allow_nan=False).encode() + b"\n"


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def publish_report(result: EvalResult, decision: Decision, root: Root, *, local_dir: str | Path | None = None,
                   worst: int = 10, artifacts: bool | None = None) -> ReportFiles:  # fmt: skip
    """Write eval.json, report.md and the chart under the run (and to ``local_dir``); inside a
    Prefect run (or with ``artifacts=True``) also create the artifacts."""
    import tempfile

    markdown = render_markdown(result, decision, worst=worst)
    payload = eval_json(result, decision)
    with tempfile.TemporaryDirectory(prefix="ftflow-eval-") as tmp:
        png = render_chart(result, decision, Path(tmp) / CHART).read_bytes()
    contents = {"eval.json": (payload, "application/json"), "report.md": (markdown.encode(), "text/markdown"),
                CHART: (png, "image/png")}  # fmt: skip
    files = {name: root.put(root.run(result.run_id, name), data, kind) for name, (data, kind) in contents.items()}
    local = {}
    if local_dir is not None:
        target = Path(local_dir)
        target.mkdir(parents=True, exist_ok=True)
        for name, (data, _) in contents.items():
            (target / name).write_bytes(data)
            local[name] = str(target / name)
    report = ReportFiles(run_uri=root.uri(root.run(result.run_id)), files=files, local=local)
    if artifacts or (artifacts is None and _in_prefect_run()):
        report.artifacts = _artifacts(result, decision, root, markdown, png)
    return report


def _in_prefect_run() -> bool:
    from prefect.context import FlowRunContext, TaskRunContext

    return FlowRunContext.get() is not None or TaskRunContext.get() is not None


def _artifacts(result: EvalResult, decision: Decision, root: Root, markdown: str, png: bytes) -> list[str]:
    from prefect.artifacts import create_image_artifact, create_markdown_artifact, create_table_artifact

    # The chart inline (data: URI): it shows as long as the artifact exists, no link to expire.
    chart_url = links.image_src(png, root.uri(root.run(result.run_id, CHART)))
    description = f"{result.candidate}: {decision.outcome}"
    files = ", ".join(links.markdown_link(name, root.uri(root.run(result.run_id, name)))
                      for name in ("eval.json", "report.md", CHART))  # fmt: skip
    ids = [
        create_markdown_artifact(markdown.replace(f"]({CHART})", f"]({chart_url})") + f"\nFiles: {files}\n",
                                 key="evaluation-report", description=description),
        create_table_artifact(comparison_rows(result), key="evaluation-metrics", description=description),
        create_image_artifact(chart_url, key="evaluation-chart", description=description),
    ]  # fmt: skip
    return [str(i) for i in ids]

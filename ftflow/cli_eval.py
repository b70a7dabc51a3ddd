"""`ftflow evaluate` and `ftflow models`: thin shells over ftflow.tasks.evaluate.stage and ftflow.tasks.evaluate.registry.

Where runs and the registry live: ``--dest``, else ``data.storage`` from the config, else the
root of an ``s3://…/datasets/<name>/<sha256>`` dataset, else ``s3://$FTFLOW_BUCKET``, else the
local directory ``./ftflow-local`` (same layout: ``runs/``, ``registry/events/``).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from ftflow import credentials, failures
from ftflow.config import PipelineConfig, describe_validation, load_config
from ftflow.errors import ConfigError, FtflowError

err = Console(stderr=True)
out = Console()

EXIT_FAILED_ITEMS = 4


def _fail(exc: FtflowError, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _bug(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)


guarded = failures.guarded(_fail, _bug)  # any failure is one line, never a traceback


def _config(path: Path | None, **overrides: Any) -> PipelineConfig:
    """The config file with the evaluate options given on the command line on top; its
    credentials section is put in force for this command."""
    data = load_config(path).model_dump()
    data["evaluate"].update({k: v for k, v in overrides.items() if v is not None})
    try:
        cfg = PipelineConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation(exc, "command line")) from None
    credentials.configure(cfg.credentials)
    return cfg


def _log(line: str) -> None:
    err.print(line, highlight=False, markup=False)


@guarded
def evaluate(
    dataset: Annotated[str, typer.Argument(help="A prepared dataset: a directory or an s3:// version prefix.")],
    candidate: Annotated[str, typer.Option("--candidate", help="The model to evaluate, e.g. ft:gpt-4o-mini-…")],
    baseline: Annotated[
        str | None, typer.Option("--baseline", help="Base model to compare with (default: the candidate's base).")
    ] = None,
    judge: Annotated[str | None, typer.Option("--judge", help="Model judging candidate vs reference pairwise.")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="YAML/JSON/TOML config file.")] = None,
    dest: Annotated[
        str | None, typer.Option("--dest", help="s3://bucket/prefix (or a directory) holding runs/ and registry/.")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Registry name the champion belongs to.")] = None,
    run_id: Annotated[
        str | None, typer.Option("--run-id", help="Run folder name (default: from dataset + model).")
    ] = None,
    job: Annotated[
        str | None, typer.Option("--job", help="Fine-tuning job id of the candidate (else looked up).")
    ] = None,
    report_dir: Annotated[
        Path | None, typer.Option("--report-dir", help="Local copy of eval.json, report.md and the chart.")
    ] = None,
    max_items: Annotated[int | None, typer.Option("--max-items", help="Evaluate at most N test items.")] = None,
    rpm: Annotated[float | None, typer.Option("--rpm", help="Requests per minute (client-side limit).")] = None,
    tpm: Annotated[float | None, typer.Option("--tpm", help="Tokens per minute (client-side limit).")] = None,
    concurrency: Annotated[int | None, typer.Option("--concurrency", help="Requests in flight at once.")] = None,
    no_record: Annotated[
        bool, typer.Option("--no-record", help="Decide and report, but write nothing to the registry.")
    ] = False,
    mode: Annotated[
        str | None, typer.Option("--mode", help="online, or batch (the Batch API: half price, within 24 h).")
    ] = None,
    use_checkpoint: Annotated[
        str | None,
        typer.Option("--use-checkpoint", help="final, or best (the checkpoint with the lowest validation loss)."),
    ] = None,
) -> None:
    """Compare a candidate with the base model and the champion on the test split; promote it if it is better."""
    from ftflow.store import resolve_root
    from ftflow.tasks.evaluate.report import comparison_rows
    from ftflow.tasks.evaluate.stage import registry_name, run_evaluation

    try:
        cfg = _config(config, base_model=baseline, judge_model=judge, max_items=max_items, requests_per_minute=rpm,
                      tokens_per_minute=tpm, concurrency=concurrency, mode=mode,
                      use_checkpoint=use_checkpoint)  # fmt: skip
        root = resolve_root(dest or cfg.data.storage, dataset)
        local = str(report_dir) if report_dir else None
        if local is None and root.is_s3:  # a local copy beside the run's name; local roots hold it already
            base = Path("ftflow-eval") if dataset.startswith("s3://") else Path(dataset) / "eval"
            local = str(base / "{run_id}")
        outcome = run_evaluation(dataset, candidate, cfg.evaluate, root=root, run_id=run_id,
                                 name=registry_name(dataset, name, cfg.data.dataset_name), job_id=job,
                                 record=not no_record, local_dir=local, log=_log, lifecycle=cfg.lifecycle)  # fmt: skip
    except FtflowError as exc:
        _fail(exc)
    result, decision = outcome.result, outcome.decision
    table = Table(title=f"Evaluation {result.run_id} ({len(result.items)} test items)", title_justify="left")
    rows = comparison_rows(result)
    columns = list(dict.fromkeys(k for row in rows for k in row))
    for column in columns:
        table.add_column(column, justify="left" if column == "metric" else "right")
    for row in rows:
        table.add_row(*(row.get(c, "") for c in columns))
    out.print(table)
    colour = {"promoted": "green", "rejected": "red", "unchanged": "yellow"}[decision.outcome]
    out.print(f"[bold {colour}]{decision.outcome.upper()}[/] {candidate}", highlight=False)
    for reason in decision.reasons:
        out.print(f"  {reason}", highlight=False)
    out.print(f"report: {outcome.report.files['report.md']}", highlight=False, soft_wrap=True)
    for label, path in outcome.report.local.items():
        out.print(f"{label}: {path}", highlight=False, soft_wrap=True)
    if outcome.event is not None:
        state = "recorded" if outcome.newly_recorded else "already recorded"
        out.print(f"registry event {outcome.event.event_id} {state}", highlight=False)
        if outcome.newly_recorded and decision.promoted:
            from ftflow.cli_ledger import _announce  # ftflow.model.promoted, as `ftflow models promote` sends

            _announce(outcome.event, root)
    if result.failed_items:
        err.print(f"[bold red]{result.failed_items} test items have no answer[/]; run the same command again to "
                  "fill them in (answers already paid for come from the cache)")  # fmt: skip
        raise typer.Exit(EXIT_FAILED_ITEMS)


def _ci(metrics: dict[str, dict[str, Any]], metric: str) -> str:
    d = metrics.get(metric) or {}
    diff, low, high = d.get("diff"), d.get("ci_low"), d.get("ci_high")
    if not isinstance(diff, float | int) or math.isnan(diff):
        return "–"
    return f"{diff:+.3f} [{low:+.3f}, {high:+.3f}]"


@guarded
def models(
    dest: Annotated[
        str | None, typer.Option("--dest", help="s3://bucket/prefix (or a directory) holding registry/.")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Only this registry name.")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="YAML/JSON/TOML config file.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the events and champions as JSON.")] = False,
) -> None:
    """List the model registry's history (oldest first) and show each name's champion with its shutdown date."""
    from ftflow.cli_output import print_json, print_line, print_rows
    from ftflow.lifecycle import model_lifetime, utc_today
    from ftflow.store import resolve_root
    from ftflow.tasks.evaluate.golden import describe, latest_golden
    from ftflow.tasks.evaluate.registry import champions, read_history

    try:
        cfg = load_config(config)
        credentials.configure(cfg.credentials)
        root = resolve_root(dest or cfg.data.storage)
        history = read_history(root, name)
    except FtflowError as exc:
        _fail(exc)
    where = root.uri(root.registry())
    best = champions(history)
    if as_json:
        print_json({"registry": where, "events": [e.model_dump(mode="json") for e in history],
                    "champions": {n: e.model for n, e in sorted(best.items())}})  # fmt: skip
        return
    if not history:
        print_line(f"no evaluations recorded in {where}", console=out)
        return
    marked = {e.event_id for e in best.values()}
    rows = []
    for e in history:
        decision = e.decision if e.kind == "evaluation" else f"{e.kind} by {e.by or '?'}"
        rows.append([e.recorded_at[:19].replace("T", " "), e.name, e.dataset_sha256[:12], e.job_id or "–",
                     e.model + (" ★" if e.event_id in marked else ""), f"{e.reference_role} {e.reference_model}",
                     f"{e.primary} {_ci(e.metrics, e.primary)}", decision, e.model_shutdown_date or "–"])  # fmt: skip
    columns = ("recorded (UTC)", "name", "dataset", "job", "model", "against", "primary Δ [CI]", "decision",
               "shuts down")  # fmt: skip
    print_rows(f"Model registry {where}", columns, rows, console=out)
    client = _client_or_none() if cfg.lifecycle.use_models_api else None
    today = utc_today()
    for registry_name, event in sorted(best.items()):
        life = model_lifetime(event.model, cfg.lifecycle, client=client)
        source = f"; {life.source}" if life.source else ""
        print_line(f"champion of [bold]{registry_name}[/]: {event.model} (since {event.recorded_at[:19]}Z, "
                   f"dataset {event.dataset_sha256[:12]}, run {event.run_id}); shuts down: {life.describe(today)}{source}",
                   console=out)  # fmt: skip
        try:
            golden = latest_golden(root, registry_name)
        except FtflowError as exc:
            _fail(exc)
        if golden is not None:
            print_line(f"  golden set: {describe(golden)}", console=out)
        elif life.shutdown_date is not None:
            print_line(f"  no golden set: `ftflow models record {registry_name}` stores its answers before it shuts down",
                       console=out)  # fmt: skip


def _client_or_none() -> Any:
    """An OpenAI client when a key is configured (to ask the models API for shutdown dates), else None."""
    from ftflow.llm import openai_client

    try:
        return openai_client(max_retries=2)
    except FtflowError:
        return None

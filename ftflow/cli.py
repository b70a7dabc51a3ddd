"""`ftflow`: the command line. Each command is a thin shell over a stage's plain functions."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from ftflow import cli_progress, credentials, failures
from ftflow.cli_devstack import devstack_app
from ftflow.config import PipelineConfig, describe_validation, load_config
from ftflow.errors import ConfigError, FtflowError, QualityGateError

app = typer.Typer(help="Turn raw Q&A and conversation data into OpenAI fine-tuned models.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)  # fmt: skip
err = Console(stderr=True)
out = Console()


app.add_typer(
    devstack_app,
    name="devstack",
    help="Start, stop and show the local services (S3, OpenAI emulator).",
)


@app.callback()
def _root(ctx: typer.Context) -> None:
    """Keep subcommands explicit (`ftflow prepare …`) even while few exist."""
    cli_progress.install(err)  # counts, rates and time left of long stages, on stderr
    ctx.call_on_close(cli_progress.uninstall)


def _fail(exc: FtflowError, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _bug(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)


guarded = failures.guarded(_fail, _bug)  # every command: any failure is one line, never a traceback


def _config(path: Path | None, section: str = "prepare", **overrides: Any) -> PipelineConfig:
    """The config file with command-line options on top, validated together; its credentials
    section is put in force for this command."""
    cfg = load_config(path)
    data = cfg.model_dump()
    data[section].update({k: v for k, v in overrides.items() if v is not None})
    try:
        cfg = PipelineConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation(exc, "command line")) from None
    credentials.configure(cfg.credentials)
    cli_progress.set_interval(cfg.progress.log_every_s)
    return cfg


@app.command()
@guarded
def prepare(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="CSV/TSV, JSONL, Parquet, XLSX or document files (PDF, DOCX, PPTX, HTML, Markdown, "
            "text, scans), directories, globs or s3:// URIs."
        ),
    ],
    out_dir: Annotated[
        str,
        typer.Option("--out", help="Directory, or s3://bucket/prefix to publish the dataset version to."),
    ],
    config: Annotated[Path | None, typer.Option("--config", help="YAML/JSON/TOML config file.")] = None,
    model: Annotated[str | None, typer.Option("--model", help="Base model (sets tokenizer, limits, price).")] = None,
    system: Annotated[str | None, typer.Option("--system", help="System prompt for single-turn rows.")] = None,
    name: Annotated[str, typer.Option("--name", help="Dataset name under s3://…/datasets/.")] = "dataset",
    create_bucket: Annotated[bool, typer.Option("--create-bucket", help="Create the S3 bucket if missing.")] = False,
    dask: Annotated[
        str | None,
        typer.Option("--dask", help="Run the per-partition work on this Dask scheduler (tcp://HOST:PORT; dask extra)."),
    ] = None,
) -> None:
    """Validate, clean and split raw data into OpenAI chat JSONL, with a quarantine and a cost estimate."""
    from ftflow.tasks.publish.stage import prepare_and_publish

    to_s3 = out_dir.startswith("s3://")
    if to_s3:
        from ftflow.s3_uri import parse_uri

        try:
            parse_uri(out_dir)  # a wrong destination fails now, not after the whole run
        except FtflowError as exc:
            _fail(exc)
    local = Path(tempfile.mkdtemp(prefix="ftflow-prepare-")) if to_s3 else Path(out_dir)
    try:
        cfg = _config(config, model=model, system_prompt=system, dask_address=dask)
        with cli_progress.Stages(err) as progress:
            published = prepare_and_publish(inputs, out_dir, cfg.prepare, name=name, work_dir=local,
                                            create_bucket=create_bucket, on_stage=progress.stage,
                                            run_id=f"prepare-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}")  # fmt: skip
        _print_summary(local, published.uri)
        if published.exported:
            exported = published.exported
            out.print(f"Published {exported.uri} ({len(exported.uploaded)} objects written, "
                      f"{len(exported.skipped)} already there)")  # fmt: skip
    except QualityGateError as exc:
        _print_summary(local, getattr(exc, "report_uri", None) or out_dir)
        _fail(exc, code=3)
    except FtflowError as exc:
        _fail(exc)
    finally:
        if to_s3:
            shutil.rmtree(local, ignore_errors=True)


@app.command()
@guarded
def finetune(
    dataset: Annotated[str, typer.Argument(help="A prepared dataset: a directory or an s3:// version prefix.")],
    config: Annotated[Path | None, typer.Option("--config", help="YAML/JSON/TOML config file.")] = None,
    model: Annotated[str | None, typer.Option("--model", help="Base model.")] = None,
    suffix: Annotated[str | None, typer.Option("--suffix", help="Suffix of the fine-tuned model's name.")] = None,
    epochs: Annotated[str | None, typer.Option("--epochs", help="Epochs, or 'auto'.")] = None,
    batch_size: Annotated[str | None, typer.Option("--batch-size", help="Batch size, or 'auto'.")] = None,
    lr_multiplier: Annotated[
        str | None, typer.Option("--lr-multiplier", help="Learning-rate multiplier, or 'auto'.")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Job seed.")] = None,
    max_cost: Annotated[
        float | None,
        typer.Option("--max-cost", help="Refuse when the estimate is above this (USD)."),
    ] = None,
    resubmit: Annotated[bool, typer.Option("--resubmit", help="Pay for a new attempt of a job that failed.")] = False,
    report_dir: Annotated[
        Path | None, typer.Option("--report-dir", help="Where to write metrics and the loss curve.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be sent and what it would cost.")] = False,
    backend: Annotated[
        str | None, typer.Option("--backend", help="Trainer: openai (default) or hf-lora (LoRA with TRL + PEFT).")
    ] = None,
) -> None:
    """Fine-tune on a prepared dataset: one job per dataset and settings, even when run again after a crash."""
    from ftflow.tasks.train.backends import train
    from ftflow.tasks.train.openai import FinetuneError

    overrides = {"model": model, "suffix": suffix, "n_epochs": _auto_or(epochs, int), "batch_size": _auto_or(batch_size, int),
                 "learning_rate_multiplier": _auto_or(lr_multiplier, float), "seed": seed, "max_cost_usd": max_cost,
                 "resubmit_failed": resubmit or None, "backend": backend}  # fmt: skip
    try:
        cfg = _config(config, section="finetune", **overrides)
        where = report_dir or (Path(dataset) / "finetune" if not dataset.startswith("s3://") else None)
        outcome = train(dataset, cfg.finetune, cfg.prepare.pricing, dry_run=dry_run, report_dir=where,
                        log=lambda line: err.print(line, highlight=False, markup=False),
                        lifecycle=cfg.lifecycle)  # fmt: skip
        if dry_run or outcome.report is None:
            return
        report = outcome.report
    except FtflowError as exc:
        _fail(exc)
    out.print(f"job {report.job_id}: {report.status}" + (" (already trained, reused)" if outcome.reattached else ""))
    if report.status != "succeeded":
        _fail(FinetuneError(f"fine-tune {report.job_id} {report.status}: {report.error}"), code=4)
    out.print(f"fine-tuned model: [bold]{report.fine_tuned_model}[/]")
    if report.trained_tokens is not None:
        out.print(
            f"trained tokens {report.trained_tokens:,} vs estimated {report.estimated_tokens:,} (ratio {report.token_ratio})"
        )
    if report.final_metrics:
        out.print("final metrics: " + ", ".join(f"{k} {v}" for k, v in report.final_metrics.items()))
    for name, path in report.files.items():
        out.print(f"{name}: {path}")
    if outcome.extra.get("adapter_dir"):
        out.print(f"adapter: {outcome.extra['adapter_dir']}" + (f" (published to {outcome.artifacts_uri})"
                                                                if outcome.artifacts_uri else ""))  # fmt: skip


@app.command()
@guarded
def run(
    inputs: Annotated[
        list[str] | None, typer.Argument(help="Data to train on (default: data.inputs, else landing/).")
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", help="YAML/JSON/TOML config file.")] = None,
) -> None:
    """Run the retrain flow once (prepare → export → fine-tune → evaluate → promote) against the environment."""
    from ftflow.flows.retrain import retrain

    try:
        cfg = _config(config, section="data", inputs=inputs or None)
        cfg.data.storage_root()  # fail now, not after a Prefect start-up, when no storage is set
    except FtflowError as exc:
        _fail(exc)
    state = retrain(config=cfg, return_state=True)
    if not state.is_completed():
        err.print(f"[bold red]retrain {state.name.lower()}:[/] {state.message}", highlight=False)
        raise typer.Exit(1)
    summary = state.result()
    table = Table(title="Retrain summary", title_justify="left", show_header=False)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for key, value in summary.items():
        table.add_row(key, value if isinstance(value, str) else json.dumps(value))
    out.print(table)


@app.command()
@guarded
def notify(
    webhook: Annotated[str, typer.Option("--webhook", help="URL to POST a message to (Slack, Teams, PagerDuty, ...).")],
) -> None:
    """Set up the Prefect automations that post to a webhook: failed, crashed and timed-out runs, runs
    waiting for approval, promotions and rollbacks, and champions near their shutdown date."""
    from ftflow.notify import setup_all

    for name, what in setup_all(webhook):
        out.print(f"automation {name!r} created: {what} are posted to the webhook", highlight=False)


def _auto_or(value: str | None, kind: type) -> Any:
    """'auto' stays 'auto'; a number becomes int/float; None means not given."""
    if value is None or value == "auto":
        return value
    try:
        return kind(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not 'auto' or a number") from None


def _print_summary(out_dir: Path, where: str | None = None) -> None:
    """What `prepare` wrote in ``out_dir``, named by where it now lives (``where``: the S3
    version or report, when ``out_dir`` is a temporary folder removed afterwards)."""
    from ftflow.tasks.prepare.dataset import read_manifest

    try:
        m = read_manifest(out_dir, verify=False)
    except (OSError, ValueError):
        return
    c = m.counts
    refused = not m.ok
    where = where or str(out_dir)
    title = f"Refused by the quality gate: {where}" if refused else f"Prepared dataset {where}"
    table = Table(title=title, show_header=True, title_justify="left")
    table.add_column("input file")
    for col in ("read", "kept", "quarantined"):
        table.add_column(col, justify="right")
    for f in m.inputs:
        table.add_row(f.path, str(f.rows_read), str(f.rows_kept), str(f.rows_quarantined))
    table.add_row("[bold]total", str(c.rows_read), str(c.rows_kept), str(c.rows_quarantined))
    out.print(table)
    reasons = Table(title="Quarantined by reason", title_justify="left")
    reasons.add_column("reason")
    reasons.add_column("rows", justify="right")
    for reason, count in sorted(c.per_reason.items(), key=lambda kv: -kv[1]):
        reasons.add_row(reason, str(count))
    if c.per_reason:
        out.print(reasons)
    pii = m.pii.found
    if pii:
        action = {"redact": "redacted", "quarantine": "quarantined", "off": "ignored"}[m.pii.mode]
        out.print(f"Personal data {action}: " + ", ".join(f"{k} {v}" for k, v in pii.items()))
    if d := m.documents:
        g = d["generation"]
        out.print(f"Documents: {d['chunks']} chunks ({d['duplicate_chunks']} duplicate), {d['pairs']} pairs generated, "
                  f"{d['ungrounded']} ungrounded · {g['requests_needed']} generation request(s) (estimate "
                  f"${g['estimated_usd']:,.4f}, spent ${g['spent_usd']:,.4f}), {g['cached']} chunk(s) from the cache · "
                  "sources in sources.jsonl")  # fmt: skip
    if refused:  # no split files were written: no split counts, no cost of data that will not be sent
        out.print(f"No dataset written; see {_join(where, 'quarantine.jsonl')} for every rejected row.", soft_wrap=True)
        return
    t, cost = m.tokens, m.cost_estimate
    out.print(
        f"Splits: train {c.train}, validation {c.validation}, test {c.test} · "
        f"train tokens {t.train.total:,} ({t.encoding}, max per example "
        f"{t.train.max or 0:,} of {t.example_token_limit:,})"
    )
    usd = "unknown price" if cost.usd is None else f"${cost.usd:,.2f}"
    out.print(
        f"[bold]Cost estimate:[/] {cost.epochs} epochs × {cost.billed_tokens_per_epoch:,} tokens = "
        f"{cost.billed_tokens:,} billed tokens ≈ {usd} for {cost.model} (prices as of {cost.prices_as_of})"
    )
    if m.dataset_sha256:
        docs = _join(where, "data_docs/index.html")
        out.print(f"Dataset sha256 {m.dataset_sha256} · Data Docs {docs}", soft_wrap=True)
        if docs.startswith("s3://"):
            from ftflow import links

            how = "lasting link" if links.lasting() else "link valid 7 days, every page: `ftflow links serve`"
            out.print(f"Data Docs in a browser ({how}): {links.link(docs)}", highlight=False, soft_wrap=True)


def _join(where: str, rel: str) -> str:
    from ftflow.s3_uri import join

    return join(where, rel) if where.startswith("s3://") else str(Path(where) / rel)


from ftflow.cli_eval import evaluate  # noqa: E402  (the evaluation commands live in their own module)
from ftflow.cli_ledger import ledger, promote, rollback  # noqa: E402  (promotion you can undo)
from ftflow.cli_links import links_app  # noqa: E402  (links that last: serve, sign, resign)
from ftflow.cli_models import models_app  # noqa: E402

app.command()(evaluate)
app.add_typer(models_app, name="models")
app.add_typer(links_app, name="links")
for _command in (promote, rollback, ledger):
    models_app.command()(_command)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()

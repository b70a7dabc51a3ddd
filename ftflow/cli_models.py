"""`ftflow models`: list the registry (the default) and `ftflow models record NAME`, which stores
the champion's answers on the frozen test set as a golden set before the champion shuts down."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ftflow import credentials
from ftflow.cli_eval import _fail, _log, err, models, out
from ftflow.config import load_config
from ftflow.errors import FtflowError

models_app = typer.Typer(no_args_is_help=False, invoke_without_command=True, add_completion=False,
                         help="The model registry: history, champions with their shutdown dates, golden sets.")  # fmt: skip


@models_app.callback()
def list_models(
    ctx: typer.Context,
    dest: Annotated[
        str | None, typer.Option("--dest", help="s3://bucket/prefix (or a directory) holding registry/.")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Only this registry name.")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="YAML/JSON/TOML config file.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the events and champions as JSON.")] = False,
) -> None:
    """List the model registry's history (oldest first) and each name's champion with its shutdown date."""
    if ctx.invoked_subcommand is None:
        models(dest=dest, name=name, config=config, as_json=as_json)


@models_app.command()
def record(
    name: Annotated[str, typer.Argument(help="Registry name whose champion answers.")],
    dataset: Annotated[
        str | None,
        typer.Option("--dataset", help="Dataset whose test split is asked (default: the champion's own)."),
    ] = None,
    dest: Annotated[
        str | None, typer.Option("--dest", help="s3://bucket/prefix (or a directory) holding registry/.")
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", help="YAML/JSON/TOML config file.")] = None,
) -> None:
    """Store the champion's test-set answers as a golden set: later candidates of NAME must reach parity with it.

    Run it before the champion shuts down; evaluations keep comparing with the golden set afterwards."""
    from ftflow.store import resolve_root
    from ftflow.tasks.evaluate.golden import describe, record_golden

    try:
        cfg = load_config(config)
        credentials.configure(cfg.credentials)
        root = resolve_root(dest or cfg.data.storage, dataset)
        golden = record_golden(root, name, cfg.evaluate, cfg.lifecycle, dataset_ref=dataset, log=_log)
    except FtflowError as exc:
        _fail(exc)
    out.print(f"golden set of {name}: {describe(golden)}", highlight=False, soft_wrap=True)
    out.print(f"stored: {golden.uri}", highlight=False, soft_wrap=True)
    err.print("later evaluations of this name compare each candidate with these answers", highlight=False)

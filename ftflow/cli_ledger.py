"""Promotion you can undo, in the `ftflow models` group (ftflow/cli_models.py; ftflow/cli.py adds
these): `ftflow models promote NAME MODEL`, `ftflow models rollback NAME`, `ftflow models ledger
NAME`. Thin shells over ftflow.tasks.evaluate.ledger; every promotion
and rollback is also announced as a Prefect event when a Prefect API is configured."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ftflow import credentials
from ftflow.cli_eval import _fail, err, out
from ftflow.cli_output import print_json, print_line, print_rows
from ftflow.config import load_config
from ftflow.errors import FtflowError

if TYPE_CHECKING:
    from ftflow.store import Root
    from ftflow.tasks.evaluate.registry import RegistryEvent

Dest = Annotated[str | None, typer.Option("--dest", help="s3://bucket/prefix (or a directory) holding registry/.")]
Config = Annotated[Path | None, typer.Option("--config", help="YAML/JSON/TOML config file.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
By = Annotated[str | None, typer.Option("--by", help="Who does this (default: your OS user name).")]
Reason = Annotated[str, typer.Option("--reason", help="Why (kept in the ledger; required).")]


def _root(dest: str | None, config: Path | None) -> Root:
    from ftflow.store import resolve_root

    cfg = load_config(config)
    credentials.configure(cfg.credentials)
    return resolve_root(dest or cfg.data.storage)


def _announce(entry: RegistryEvent, root: Root) -> None:
    """The Prefect event, when a Prefect API is configured (no server is started for it)."""
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        err.print("no Prefect API configured (PREFECT_API_URL): the change is in the ledger, no event was sent",
                  highlight=False, soft_wrap=True)  # fmt: skip
        return
    from ftflow.flows.rollback import EVENTS, announce

    if announce(entry, root):
        err.print(f"event {EVENTS[entry.kind]} sent", highlight=False, soft_wrap=True)


def _report(entry: RegistryEvent, as_json: bool) -> None:
    if as_json:
        print_json(entry.model_dump(mode="json"))
        return
    verb = "promoted" if entry.kind == "promotion" else "rolled back to"
    print_line(f"{entry.name}: {verb} {entry.model} (was {entry.previous_champion or 'none'}), by {entry.by}: "
               f"{entry.reasons[0]} — ledger event {entry.event_id}", console=out)  # fmt: skip


def promote(
    name: Annotated[str, typer.Argument(help="Registry name (the dataset name the champion belongs to).")],
    model: Annotated[str, typer.Argument(help="The model to make champion; it must have been evaluated.")],
    reason: Reason, by: By = None, dest: Dest = None, config: Config = None, as_json: Json = False,
) -> None:  # fmt: skip
    """Make MODEL the champion of NAME by hand (recorded with who and why; undo with `rollback`)."""
    from ftflow.tasks.evaluate.ledger import promote as promote_model

    try:
        root = _root(dest, config)
        entry = promote_model(root, name, model, by=by, reason=reason)
    except FtflowError as exc:
        _fail(exc)
    _announce(entry, root)
    _report(entry, as_json)


def rollback(
    name: Annotated[str, typer.Argument(help="Registry name whose champion goes back one step.")],
    reason: Reason, by: By = None, dest: Dest = None, config: Config = None, as_json: Json = False,
) -> None:  # fmt: skip
    """Make the champion before the current one of NAME the champion again."""
    from ftflow.tasks.evaluate.ledger import rollback as rollback_champion

    try:
        root = _root(dest, config)
        entry = rollback_champion(root, name, by=by, reason=reason)
    except FtflowError as exc:
        _fail(exc)
    _announce(entry, root)
    _report(entry, as_json)


def ledger(
    name: Annotated[str, typer.Argument(help="Registry name.")],
    dest: Dest = None, config: Config = None, as_json: Json = False,
) -> None:  # fmt: skip
    """Every champion change of NAME, oldest first: evaluated promotions, promotions by hand, rollbacks."""
    from ftflow.tasks.evaluate.ledger import champion_changes
    from ftflow.tasks.evaluate.registry import read_history

    try:
        root = _root(dest, config)
        changes = champion_changes(read_history(root, name), name)
    except FtflowError as exc:
        _fail(exc)
    if as_json:
        print_json([c.model_dump(mode="json") for c in changes])
        return
    if not changes:
        print_line(f"{name!r} has had no champion in {root.uri(root.registry())}", console=out)
        return
    rows = [[c.recorded_at[:19].replace("T", " "), c.kind, c.model, c.previous_champion or "–", c.by or "evaluation",
             "; ".join(c.reasons), c.event_id] for c in changes]  # fmt: skip
    columns = ("recorded (UTC)", "kind", "champion", "replaced", "by", "why", "event")
    print_rows(f"Champion ledger of {name} ({root.uri(root.registry())})", columns, rows, console=out)

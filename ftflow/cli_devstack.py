"""`ftflow devstack up | down | env | status`: the local services of ftflow.devstack from a shell."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from ftflow.devstack import (
    DEFAULT_BUCKET,
    env_exports,
    is_running,
    load_services,
    start_openai_emulator,
    start_s3,
    stop_all,
)
from ftflow.errors import FtflowError

devstack_app = typer.Typer(
    help="Local services for demos and tests (SeaweedFS S3, OpenAI emulator).", no_args_is_help=True
)
StateDir = Annotated[
    Path | None,
    typer.Option("--state-dir", envvar="FTFLOW_DEVSTACK_DIR", help="Default: ./.devstack"),
]


def _fail(exc: FtflowError) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(1)


@devstack_app.command()
def up(
    port: Annotated[int | None, typer.Option(help="S3 port (default: last one, else 8333; 0: any free)")] = None,
    bucket: Annotated[str, typer.Option(help="Bucket to create")] = DEFAULT_BUCKET,
    openai_port: Annotated[int | None, typer.Option(help="Emulator port (default 8700; 0: any free)")] = None,
    seconds_per_step: Annotated[float, typer.Option(help="Emulator's accelerated training clock")] = 0.01,
    prefect: Annotated[
        bool, typer.Option("--prefect", help="Also a Prefect server + UI, work pool, deployments, worker")
    ] = False,
    prefect_port: Annotated[int | None, typer.Option(help="Prefect server port (default 4200)")] = None,
    links_port: Annotated[int | None, typer.Option(help="Link server port (default 8710; 0: any free)")] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each service")] = 60.0,
    state: StateDir = None,
) -> None:
    """Start the local S3 server, its link server and the OpenAI emulator in the background
    (safe to run twice)."""
    from ftflow.devstack_links import start_link_server

    try:
        svc = start_s3(state, port, bucket=bucket, timeout=timeout)
        links = start_link_server(state, links_port, timeout=timeout)
        emu = start_openai_emulator(state, openai_port, args=["--seconds-per-step", str(seconds_per_step)],
                                    timeout=timeout)  # fmt: skip
    except FtflowError as exc:
        raise _fail(exc) from None
    what = "already running" if svc.reused else f"ready in {svc.ready_seconds:g}s"
    typer.echo(f"s3: {what} at {svc.endpoint_url} (pid {svc.pid}, bucket {svc.bucket})")
    typer.echo(f"data: {svc.data_dir}\nlog: {svc.log}")
    what = "already running" if links.reused else f"ready in {links.ready_seconds:g}s"
    typer.echo(f"links (artifact links that never expire): {what} at {links.env['FTFLOW_LINKS_URL']}")
    what = "already running" if emu.reused else f"ready in {emu.ready_seconds:g}s"
    typer.echo(f"openai emulator (a stand-in for development and CI, not a model): {what} at {emu.base_url}")
    if prefect:
        from ftflow import devstack_prefect

        try:
            server, worker = devstack_prefect.up(state, prefect_port)
        except FtflowError as exc:
            raise _fail(exc) from None
        ui = server.env["PREFECT_API_URL"].removesuffix("/api")
        what = "already running" if server.reused else f"ready in {server.ready_seconds:g}s"
        typer.echo(f"prefect: {what}, UI at {ui}; deployments applied from prefect.yaml; worker pid {worker.pid}")
    typer.echo('use it: eval "$(ftflow devstack env)"')


@devstack_app.command()
def down(state: StateDir = None) -> None:
    """Stop what `up` started (and nothing else). Data is kept."""
    stopped = stop_all(state)
    typer.echo(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")


@devstack_app.command()
def env(state: StateDir = None) -> None:
    """Print `export NAME=value` lines for the running services."""
    try:
        exports = env_exports(state)
    except FtflowError as exc:
        raise _fail(exc) from None
    for key, value in exports.items():
        typer.echo(f"export {key}={shlex.quote(value)}")


@devstack_app.command()
def status(state: StateDir = None) -> None:
    """Show the recorded services and whether they still run."""
    services = load_services(state)
    if not services:
        typer.echo("no services recorded")
    for svc in services.values():
        alive = "running" if is_running(svc) else "not running"
        typer.echo(f"{svc.name}: {alive} (pid {svc.pid}, ports {svc.ports}, log {svc.log})")

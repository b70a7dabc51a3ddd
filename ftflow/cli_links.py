"""`ftflow links serve | sign | resign`: links to stored objects that last (ftflow/links.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from ftflow import links, s3
from ftflow.cli_output import print_json, print_rows
from ftflow.errors import FtflowError
from ftflow.link_server import DEFAULT_PORT

links_app = typer.Typer(help="Links to stored objects that do not expire (or are signed again).",
                        no_args_is_help=True)  # fmt: skip


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


@links_app.command()
def serve(
    allow: Annotated[list[str], typer.Option("--allow", help="s3://bucket[/prefix] to share (repeatable)")],
    host: Annotated[
        str,
        typer.Option(
            help="Address to bind (it has no authentication: keep it local or put it behind your authenticating proxy)"
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = DEFAULT_PORT,
    verbose: Annotated[bool, typer.Option("--verbose", help="Log every request")] = False,
) -> None:
    """Serve stored objects at stable URLs (GET /s3/<bucket>/<key>); set FTFLOW_LINKS_URL to its URL."""
    from ftflow.link_server import main

    try:
        for root in allow:
            s3.parse_uri(root)
    except FtflowError as exc:
        raise _fail(str(exc)) from None
    main(["--host", host, "--port", str(port), *[a for root in allow for a in ("--allow", root)],
          *(["--verbose"] if verbose else [])])  # fmt: skip


@links_app.command()
def sign(
    uris: Annotated[list[str], typer.Argument(help="s3:// objects")],
    seconds: Annotated[int, typer.Option(help="Validity of a presigned link (7 days at most)")] = s3.PRESIGN_SECONDS,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON list")] = False,
) -> None:
    """A browser link to each object: presigned (valid --seconds) and, with FTFLOW_LINKS_URL, the lasting one."""
    rows = []
    try:
        for uri in uris:
            seconds = min(seconds, s3.PRESIGN_SECONDS)
            expires = (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat(timespec="seconds")
            base = links.server_url()
            rows.append({"uri": uri, "presigned": s3.presign(uri, seconds), "expires": expires,
                         "lasting": base + links.server_path(uri) if base else ""})  # fmt: skip
    except FtflowError as exc:
        raise _fail(str(exc)) from None
    if as_json:
        print_json(rows)
    else:
        columns = ["uri", "presigned", "expires", "lasting"]
        print_rows("Links", columns, [[str(r[c]) for c in columns] for r in rows])


@links_app.command()
def resign(
    flow_runs: Annotated[list[str] | None, typer.Argument(help="Prefect flow run ids")] = None,
    every: Annotated[bool, typer.Option("--all", help="Every flow run's artifacts")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON list")] = False,
) -> None:
    """Sign the links in the markdown artifacts of these runs again (in place), so they open for
    another 7 days (or for good through the link server when FTFLOW_LINKS_URL is set)."""
    from ftflow.flows.artifacts import resign as resign_artifacts

    if not flow_runs and not every:
        raise _fail("name flow run ids, or --all")
    try:
        rows = resign_artifacts(flow_runs, every=every)
    except ValueError as exc:  # a malformed flow run id
        raise _fail(str(exc)) from None
    except FtflowError as exc:
        raise _fail(str(exc)) from None
    except Exception as exc:  # the Prefect API could not be reached: one line, no traceback
        raise _fail(f"cannot update artifacts through the Prefect API: {type(exc).__name__}: {exc}") from None
    if as_json:
        print_json(rows)
        return
    columns = ["flow_run", "key", "artifact", "links"]
    print_rows("Re-signed artifacts", columns, [[str(r[c]) for c in columns] for r in rows])
    typer.echo(f"{sum(r['links'] for r in rows)} link(s) in {len(rows)} artifact(s) "
               + ("now go through the link server" if links.lasting() else "signed for 7 days"), err=True)  # fmt: skip

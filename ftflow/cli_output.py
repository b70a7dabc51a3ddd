"""How the listing commands print rows: a table for a person at a terminal, one tab-separated
line per row when stdout is piped (ids and model names whole, never wrapped or cut, so
`ftflow models | grep <model id>` finds the row), JSON with ``--json``."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table


def is_terminal() -> bool:
    return sys.stdout.isatty()


def print_json(data: Any) -> None:
    """Plain JSON on stdout (no colour, no wrapping), for scripts and `jq`."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_rows(
    title: str, columns: Sequence[str], rows: Sequence[Sequence[str]], *, console: Console | None = None
) -> None:
    """A table on a terminal; else a header line and one line per row, tab-separated (tabs
    and newlines inside a value become spaces so every row stays one line)."""
    if is_terminal():
        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column, overflow="fold")  # ids and model names stay whole, wrapped if need be
        for row in rows:
            table.add_row(*row)
        (console or Console()).print(table)
        return

    def clean(value: str) -> str:
        return " ".join(str(value).split("\t")).replace("\n", " ")

    lines = ["\t".join(clean(c) for c in columns)] + ["\t".join(clean(v) for v in row) for row in rows]
    sys.stdout.write("\n".join(lines) + "\n")


def print_line(text: str, *, console: Console | None = None) -> None:
    """A line of text: markup on a terminal, plain and unwrapped when piped."""
    if is_terminal():
        (console or Console()).print(text, highlight=False)
    else:
        sys.stdout.write(Console().render_str(text).plain + "\n")

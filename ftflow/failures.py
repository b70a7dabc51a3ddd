"""The one place where any failure becomes what the user sees: one line, never a traceback.

Commands run inside `user_errors()`: an FtflowError keeps its message and exit code (2, or
what the command chose); an operating-system error (a path that cannot be read or written,
a full disk) becomes one line naming the path, exit 2; anything else is a bug in ftflow and
is one line saying so, exit 1, with the traceback only when FTFLOW_DEBUG=1 is set.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import functools
import os
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click
import typer

from ftflow.errors import FtflowError, InputError

DEBUG_ENV = "FTFLOW_DEBUG"
EXIT_BUG = 1
F = TypeVar("F", bound=Callable[..., Any])


class SystemProblem(FtflowError):
    """The operating system refused something (a path, space, memory); says what and where."""


def as_ftflow_error(exc: BaseException) -> FtflowError | None:
    """The project's error for `exc`, or None when it is a bug (nothing the user can fix)."""
    if isinstance(exc, FtflowError):
        return exc
    if isinstance(exc, OSError):
        return SystemProblem(describe_os_error(exc))
    if isinstance(exc, MemoryError):
        return SystemProblem("out of memory: give the run more memory or split the input into smaller files")
    if isinstance(exc, UnicodeError):
        return InputError([f"text that cannot be decoded: {exc}; set prepare.encoding"])
    if isinstance(exc, csv.Error):
        return InputError([f"CSV: {exc}"])
    return None


def describe_os_error(exc: OSError) -> str:
    """`PATH: what happened`, e.g. `/proc/x: cannot write (Permission denied)`."""
    what = exc.strerror or str(exc)
    if exc.errno == errno.ELOOP:
        what = "symlink loop (too many levels of symbolic links)"
    elif exc.errno == errno.ENOSPC:
        what = "no space left on the device"
    where = exc.filename if exc.filename is not None else "(file)"
    return f"{where}: {what}"


@contextlib.contextmanager
def user_errors(fail: Callable[[FtflowError, int], None], on_bug: Callable[[str], None]) -> Iterator[None]:
    """Run a command body; `fail(error, code)` reports a user-facing error and exits."""
    try:
        yield
    except (
        SystemExit,
        KeyboardInterrupt,
        click.exceptions.Exit,
        click.exceptions.ClickException,
        click.exceptions.Abort,
        typer.Exit,
    ):
        raise  # an exit the command chose, or the CLI's own usage errors
    except Exception as exc:  # the one catch-all: every failure ends here, as one line
        if os.environ.get(DEBUG_ENV):
            raise
        mapped = as_ftflow_error(exc)
        if mapped is not None:
            fail(mapped, 2)
            return
        on_bug(f"internal error ({type(exc).__name__}: {_short(str(exc))}); this is a bug in ftflow, please "
               f"report it. Run again with {DEBUG_ENV}=1 to see the traceback.")  # fmt: skip
        raise SystemExit(EXIT_BUG) from None


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def guarded(fail: Callable[[FtflowError, int], None], on_bug: Callable[[str], None]) -> Callable[[F], F]:
    """Decorator form of `user_errors` for a CLI command (keeps its signature for typer)."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            with user_errors(fail, on_bug):
                return fn(*args, **kwargs)

        return run  # type: ignore[return-value]

    return wrap

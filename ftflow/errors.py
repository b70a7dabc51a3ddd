"""Errors a user can act on. The CLI prints their message as is, never a traceback."""

from __future__ import annotations


class FtflowError(Exception):
    """Base class: the message is meant for the user and names what to fix."""

    transient = False  # True when the same call may succeed later (retried by flows)


class ConfigError(FtflowError):
    """The configuration file or an option is wrong."""


class UriError(ConfigError, ValueError):
    """An s3:// URI that cannot name anything (no bucket); a ValueError too, for older callers."""


class InputError(FtflowError):
    """One or more input files cannot be read; each problem names file and line or row."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class QualityGateError(FtflowError):
    """Too much of the data was rejected, or too little is left to fine-tune on."""


class CredentialsError(FtflowError):
    """A configured credentials block cannot be used; names the block, never a secret."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient

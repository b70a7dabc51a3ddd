"""Credentials from Prefect blocks, as an option beside the standard environment.

The rule, for S3 and OpenAI alike: a block named in the configuration's ``credentials``
section wins; with no name, the standard environment is used as before (``AWS_*`` variables
and profiles; ``OPENAI_API_KEY``). An explicit choice should not be overridden silently by
whatever a worker's environment happens to hold. Only block *names* are configuration:
secret values stay in Prefect's block store or the environment, and no message here ever
contains one (errors are written from names and field paths, never from exception text).

The CLI and the flows call :func:`configure` with their config; ``ftflow.s3`` and the
OpenAI client factory ask this module, so no call site has to pass credentials along.
"""

from __future__ import annotations

import os
import time
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

import boto3
import botocore.session
from pydantic import ValidationError

from ftflow.config import CredentialsConfig
from ftflow.errors import CredentialsError

if TYPE_CHECKING:
    from prefect.blocks.core import Block
    from prefect_aws import AwsCredentials

B = TypeVar("B", bound="Block")

# A key rotated in the Prefect UI is picked up within this time, without an API call per S3 request.
BLOCK_TTL_S = 60.0

_active = CredentialsConfig()


def configure(cfg: CredentialsConfig) -> None:
    """Make ``cfg``'s block names the ones in force for this process (its flow run or command)."""
    global _active
    _active = cfg


def active() -> CredentialsConfig:
    return _active


# --- S3 -----------------------------------------------------------------------------------


def aws_block() -> AwsCredentials | None:
    """The configured AWS credentials block (loaded at most once per BLOCK_TTL_S), or None."""
    name = _active.aws_credentials_block
    if not name:
        return None
    try:
        from prefect_aws import AwsCredentials
    except ImportError:
        raise CredentialsError(
            f"credentials.aws_credentials_block is {name!r}, but the prefect-aws package is not installed "
            "(pip install prefect-aws)"
        ) from None
    return _load(AwsCredentials, name, "aws_credentials_block")


def aws_session(block: AwsCredentials | None) -> tuple[boto3.Session, botocore.session.Session, dict[str, Any]]:
    """What to build an S3 client from: a boto3 session, the botocore session whose AWS config
    (retry mode, max attempts, configured endpoint) applies, and extra client arguments.

    With a block, its own ``get_boto3_session()`` and ``aws_client_parameters`` (endpoint_url,
    verify, use_ssl, api_version, botocore config): fields left empty there fall back to the
    standard AWS configuration, read under the block's profile when it names one.
    """
    bs = botocore.session.get_session()
    if block is None:
        return boto3.session.Session(botocore_session=bs), bs, {}
    if block.profile_name:
        bs.set_config_variable("profile", block.profile_name)
    return block.get_boto3_session(), bs, block.aws_client_parameters.get_params_override()


def aws_hint(environment: str) -> str:
    """What a user should check after a credentials failure: the block, else ``environment``."""
    name = _active.aws_credentials_block
    return f"the keys in Prefect AWS credentials block {name!r}" if name else environment


# --- OpenAI -------------------------------------------------------------------------------


def openai_api_key(env_var: str = "OPENAI_API_KEY") -> str | None:
    """The OpenAI key: from the configured Secret block when one is named, else ``env_var``,
    else None (the caller says what is missing)."""
    name = _active.openai_api_key_block
    if not name:
        return os.environ.get(env_var) or None
    from prefect.blocks.system import Secret

    value = _load(Secret, name, "openai_api_key_block").get()
    if not isinstance(value, str) or not value.strip():
        raise CredentialsError(f"Prefect Secret block {name!r} (credentials.openai_api_key_block) holds no API key")
    return value.strip()


# --- loading ------------------------------------------------------------------------------


def _load(cls: type[B], name: str, field: str) -> B:
    """``cls.load(name)``, cached for BLOCK_TTL_S, with every failure as one secret-free line."""
    kind = cls.get_block_type_name()
    where = f"Prefect {kind} block {name!r} (credentials.{field})"
    try:
        return _load_cached(cls, name, int(time.monotonic() // BLOCK_TTL_S))  # type: ignore[return-value]
    except ValidationError as exc:  # its input values may be secrets: name the fields only
        fields = ", ".join(sorted({".".join(str(p) for p in e["loc"]) for e in exc.errors()}))
        raise CredentialsError(f"{where} does not fit the {cls.__name__} schema ({fields})") from None
    except ValueError:  # Block.load's "not found"
        raise CredentialsError(
            f"no {where}: create it in the Prefect UI (Blocks) or with {cls.__name__}(...).save({name!r})"
        ) from None
    except Exception as exc:  # API unreachable, server error: the same call may pass later
        raise CredentialsError(
            f"cannot load {where} from the Prefect API ({type(exc).__name__}; check PREFECT_API_URL)", transient=True
        ) from None


@lru_cache(maxsize=8)
def _load_cached(cls: type[Block], name: str, epoch: int) -> Block:
    return cls.load(name, _sync=True)  # type: ignore[call-arg,return-value]  # _sync: sync even when called from async code


def clear_cache() -> None:
    """Forget loaded blocks (tests; or to pick up a rotated key at once)."""
    _load_cached.cache_clear()

"""Credential resolution rules: a named Prefect block wins, else the environment; every
failure is one line that names the block and never holds a secret. No Prefect API needed:
block loading is replaced by in-memory blocks."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from prefect.blocks.system import Secret
from prefect_aws import AwsCredentials
from pydantic import ValidationError
from typer.testing import CliRunner

from ftflow import credentials, s3
from ftflow.cli import app
from ftflow.config import CredentialsConfig, PipelineConfig, describe_validation
from ftflow.errors import CredentialsError
from ftflow.llm import LLMConfigError, openai_client

pytestmark = pytest.mark.usefixtures("fresh_credentials")
SECRET = "sk-block-0123456789abcdef"
AWS_SECRET = "aws-secret-never-shown"


def use_blocks(monkeypatch: pytest.MonkeyPatch, blocks: dict[str, Any], **names: str) -> list[str]:
    """Configure block names and serve ``blocks`` (name -> block, or an exception to raise)
    instead of the Prefect API; returns the names loaded, in order."""
    loaded: list[str] = []

    def load(cls: type, name: str, epoch: int) -> Any:
        loaded.append(name)
        found = blocks[name]
        if isinstance(found, BaseException):
            raise found
        assert isinstance(found, cls)
        return found

    monkeypatch.setattr(credentials, "_load_cached", load)
    credentials.configure(CredentialsConfig(**names))
    return loaded


def aws_block(**fields: Any) -> AwsCredentials:
    defaults = {"aws_access_key_id": "BLOCKKEY", "aws_secret_access_key": AWS_SECRET, "region_name": "eu-west-1",
                "aws_client_parameters": {"endpoint_url": "http://127.0.0.1:9"}}  # fmt: skip
    return AwsCredentials(**{**defaults, **fields})


# --- configuration ----------------------------------------------------------------------


def test_the_section_defaults_to_the_environment_and_describes_itself():
    cfg = PipelineConfig()
    assert cfg.credentials == CredentialsConfig(aws_credentials_block=None, openai_api_key_block=None)
    props = PipelineConfig.model_json_schema()["$defs"]["CredentialsConfig"]["properties"]
    assert "AWS Credentials" in props["aws_credentials_block"]["description"]
    assert "Secret" in props["openai_api_key_block"]["description"]


def test_a_secret_pasted_as_a_block_name_is_refused_without_being_echoed():
    with pytest.raises(ValidationError) as e:
        PipelineConfig.model_validate({"credentials": {"openai_api_key_block": "sk-Proj_ABC123secret"}})
    message = describe_validation(e.value, "config.yaml")
    assert message.startswith("config.yaml: credentials.openai_api_key_block: String should match pattern")
    assert "ABC123secret" not in message


# --- OpenAI -----------------------------------------------------------------------------


def test_openai_key_comes_from_the_environment_without_a_block(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    assert credentials.openai_api_key() == "sk-env"
    monkeypatch.delenv("OPENAI_API_KEY")
    assert credentials.openai_api_key() is None


def test_a_named_secret_block_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    monkeypatch.delenv("AZURE_OPENAI_ENDPOINT", raising=False)
    loaded = use_blocks(monkeypatch, {"openai-key": Secret(value=SECRET)}, openai_api_key_block="openai-key")
    assert credentials.openai_api_key() == SECRET
    assert openai_client().api_key == SECRET
    assert loaded == ["openai-key", "openai-key"]


def test_no_key_anywhere_is_one_line_naming_both_options(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("AZURE_OPENAI_ENDPOINT", raising=False)
    with pytest.raises(LLMConfigError, match=r"^OPENAI_API_KEY is not set and credentials\.openai_api_key_block"):
        openai_client()


def test_an_empty_secret_block_is_refused(monkeypatch: pytest.MonkeyPatch):
    use_blocks(monkeypatch, {"blank": Secret(value="  ")}, openai_api_key_block="blank")
    with pytest.raises(CredentialsError, match=r"^Prefect Secret block 'blank' .* holds no API key$"):
        credentials.openai_api_key()


def test_the_moderator_uses_the_same_key_rules(monkeypatch: pytest.MonkeyPatch):
    from ftflow.tasks.prepare.checks.moderation import OpenAIModerator

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("AZURE_OPENAI_ENDPOINT", raising=False)
    use_blocks(monkeypatch, {"openai-key": Secret(value=SECRET)}, openai_api_key_block="openai-key")
    assert OpenAIModerator().client.api_key == SECRET


# --- loading failures -------------------------------------------------------------------


def _validation_error() -> ValidationError:
    try:
        AwsCredentials.model_validate({"aws_access_key_id": 5, "aws_client_parameters": {"use_ssl": AWS_SECRET}})
    except ValidationError as exc:
        return exc
    raise AssertionError("expected a validation error")


@pytest.mark.parametrize(
    ("failure", "pattern", "transient"),
    [
        (ValueError("Unable to find block document named s3-creds"),
         r"^no Prefect AWS Credentials block 's3-creds' \(credentials\.aws_credentials_block\): create it", False),
        (_validation_error(), r"^Prefect AWS Credentials block 's3-creds' .* does not fit the AwsCredentials schema "
         r"\(aws_access_key_id, aws_client_parameters\.use_ssl\)$", False),
        (ConnectionRefusedError(f"connect failed {AWS_SECRET}"),
         r"^cannot load Prefect AWS Credentials block 's3-creds' .*\(ConnectionRefusedError; check PREFECT_API_URL\)$",
         True),
    ],
)  # fmt: skip
def test_block_failures_are_one_secret_free_line(
    monkeypatch: pytest.MonkeyPatch, failure: BaseException, pattern: str, transient: bool
):
    use_blocks(monkeypatch, {"s3-creds": failure}, aws_credentials_block="s3-creds")
    with pytest.raises(CredentialsError, match=pattern) as e:
        s3.client()
    assert e.value.transient is transient
    assert AWS_SECRET not in str(e.value)
    assert "\n" not in str(e.value)
    assert e.value.__suppress_context__  # no chained traceback carrying the original text


def test_without_prefect_aws_a_named_block_is_one_clear_line(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "prefect_aws", None)  # import fails as if not installed
    credentials.configure(CredentialsConfig(aws_credentials_block="s3-creds"))
    with pytest.raises(CredentialsError, match=r"^credentials\.aws_credentials_block is 's3-creds', but the "
                       r"prefect-aws package is not installed \(pip install prefect-aws\)$"):  # fmt: skip
        s3.client()


def test_blocks_are_loaded_once_per_ttl(monkeypatch: pytest.MonkeyPatch):
    calls: list[str] = []

    def load(name: str, _sync: bool = False) -> Secret:
        calls.append(name)
        return Secret(value=SECRET)

    monkeypatch.setattr(Secret, "load", load)
    now = [1000.0]
    monkeypatch.setattr(credentials.time, "monotonic", lambda: now[0])
    credentials.configure(CredentialsConfig(openai_api_key_block="openai-key"))
    for _ in range(3):
        credentials.openai_api_key()
    assert calls == ["openai-key"]
    now[0] += credentials.BLOCK_TTL_S
    credentials.openai_api_key()
    assert calls == ["openai-key", "openai-key"]  # a key rotated in the UI is picked up


# --- S3 ---------------------------------------------------------------------------------


def test_without_a_block_s3_uses_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ENVKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:8")
    c = s3.client(shared=False)
    assert c.meta.endpoint_url == "http://127.0.0.1:8"
    assert c._request_signer._credentials.access_key == "ENVKEY"


def test_the_block_supplies_session_and_client_parameters_under_ftflows_config(monkeypatch: pytest.MonkeyPatch):
    for var in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ENVKEY")
    block = aws_block(aws_client_parameters={"endpoint_url": "http://127.0.0.1:9", "config": {"read_timeout": 7}})
    use_blocks(monkeypatch, {"s3-creds": block}, aws_credentials_block="s3-creds")
    c = s3.client(shared=False)
    assert c.meta.endpoint_url == "http://127.0.0.1:9"
    assert c.meta.region_name == "eu-west-1"
    assert c._request_signer._credentials.access_key == "BLOCKKEY"  # the block wins over AWS_ACCESS_KEY_ID
    cfg = c.meta.config
    assert cfg.s3 == {"addressing_style": "path"}  # a custom endpoint from the block, too
    assert cfg.retries == {"mode": "standard", "total_max_attempts": s3.DEFAULT_MAX_ATTEMPTS}
    assert (cfg.connect_timeout, cfg.read_timeout) == (5, 7)  # the block's own botocore setting wins
    assert cfg.request_checksum_calculation == "when_supported"


def test_shared_clients_are_keyed_on_the_block_content(monkeypatch: pytest.MonkeyPatch):
    blocks: dict[str, Any] = {"s3-creds": aws_block()}
    use_blocks(monkeypatch, blocks, aws_credentials_block="s3-creds")
    first = s3.client()
    blocks["s3-creds"] = aws_block()  # loaded again later: equal content, same client
    assert s3.client() is first
    blocks["s3-creds"] = aws_block(aws_secret_access_key="rotated-secret")
    rotated = s3.client()
    assert rotated is not first
    credentials.configure(CredentialsConfig())
    assert s3.client() not in (first, rotated)


def test_credential_errors_point_at_the_block(monkeypatch: pytest.MonkeyPatch):
    use_blocks(monkeypatch, {"s3-creds": aws_block()}, aws_credentials_block="s3-creds")
    c = s3.client(shared=False)
    error = ClientError({"Error": {"Code": "SignatureDoesNotMatch"}, "ResponseMetadata": {"HTTPStatusCode": 403}},
                        "PutObject")  # fmt: skip
    message = str(s3.describe_error(error, "s3://b/k", c))
    assert message == ("invalid S3 credentials (SignatureDoesNotMatch) at http://127.0.0.1:9 "
                       "(check the keys in Prefect AWS credentials block 's3-creds')")  # fmt: skip
    denied = ClientError({"Error": {"Code": "AccessDenied"}}, "PutObject")
    assert "Prefect AWS credentials block 's3-creds' / permissions" in str(s3.describe_error(denied, "s3://b/k", c))


# --- CLI --------------------------------------------------------------------------------


def test_cli_a_missing_block_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    config = tmp_path / "ftflow.yaml"
    config.write_text("credentials:\n  aws_credentials_block: nowhere\n")

    def missing(*_: Any) -> Any:
        raise ValueError("Unable to find block document named nowhere")

    monkeypatch.setattr(credentials, "_load_cached", missing)
    result = CliRunner().invoke(app, ["models", "--config", str(config), "--dest", "s3://bucket/root"])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: no Prefect AWS Credentials block 'nowhere' (credentials.aws_credentials_block)")
    assert result.exception is None or isinstance(result.exception, SystemExit)

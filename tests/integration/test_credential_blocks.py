"""Credentials from saved Prefect blocks against the real local services: the session's
Prefect test server holds the blocks, SeaweedFS checks the S3 keys, the emulator serves
OpenAI calls. The secrets must never show up in errors or logs."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import pytest
from prefect.blocks.system import Secret
from prefect_aws import AwsClientParameters, AwsCredentials

from ftflow import credentials, devstack
from ftflow.config import CredentialsConfig
from ftflow.errors import CredentialsError
from ftflow.llm import openai_client
from ftflow.s3 import StorageError
from ftflow.tasks.publish.export import export_dataset, read_dataset_version, resolve_latest

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("fresh_credentials")]
WRONG_SECRET = "wrong-secret-do-not-print"


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


def save_aws_block(svc: devstack.S3Service, secret: str) -> str:
    name = f"s3-{uuid.uuid4().hex[:8]}"
    AwsCredentials(aws_access_key_id=svc.env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=secret,
                   region_name=svc.env["AWS_DEFAULT_REGION"],
                   aws_client_parameters=AwsClientParameters(endpoint_url=svc.endpoint_url)).save(name)  # fmt: skip
    return name


def test_a_block_with_the_right_keys_works_where_the_environment_fails(
    prefect_harness: None, s3_server: devstack.S3Service, dest: str, dataset: Path,
    monkeypatch: pytest.MonkeyPatch, debug_logs: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str],
):  # fmt: skip
    right_secret = s3_server.env["AWS_SECRET_ACCESS_KEY"]
    name = save_aws_block(s3_server, right_secret)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "nobody")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", WRONG_SECRET)
    with pytest.raises(
        StorageError, match=r"invalid S3 credentials \(InvalidAccessKeyId\) .*\(check AWS_ACCESS_KEY_ID"
    ):
        export_dataset(dataset, dest, name="faq")  # the environment alone no longer works
    monkeypatch.delenv("AWS_ENDPOINT_URL")  # from now on, only the block knows the endpoint too

    credentials.configure(CredentialsConfig(aws_credentials_block=name))
    exported = export_dataset(dataset, dest, name="faq")
    assert exported.uploaded
    version = read_dataset_version(resolve_latest(dest, "faq"))
    assert version.dataset_sha256 == exported.dataset_sha256
    assert right_secret not in debug_logs.text + "".join(capsys.readouterr())


def test_a_block_with_wrong_keys_gives_the_clear_wrong_credentials_line(
    prefect_harness: None, s3_server: devstack.S3Service, dest: str, dataset: Path,
    debug_logs: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str],
):  # fmt: skip
    name = save_aws_block(s3_server, WRONG_SECRET)
    credentials.configure(CredentialsConfig(aws_credentials_block=name))  # wins over the right keys in the env
    with pytest.raises(StorageError) as e:
        export_dataset(dataset, dest, name="faq")
    assert str(e.value) == (f"invalid S3 credentials (SignatureDoesNotMatch) at {s3_server.endpoint_url} "
                            f"(check the keys in Prefect AWS credentials block {name!r})")  # fmt: skip
    assert WRONG_SECRET not in debug_logs.text + "".join(capsys.readouterr())


def test_a_block_name_that_was_never_saved_is_one_line(prefect_harness: None, s3_server: devstack.S3Service, dest: str):
    credentials.configure(CredentialsConfig(aws_credentials_block="never-saved"))
    with pytest.raises(CredentialsError, match=r"^no Prefect AWS Credentials block 'never-saved' "
                       r"\(credentials\.aws_credentials_block\): create it"):  # fmt: skip
        read_dataset_version(dest + "/datasets/faq/anything")


def test_the_openai_key_from_a_secret_block_reaches_the_api(
    prefect_harness: None, emulator: str, monkeypatch: pytest.MonkeyPatch, debug_logs: pytest.LogCaptureFixture
):
    key = f"sk-block-{uuid.uuid4().hex}"
    name = f"openai-{uuid.uuid4().hex[:8]}"
    Secret(value=key).save(name)
    monkeypatch.delenv("OPENAI_API_KEY")
    credentials.configure(CredentialsConfig(openai_api_key_block=name))
    client = openai_client()
    assert client.api_key == key
    assert any(m.id for m in client.models.list())  # the emulator refuses requests without a key
    assert key not in debug_logs.text

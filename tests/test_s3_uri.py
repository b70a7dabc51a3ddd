"""S3 URI, glob and error-mapping logic; no server needed."""

from __future__ import annotations

import hashlib
import json

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError
from pydantic import ValidationError

from ftflow import s3
from ftflow.s3 import SSE, S3Settings, StorageError
from ftflow.tasks.publish import export


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("s3://bucket", ("bucket", "")),
        ("s3://bucket/", ("bucket", "")),
        ("s3://bucket/a/b.jsonl", ("bucket", "a/b.jsonl")),
        ("s3://bucket/landing/", ("bucket", "landing/")),
        ("s3://b/x y/ü.csv", ("b", "x y/ü.csv")),
    ],
)
def test_parse_uri(uri: str, expected: tuple[str, str]):
    assert s3.parse_uri(uri) == expected


@pytest.mark.parametrize("bad", ["bucket/key", "S3://b/k", "s3://", "s3:///key", "/tmp/x"])
def test_parse_uri_rejects(bad: str):
    with pytest.raises(ValueError, match="URI"):
        s3.parse_uri(bad)


def test_join_and_make_uri():
    assert s3.join("s3://b", "datasets", "faq/", "/abc") == "s3://b/datasets/faq/abc"
    assert s3.join("s3://b/root/", "") == "s3://b/root"
    assert s3.make_uri("b", "k/x") == "s3://b/k/x"
    assert s3.is_s3_uri("s3://b")
    assert not s3.is_s3_uri("./data.csv")


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("landing/a.jsonl", ("landing/a.jsonl", None)),
        ("landing/*.jsonl", ("landing/", "landing/*.jsonl")),
        ("landing/2024-0?/x", ("landing/2024-0", "landing/2024-0?/x")),
        ("l[ab]/x", ("l", "l[ab]/x")),
        ("*", ("", "*")),
    ],
)
def test_split_glob(key: str, expected: tuple[str, str | None]):
    assert s3.split_glob(key) == expected


KEYS = [
    "landing/a.jsonl",
    "landing/b.csv",
    "landing/sub/c.jsonl",
    "landing/sub/",
    "landing2/x.jsonl",
]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("landing/a.jsonl", ["landing/a.jsonl"]),  # an object
        ("landing", ["landing/a.jsonl", "landing/b.csv", "landing/sub/c.jsonl"]),  # a prefix
        ("landing/", ["landing/a.jsonl", "landing/b.csv", "landing/sub/c.jsonl"]),
        ("landing/sub", ["landing/sub/c.jsonl"]),  # folder markers never match
        ("", [k for k in KEYS if not k.endswith("/")]),  # the whole bucket
        ("land", []),  # a prefix ends at a "/" boundary
        ("landing/*.jsonl", ["landing/a.jsonl", "landing/sub/c.jsonl"]),  # * crosses "/"
        ("landing/?.csv", ["landing/b.csv"]),
        ("landing*/[ax].jsonl", ["landing/a.jsonl", "landing2/x.jsonl"]),
        ("landing/*.JSONL", []),  # case-sensitive, like S3 keys
    ],
)
def test_select_keys(key: str, expected: list[str]):
    assert s3.select_keys(key, KEYS) == expected


def test_sse_settings(monkeypatch: pytest.MonkeyPatch):
    assert SSE().extra_args() == {"ServerSideEncryption": "AES256"}
    kms = SSE(algorithm="aws:kms", kms_key_id="alias/k")
    assert kms.extra_args() == {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "alias/k"}
    with pytest.raises(ValidationError, match="kms_key_id requires"):
        SSE(algorithm="AES256", kms_key_id="alias/k")
    assert S3Settings().sse_config() is None
    monkeypatch.setenv("FTFLOW_S3_SSE", "aws:kms")
    monkeypatch.setenv("FTFLOW_S3_SSE_KMS_KEY_ID", "key-1")
    monkeypatch.setenv("FTFLOW_S3_MULTIPART_THRESHOLD_MB", "32")
    settings = S3Settings()
    assert settings.sse_config() == SSE(algorithm="aws:kms", kms_key_id="key-1")
    assert settings.transfer_config().multipart_threshold == 32 * 1024 * 1024


def _client_error(code: str, status: int, op: str = "PutObject") -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": status}},
        op,
    )


@pytest.mark.parametrize(
    ("exc", "message", "transient"),
    [
        (_client_error("AccessDenied", 403), "S3 access denied for s3://b/k (check AWS_ACCESS_KEY_ID / permissions)", False),
        (_client_error("403", 403, "HeadObject"), "S3 access denied for s3://b/k", False),
        (_client_error("InvalidAccessKeyId", 403), "invalid S3 credentials (InvalidAccessKeyId)", False),
        (_client_error("SignatureDoesNotMatch", 403), "invalid S3 credentials (SignatureDoesNotMatch)", False),
        (_client_error("NoSuchBucket", 404), "bucket 'b' does not exist (create it, or pass --create-bucket)", False),
        (_client_error("NoSuchKey", 404), "no such S3 object: s3://b/k", False),
        (_client_error("InternalError", 500), "S3 server error InternalError for s3://b/k", True),
        (_client_error("SlowDown", 503), "S3 server error SlowDown", True),
        (EndpointConnectionError(endpoint_url="http://127.0.0.1:8333/b/k"), "cannot reach S3 endpoint", True),
        (NoCredentialsError(), "no S3 credentials found", False),
    ],
)  # fmt: skip
def test_describe_error(exc: Exception, message: str, transient: bool):
    err = s3.describe_error(exc, "s3://b/k", None)
    assert str(err).startswith(message)
    assert err.transient is transient
    assert "\n" not in str(err)


def test_describe_error_names_endpoint_and_attempts(monkeypatch: pytest.MonkeyPatch, tmp_path):
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:8333")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "top-secret")
    monkeypatch.delenv("AWS_MAX_ATTEMPTS", raising=False)
    c = s3.client(shared=False)
    err = s3.describe_error(EndpointConnectionError(endpoint_url="x"), "s3://b/k", c)
    assert str(err) == ("cannot reach S3 endpoint http://127.0.0.1:8333 after 8 attempts (EndpointConnectionError)")
    err = s3.describe_error(_client_error("SignatureDoesNotMatch", 403), "s3://b/k", c)
    assert "top-secret" not in str(err)


def test_client_uses_standard_aws_settings(monkeypatch: pytest.MonkeyPatch, tmp_path):
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    for key in ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_MAX_ATTEMPTS", "AWS_PROFILE"]:
        monkeypatch.delenv(key, raising=False)
    aws = s3.client(shared=False)
    assert aws.meta.region_name == "eu-west-1"
    assert "amazonaws.com" in aws.meta.endpoint_url
    assert aws.meta.config.retries == {"mode": "standard", "total_max_attempts": 8}
    assert (aws.meta.config.s3 or {}).get("addressing_style") != "path"

    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9999")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "3")
    monkeypatch.setenv("AWS_RETRY_MODE", "adaptive")
    local = s3.client()
    assert local.meta.endpoint_url == "http://127.0.0.1:9999"
    assert local.meta.config.s3 == {"addressing_style": "path"}
    assert local.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 3}
    assert s3.client() is local  # shared while the AWS_* environment is the same


def test_storage_layout():
    from ftflow.layout import StorageLayout, parse_version

    assert StorageLayout("s3://b").landing() == "s3://b/landing/"
    assert StorageLayout("s3://b/root").run("run-7") == "s3://b/root/runs/run-7/"
    assert StorageLayout("s3://b").registry() == "s3://b/registry/"
    assert StorageLayout("s3://b/").version("faq", "ab" * 32) == f"s3://b/datasets/faq/{'ab' * 32}"
    assert StorageLayout("s3://b").latest("faq") == "s3://b/datasets/faq/LATEST"
    assert StorageLayout.run_eval_key("r1", "report.md") == "runs/r1/eval/report.md"
    assert StorageLayout.registry_key("events") == "registry/events"
    assert parse_version(f"s3://b/root/datasets/faq/{'ab' * 32}/") == ("s3://b/root", "faq")
    assert parse_version("s3://b/root/datasets/faq/LATEST") == (None, None)
    with pytest.raises(ValueError, match="invalid dataset name"):
        StorageLayout("s3://b").dataset("../up")


def test_export_refuses_a_dataset_dir_that_does_not_match_its_manifest(tmp_path):
    data = b'{"messages": []}\n'
    (tmp_path / "train.jsonl").write_bytes(data)
    manifest = {
        "status": "ok", "dataset_sha256": "a" * 64, "inputs": [],
        "counts": {"rows_read": 1, "rows_kept": 1, "rows_quarantined": 0}, "pii": {"mode": "redact"},
        "tokens": {"model": "gpt-4o-mini-2024-07-18", "encoding": "o200k_base", "example_token_limit": 65536},
        "cost_estimate": {"model": "gpt-4o-mini-2024-07-18", "epochs": 3, "billed_tokens_per_epoch": 9,
                          "billed_tokens": 27, "usd_per_1m_tokens": 3.0, "usd": 0.0, "prices_as_of": "2025-06-01"},
        "outputs": {"train.jsonl": {"sha256": hashlib.sha256(data).hexdigest(), "bytes": 17, "lines": 1}},
    }  # fmt: skip
    (tmp_path / "manifest.json").write_text(json.dumps({k: v for k, v in manifest.items() if k != "counts"}))
    with pytest.raises(export.DatasetDirError, match=r"manifest\.json: .*counts"):  # not a manifest: refused
        export.export_dataset(tmp_path, "s3://b", name="faq")
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "train.jsonl").write_bytes(data.replace(b"[]", b"{}"))  # edited after prepare
    with pytest.raises(export.DatasetDirError, match=r"train\.jsonl does not match manifest"):
        export.export_dataset(tmp_path, "s3://b", name="faq")
    (tmp_path / "manifest.json").unlink()
    with pytest.raises(export.DatasetDirError, match=r"no manifest\.json"):
        export.export_dataset(tmp_path, "s3://b", name="faq")


def test_the_one_retry_policy_retries_only_transient_storage_failures():
    from prefect.states import Failed

    from ftflow.retries import RETRIES, retry_transient, task_options

    options = task_options(60)
    assert options["retries"] == RETRIES
    assert options["retry_condition_fn"] is retry_transient
    cond, task = retry_transient, None
    assert cond(task, None, Failed(data=StorageError("down", transient=True)))
    assert not cond(task, None, Failed(data=StorageError("denied")))
    assert not cond(task, None, Failed(data=ValueError("bug")))

"""Export, read-back and failure behaviour against a real SeaweedFS server over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ftflow import cli_devstack, devstack, s3
from ftflow.layout import StorageLayout
from ftflow.s3 import SSE, StorageError
from ftflow.tasks.publish.export import (
    IncompleteVersionError,
    export_dataset,
    read_dataset_version,
    resolve_latest,
)
from tests.integration.conftest import make_dataset

pytestmark = pytest.mark.integration
WRITE_OPS = {"PutObject", "CreateMultipartUpload", "UploadPart", "CopyObject", "DeleteObject"}


def record_writes(c: s3.S3Client) -> list[tuple[str, str]]:
    """(operation, key) of every write request the client sends from now on."""
    writes: list[tuple[str, str]] = []

    def hook(params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name in WRITE_OPS:
            writes.append((model.name, params.get("Key", "")))

    c.meta.events.register("before-parameter-build.s3", hook)
    return writes


def snapshot(uri: str) -> dict[str, tuple[Any, Any, int]]:
    return {o.uri: (o.last_modified, o.etag, o.size) for o in s3.list_objects(uri)}


def manifest_sha(dataset: Path) -> str:
    return json.loads((dataset / "manifest.json").read_text())["dataset_sha256"]


def test_export_is_content_addressed_and_points_latest(dest: str, dataset: Path, tmp_path: Path):
    c = s3.client(shared=False)
    writes = record_writes(c)
    result = export_dataset(dataset, dest, name="faq", client=c)

    sha = manifest_sha(dataset)
    version = StorageLayout(dest).version("faq", sha)
    assert result.uri == version == f"{dest}/datasets/faq/{sha}"
    names = ["data_docs/index.html", "data_docs/validations/train.html", "quarantine.jsonl",
             "test.jsonl", "train.jsonl", "validation.jsonl", "manifest.json"]  # fmt: skip
    assert sorted(o.uri for o in s3.list_objects(dest + "/")) == sorted(
        [f"{version}/{n}" for n in names] + [StorageLayout(dest).latest("faq")]
    )
    # Manifest after every file, then the LATEST pointer.
    assert [k.rsplit("/", 1)[-1] for _, k in writes[-2:]] == ["manifest.json", "LATEST"]
    assert sorted(result.uploaded) == sorted(names)
    assert result.latest_updated
    pointer = json.loads(s3.read_bytes(StorageLayout(dest).latest("faq")))
    assert (pointer["dataset_sha256"], pointer["uri"]) == (sha, version)
    assert pointer["created_at"]
    assert resolve_latest(dest, "faq") == version

    got = read_dataset_version(version, download_to=tmp_path / "copy")
    assert got.dataset_sha256 == sha
    assert set(got.files) == {n for n in names if n.endswith(".jsonl")}
    for n in names:
        assert (tmp_path / "copy" / n).read_bytes() == (dataset / n).read_bytes()


def test_reexport_writes_nothing(dest: str, dataset: Path):
    export_dataset(dataset, dest, name="faq")
    before = snapshot(dest + "/")
    c = s3.client(shared=False)
    writes = record_writes(c)
    again = export_dataset(dataset, dest, name="faq", client=c)
    assert writes == []
    assert again.uploaded == []
    assert again.objects_written == 0  # no file, no manifest, no LATEST
    assert len(again.skipped) == 7
    assert snapshot(dest + "/") == before  # same LastModified, ETag, size for every object


def test_new_version_moves_latest_and_keeps_old(dest: str, dataset_factory: Callable[..., Path]):
    first = export_dataset(dataset_factory("a"), dest, name="faq")
    second = export_dataset(dataset_factory("b"), dest, name="faq")
    assert first.uri != second.uri
    assert resolve_latest(dest, "faq") == second.uri
    assert read_dataset_version(first.uri).dataset_sha256 == first.dataset_sha256


def test_reader_refuses_half_written_versions(dest: str, dataset: Path):
    result = export_dataset(dataset, dest, name="faq")
    train = f"{result.uri}/train.jsonl"

    s3.delete(train)
    with pytest.raises(IncompleteVersionError, match=r"train\.jsonl is missing"):
        read_dataset_version(result.uri)
    repaired = export_dataset(dataset, dest, name="faq")  # exporting again completes it
    assert repaired.uploaded == ["train.jsonl"]
    read_dataset_version(result.uri)

    bucket, key = s3.parse_uri(train)
    s3.client().put_object(Bucket=bucket, Key=key, Body=b"tampered\n")
    with pytest.raises(IncompleteVersionError, match=r"train\.jsonl does not match manifest"):
        read_dataset_version(result.uri)

    s3.delete(f"{result.uri}/manifest.json")
    with pytest.raises(IncompleteVersionError, match=r"incomplete: no manifest\.json"):
        read_dataset_version(result.uri)


def test_expand_object_prefix_and_glob(dest: str, tmp_path: Path):
    c = s3.client()
    bucket, root = s3.parse_uri(dest)
    keys = ["landing/a.jsonl", "landing/b.csv", "landing/sub/c.jsonl", "landing2/x.jsonl"]
    for key in keys:
        c.put_object(Bucket=bucket, Key=f"{root}/{key}", Body=b"{}\n")
    c.put_object(Bucket=bucket, Key=f"{root}/landing/empty/", Body=b"")  # a folder marker

    def names(pattern: str) -> list[str]:
        return [u.removeprefix(dest + "/") for u in s3.expand(f"{dest}/{pattern}")]

    assert names("landing") == keys[:3]  # a prefix stops at the "/" boundary: no landing2
    assert names("landing/") == keys[:3]
    assert names("landing/*.jsonl") == ["landing/a.jsonl", "landing/sub/c.jsonl"]
    assert names("landing/?.csv") == ["landing/b.csv"]
    assert names("landing*/[ax].jsonl") == ["landing/a.jsonl", "landing2/x.jsonl"]
    assert names("landing/a.jsonl") == ["landing/a.jsonl"]
    assert names("nothing-here") == []
    with s3.open_text(f"{dest}/landing/a.jsonl") as fh:
        assert fh.read() == "{}\n"


def test_expand_paginates(dest: str):
    from concurrent.futures import ThreadPoolExecutor

    c = s3.client()
    bucket, root = s3.parse_uri(dest)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: c.put_object(Bucket=bucket, Key=f"{root}/many/{i:04}", Body=b""),
                      range(1003)))  # fmt: skip
    assert len(s3.expand(f"{dest}/many")) == 1003  # more than one 1000-key page


def test_wrong_credentials_give_one_clear_line(dest: str, dataset: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    with pytest.raises(StorageError, match=r"invalid S3 credentials \(SignatureDoesNotMatch\)") as e:
        export_dataset(dataset, dest, name="faq")
    assert "not-the-secret" not in str(e.value)
    assert "\n" not in str(e.value)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "nobody")
    with pytest.raises(StorageError, match=r"invalid S3 credentials \(InvalidAccessKeyId\)"):
        export_dataset(dataset, dest, name="faq")


def test_missing_bucket_is_created_only_when_asked(dataset: Path, s3_server: Any):
    dest = "s3://ftflow-missing-bucket"
    with pytest.raises(StorageError, match=r"^bucket 'ftflow-missing-bucket' does not exist "
                       r"\(create it, or pass --create-bucket\)$"):  # fmt: skip
        export_dataset(dataset, dest, name="faq")
    result = export_dataset(dataset, dest, name="faq", create_bucket=True)
    assert read_dataset_version(resolve_latest(dest, "faq")).uri == result.uri


def test_reader_identity_may_write_only_to_landing(
    s3_server: devstack.S3Service, dataset: Path, monkeypatch: pytest.MonkeyPatch
):
    """SeaweedFS expresses prefix rights as actions like ``Write:bucket/landing/*``."""
    dest = f"s3://{s3_server.bucket}"
    published = export_dataset(dataset, dest, name="reader-test")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", devstack.READER_ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", devstack.READER_SECRET_KEY)

    assert read_dataset_version(published.uri).dataset_sha256 == published.dataset_sha256
    landed = s3.upload_file(dataset / "train.jsonl", StorageLayout(dest).landing() + "reader/train.jsonl")
    assert landed.status == "uploaded"
    other = dataset.parent / "other"
    other.mkdir()
    (other / "manifest.json").write_text(
        (dataset / "manifest.json").read_text().replace(published.dataset_sha256[:8], "00000000")
    )  # a different version, so nothing can be skipped
    for name in ["train", "validation", "test", "quarantine"]:
        (other / f"{name}.jsonl").write_bytes((dataset / f"{name}.jsonl").read_bytes())
    with pytest.raises(StorageError, match=r"S3 access denied for s3://.*/datasets/reader-test/"):
        export_dataset(other, dest, name="reader-test")


def test_sse_is_passed_through(dest: str, dataset: Path, monkeypatch: pytest.MonkeyPatch):
    export_dataset(dataset, dest, name="plain")
    # Asking for SSE-S3 re-writes objects stored without it; SeaweedFS applies it for real.
    result = export_dataset(dataset, dest, name="plain", sse=SSE(algorithm="AES256"))
    assert len(result.uploaded) == 7
    assert {s3.head(u).sse for u in s3.expand(result.uri)} == {"AES256"}
    assert export_dataset(dataset, dest, name="plain", sse=SSE()).uploaded == []

    # SSE-KMS: the headers must leave the client; this SeaweedFS has no KMS configured.
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    c = s3.client(shared=False)
    sent: list[dict[str, str]] = []
    c.meta.events.register("before-send.s3.PutObject", lambda request, **_: sent.append(
        {k.lower(): v.decode() if isinstance(v, bytes) else v
         for k, v in request.headers.items()}))  # fmt: skip
    kms = SSE(algorithm="aws:kms", kms_key_id="alias/ftflow-test")
    try:
        export_dataset(dataset, dest, name="kms", sse=kms, client=c)
    except StorageError as exc:  # expected here; it must still be one line
        refused = str(exc)
    else:
        refused = ""
    assert "\n" not in refused
    assert sent, "no PutObject was sent"
    assert sent[0]["x-amz-server-side-encryption"] == "aws:kms"
    assert sent[0]["x-amz-server-side-encryption-aws-kms-key-id"] == "alias/ftflow-test"


def test_large_file_multipart_verified(dest: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("FTFLOW_S3_MULTIPART_THRESHOLD_MB", "5")
    monkeypatch.setenv("FTFLOW_S3_MULTIPART_CHUNKSIZE_MB", "5")
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(12 * 1024 * 1024))
    c = s3.client(shared=False)
    writes = record_writes(c)
    first = s3.upload_file(big, f"{dest}/big.bin", s3=c)
    assert first.status == "uploaded"
    assert [op for op, _ in writes].count("CreateMultipartUpload") == 1
    assert sum(op == "UploadPart" for op, _ in writes) == 3
    assert s3.upload_file(big, f"{dest}/big.bin", s3=c).status == "skipped"
    assert s3.download(f"{dest}/big.bin", tmp_path / "back.bin") == first.sha256


def _kill_after_first_put(c: s3.S3Client, then: Callable[[], None]) -> None:
    done = threading.Event()

    def hook(**_: Any) -> None:
        if not done.is_set():
            done.set()
            then()

    c.meta.events.register("after-call.s3.PutObject", hook)


def test_server_killed_mid_export_fails_clearly_and_loses_nothing(
    s3_server: devstack.S3Service, s3_state_dir: Path, dest: str, dataset: Path,
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
):  # fmt: skip
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "3")
    c = s3.client(shared=False)
    _kill_after_first_put(c, lambda: devstack.stop_service(s3_state_dir, "s3", force=True))
    try:
        with pytest.raises(StorageError, match=r"^cannot reach S3 endpoint http://127\.0\.0\.1:"
                           rf"{s3_server.port} after 3 attempts") as e:  # fmt: skip
            export_dataset(dataset, dest, name="faq", client=c)
        assert e.value.transient
    finally:
        devstack.start_s3(s3_state_dir, port=s3_server.port)

    version = StorageLayout(dest).version("faq", manifest_sha(dataset))
    survivors = [o.uri.removeprefix(version + "/") for o in s3.list_objects(version + "/")]
    assert survivors
    assert "manifest.json" not in survivors
    with pytest.raises(IncompleteVersionError, match=r"no manifest\.json"):
        read_dataset_version(version)
    with pytest.raises(StorageError, match="no published version"):
        resolve_latest(dest, "faq")

    result = export_dataset(dataset, dest, name="faq")
    assert set(survivors) <= set(result.skipped)  # written before the crash, still intact
    read_dataset_version(resolve_latest(dest, "faq"), download_to=tmp_path / "copy")


def test_export_rides_out_a_server_restart(
    s3_server: devstack.S3Service, s3_state_dir: Path, dest: str, dataset: Path,
    monkeypatch: pytest.MonkeyPatch,
):  # fmt: skip
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "12")  # backoff long enough for a ~1 s restart
    errors: list[BaseException] = []

    def restart() -> None:
        try:
            devstack.start_s3(s3_state_dir, port=s3_server.port)
        except BaseException as exc:
            errors.append(exc)

    restarter = threading.Thread(target=restart)

    def bounce() -> None:
        devstack.stop_service(s3_state_dir, "s3", force=True)
        restarter.start()

    c = s3.client(shared=False)
    _kill_after_first_put(c, bounce)
    try:
        result = export_dataset(dataset, dest, name="faq", client=c)
    finally:
        restarter.join(60)
    assert not errors
    assert read_dataset_version(resolve_latest(dest, "faq")).uri == result.uri


# --- devstack ---------------------------------------------------------------------------


def test_devstack_cli_up_twice_env_down(tmp_path: Path):
    runner = CliRunner()
    state = ["--state-dir", str(tmp_path / "ds")]
    up = runner.invoke(
        cli_devstack.devstack_app, ["up", "--port", "0", "--openai-port", "0", "--links-port", "0", *state]
    )
    assert up.exit_code == 0, up.output
    assert "ready in" in up.output
    again = runner.invoke(cli_devstack.devstack_app, ["up", *state])
    assert "already running" in again.output
    env = runner.invoke(cli_devstack.devstack_app, ["env", *state])
    lines = dict(line.removeprefix("export ").split("=", 1) for line in env.output.splitlines())
    assert set(lines) == {"AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                          "AWS_DEFAULT_REGION", "FTFLOW_BUCKET", "OPENAI_BASE_URL", "OPENAI_API_KEY",
                          "FTFLOW_LINKS_URL"}  # fmt: skip
    services = list(devstack.load_services(tmp_path / "ds").values())
    assert [s.name for s in services] == ["s3", "links", "openai"]
    down = runner.invoke(cli_devstack.devstack_app, ["down", *state])
    assert "stopped: openai, links, s3" in down.output
    assert not any(devstack.is_running(s) for s in services)
    gone = runner.invoke(cli_devstack.devstack_app, ["env", *state])
    assert gone.exit_code == 1
    assert "not running" in gone.output


def test_devstack_down_never_kills_a_stranger(tmp_path: Path):
    """A recorded pid now used by another program (pid reuse) is left alone."""
    stranger = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        fake = devstack.Service(name="s3x", pid=stranger.pid, argv=["weed", "mini"], log="",
                                ports={}, env={}, started_at="")  # fmt: skip
        devstack._save(tmp_path, {"s3x": fake})
        assert devstack.stop_all(tmp_path) == []
        assert stranger.poll() is None
    finally:
        stranger.kill()
        stranger.wait()


def test_file_edited_after_prepare_is_refused_and_no_version_appears(dest: str, tmp_path: Path):
    from ftflow.tasks.publish.export import DatasetDirError

    ds = make_dataset(tmp_path / "edited")
    data = bytearray((ds / "train.jsonl").read_bytes())
    data[10] = ord("X") if data[10] != ord("X") else ord("Y")  # same size, different bytes
    (ds / "train.jsonl").write_bytes(bytes(data))
    with pytest.raises(DatasetDirError, match=r"train\.jsonl does not match manifest\.json"):
        export_dataset(ds, dest, name="edited")
    manifest = json.loads((ds / "manifest.json").read_text())
    with pytest.raises(IncompleteVersionError, match=r"no manifest\.json"):
        read_dataset_version(StorageLayout(dest).version("edited", manifest["dataset_sha256"]))


def test_fresh_export_lists_once_instead_of_a_head_per_file(dest: str, dataset: Path):
    """A HEAD before each upload only for keys that exist: a new version costs one LIST, and
    every upload is still verified by a HEAD after it."""
    c = s3.client(shared=False)
    calls: list[tuple[str, str]] = []
    c.meta.events.register(
        "before-parameter-build.s3",
        lambda params, model, **_: calls.append((model.name, params.get("Key", params.get("Prefix", "")))),
    )
    result = export_dataset(dataset, dest, name="heads", client=c)
    files = [k for op, k in calls if op in ("PutObject", "CreateMultipartUpload")]
    heads = [k for op, k in calls if op == "HeadObject"]
    version_key = s3.parse_uri(result.uri)[1] + "/"
    assert calls.count(("ListObjectsV2", version_key)) == 1  # (another, of one key, checks the bucket)
    data_files = [k for k in files if not k.endswith(("manifest.json", "LATEST"))]
    assert len(data_files) == len(result.uploaded) - 1  # all but the manifest
    for key in data_files:
        assert heads.count(key) == 1  # the verification after the upload only
    # The manifest is still checked before it is written (a concurrent export may have put it).
    manifest_key = next(k for k in files if k.endswith("manifest.json"))
    assert heads.count(manifest_key) == 2


def test_export_without_list_permission_falls_back_to_a_head_per_file(dest: str, dataset: Path, monkeypatch):
    """Credentials that may write but not list (no s3:ListBucket) still export, and idempotently."""
    from botocore.exceptions import ClientError

    def denied(uri: str, **_: Any) -> list[s3.ObjectInfo]:
        error = ClientError({"Error": {"Code": "AccessDenied", "Message": "no"},
                             "ResponseMetadata": {"HTTPStatusCode": 403}}, "ListObjectsV2")  # fmt: skip
        raise s3.describe_error(error, uri, None) from error

    monkeypatch.setattr(s3, "list_objects", denied)
    first = export_dataset(dataset, dest, name="nolist")
    again = export_dataset(dataset, dest, name="nolist")
    assert first.uploaded
    assert again.uploaded == []
    assert sorted(again.skipped) == sorted(first.uploaded)

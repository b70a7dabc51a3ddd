"""prepare + export against the real local S3 server, through the library and the CLI."""

import re
import subprocess
import sys

import pytest

from ftflow import s3
from ftflow.config import PrepareConfig
from ftflow.tasks.prepare.stage import prepare_dataset
from ftflow.tasks.publish.export import export_dataset, read_dataset_version, resolve_latest

pytestmark = pytest.mark.integration


def test_identical_prepare_exports_no_object_the_second_time(labelled, dest, tmp_path):
    first = prepare_dataset([str(labelled / "examples.jsonl")], tmp_path / "a", PrepareConfig())
    r1 = export_dataset(first.out_dir, dest, name="faq")
    assert r1.objects_written > 5  # splits, quarantine, manifest, Data Docs, LATEST
    again = prepare_dataset([str(labelled / "examples.jsonl")], tmp_path / "b", PrepareConfig())
    assert again.dataset_sha256 == first.dataset_sha256
    r2 = export_dataset(again.out_dir, dest, name="faq")
    assert r2.objects_written == 0
    assert resolve_latest(dest, "faq") == r1.uri
    version = read_dataset_version(r1.uri, download_to=tmp_path / "down")
    assert version.manifest.dataset_sha256 == first.dataset_sha256


def test_cli_reads_s3_inputs_and_publishes_to_s3(labelled, dest, tmp_path):
    s3.upload_file(labelled / "examples.jsonl", f"{dest}/landing/batch-1.jsonl")
    cmd = [
        sys.executable,
        "-m",
        "ftflow.cli",
        "prepare",
        f"{dest}/landing/",
        "--out",
        dest,
        "--name",
        "faq",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert f"Published {dest}/datasets/faq/" in proc.stdout.replace("\n", "")
    version = read_dataset_version(resolve_latest(dest, "faq"))
    # Where the dataset and its Data Docs live now, never the temporary folder it was prepared in.
    text = "".join(proc.stdout.split())  # the table's title wraps and pads where the terminal width says
    assert "ftflow-prepare-" not in text
    assert f"Prepareddataset{version.uri}" in text
    assert f"DataDocs{version.uri}/data_docs/index.html" in text
    assert "DataDocsinabrowser(linkvalid7days" in text
    (f,) = version.manifest.inputs
    assert f.path == f"{dest}/landing/batch-1.jsonl"
    assert f.rows_read == f.rows_kept + f.rows_quarantined == 1500


def test_cli_refused_to_s3_names_the_uploaded_report_not_a_temporary_folder(labelled, dest, tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("prepare:\n  quality: {max_rejected_share: 0.01}\n")
    cmd = [sys.executable, "-m", "ftflow.cli", "prepare", str(labelled / "examples.jsonl"), "--out", dest,
           "--config", str(cfg)]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert proc.returncode == 3, proc.stderr
    text = "".join(proc.stdout.split())
    assert "ftflow-prepare-" not in text
    report = re.search(r"see(s3://\S+?/runs/prepare-\w+)/quarantine\.jsonl", text)
    assert report, proc.stdout
    assert s3.head(f"{report[1]}/quarantine.jsonl") is not None  # the file it names is there


def test_cli_missing_s3_input_and_bucket_are_one_clear_line(dest):
    bucket_missing = ["prepare", "s3://no-such-bucket-xyz/in.jsonl", "--out", "/tmp/unused"]
    proc = subprocess.run([sys.executable, "-m", "ftflow.cli", *bucket_missing], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "no-such-bucket-xyz" in proc.stderr

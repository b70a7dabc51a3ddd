"""The one output-folder discipline (tasks/prepare/output_dir.py) and the one failure funnel
(ftflow/failures.py), tested directly: what the malformed-input matrix relies on."""

from __future__ import annotations

import errno

import pytest
from typer.testing import CliRunner

from ftflow.cli import app
from ftflow.errors import ConfigError, InputError
from ftflow.failures import SystemProblem, as_ftflow_error
from ftflow.tasks.prepare import output_dir


def test_claim_removes_the_manifest_and_every_earlier_output_but_nothing_else(tmp_path):
    for name in ("manifest.json", "train.jsonl", "validation.jsonl", "test.jsonl", "quarantine.jsonl",
                 ".train.jsonl.123.tmp", ".manifest.json.9.tmp", "notes.txt"):  # fmt: skip
        (tmp_path / name).write_text("old")
    (tmp_path / "data_docs").mkdir()
    (tmp_path / "data_docs" / "index.html").write_text("old")
    output_dir.claim(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_claim_refuses_a_file_and_an_unwritable_place(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(ConfigError, match="output path is a file"):
        output_dir.claim(tmp_path / "f")
    with pytest.raises(ConfigError, match="cannot write the output directory"):
        output_dir.claim("/proc/ftflow-test-out")


def test_a_run_that_fails_while_writing_leaves_no_manifest_and_no_temporary(tmp_path, monkeypatch):
    from ftflow.config import PrepareConfig
    from ftflow.tasks.prepare import stage as prepare
    from tests.faults.cases import good_jsonl

    data = tmp_path / "d.jsonl"
    data.write_bytes(good_jsonl(30))
    out = tmp_path / "out"
    prepare.prepare_dataset([str(data)], out, PrepareConfig())
    assert (out / "manifest.json").exists()

    def crash(out_dir, *args):
        (out_dir / ".train.jsonl.4242.tmp").write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device", str(out_dir / "train.jsonl"))

    monkeypatch.setattr(prepare, "write_dataset", crash)
    with pytest.raises(OSError, match="No space left"):
        prepare.prepare_dataset([str(data)], out, PrepareConfig())
    assert not (out / "manifest.json").exists()  # the old one was removed before anything was written
    assert not output_dir.temporaries(out)
    assert not (out / "train.jsonl").exists()


def test_every_failure_maps_to_a_project_error_or_is_a_bug():
    assert isinstance(as_ftflow_error(InputError(["x"])), InputError)
    mapped = as_ftflow_error(OSError(errno.ENOSPC, "No space left on device", "/data/out/train.jsonl"))
    assert isinstance(mapped, SystemProblem)
    assert str(mapped) == "/data/out/train.jsonl: no space left on the device"
    assert (
        str(as_ftflow_error(OSError(errno.ELOOP, "Too many levels", "/a")))
        == "/a: symlink loop (too many levels of symbolic links)"
    )
    assert as_ftflow_error(KeyError("bug")) is None


@pytest.mark.parametrize(
    ("exc", "code", "line"),
    [
        (RuntimeError("boom"), 1, "error: internal error (RuntimeError: boom); this is a bug in ftflow"),
        (PermissionError(errno.EACCES, "Permission denied", "/srv/in.csv"), 2, "error: /srv/in.csv: Permission denied"),
    ],
)
def test_the_cli_turns_any_exception_into_one_line(tmp_path, monkeypatch, exc, code, line):
    from ftflow.tasks.publish import stage as publish_stage  # the composition the CLI runs

    def fail(*args, **kwargs):
        raise exc

    monkeypatch.setattr(publish_stage, "prepare_dataset", fail)
    monkeypatch.delenv("FTFLOW_DEBUG", raising=False)
    result = CliRunner().invoke(app, ["prepare", str(tmp_path / "x.jsonl"), "--out", str(tmp_path / "o")])
    assert result.exit_code == code
    assert [ln for ln in result.stderr.splitlines() if ln.startswith("error:")] == [
        result.stderr.strip().splitlines()[-1]
    ]
    assert result.stderr.strip().splitlines()[-1].startswith(line)
    assert "Traceback" not in result.output

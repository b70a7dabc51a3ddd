"""The command line: exit codes, one clear message on bad input, the summary on success."""

import subprocess
import sys

import pytest


def ftflow(*args, **kw):
    return subprocess.run([sys.executable, "-m", "ftflow.cli", *args], capture_output=True, text=True, **kw)


def test_prepare_prints_summary_with_cost_estimate(labelled, tmp_path):
    proc = ftflow(
        "prepare",
        str(labelled / "examples.jsonl"),
        "--out",
        str(tmp_path),
        "--model",
        "gpt-4.1-mini-2025-04-14",
    )
    assert proc.returncode == 0, proc.stderr
    out = " ".join(proc.stdout.split())
    assert "Cost estimate:" in out
    assert "gpt-4.1-mini-2025-04-14" in out
    assert "near_duplicate" in out
    assert (tmp_path / "manifest.json").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/nonexistent/data.csv"], "/nonexistent/data.csv: no such file"),
        (["--model", "llama-3"], "unknown model 'llama-3'"),
        (["--config", "/nonexistent.yaml"], "/nonexistent.yaml: cannot read config"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(labelled, tmp_path, args, message):
    inputs = [] if args[0].startswith("/nonexistent/") else [str(labelled / "examples.jsonl")]
    proc = ftflow("prepare", *inputs, *args, "--out", str(tmp_path))
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_config_value_names_the_setting(labelled, tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("prepare:\n  split: {train: 0.9, validation: 0.2, test: 0.1}\n")
    proc = ftflow(
        "prepare",
        str(labelled / "examples.jsonl"),
        "--out",
        str(tmp_path / "o"),
        "--config",
        str(cfg),
    )
    assert proc.returncode == 2
    assert "prepare.split" in proc.stderr
    assert "add up to 1" in proc.stderr


def test_gate_refusal_exits_3_and_keeps_the_quarantine(labelled, tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("prepare:\n  quality: {max_rejected_share: 0.01}\n")
    proc = ftflow(
        "prepare",
        str(labelled / "examples.jsonl"),
        "--out",
        str(tmp_path / "o"),
        "--config",
        str(cfg),
    )
    assert proc.returncode == 3
    assert "quality gate" in proc.stderr
    assert (tmp_path / "o" / "quarantine.jsonl").exists()
    assert not (tmp_path / "o" / "train.jsonl").exists()


def test_prepare_progress_goes_to_stderr_as_plain_lines_and_stdout_keeps_only_the_summary(labelled, tmp_path):
    proc = ftflow("prepare", str(labelled / "examples.jsonl"), "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    size = (labelled / "examples.jsonl").stat().st_size
    from ftflow.progress import amount

    (ingest,) = [line for line in proc.stderr.splitlines() if line.startswith("ingest: ")]
    assert ingest.startswith(f"ingest: done, {amount(size, 'bytes')} · 1,500 rows · 1 file (in ")
    assert " rows/s" in ingest
    assert "/s, " in ingest
    assert "\x1b[" not in proc.stderr  # stderr is a pipe: no bars, no cursor movement
    assert proc.stdout.splitlines()[0].startswith(f"Prepared dataset {tmp_path}")
    assert "ingest" not in proc.stdout
    assert "rows/s" not in proc.stdout

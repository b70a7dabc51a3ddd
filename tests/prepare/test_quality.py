import json

import numpy as np
import pandas as pd
import pytest

from ftflow.config import PrepareConfig, QualityConfig
from ftflow.tasks.prepare import quality


def features(**cols):
    n = len(next(iter(cols.values())))
    base = {
        "row_id": np.arange(n),
        "format_error": [None] * n,
        "empty_messages": [0.0] * n,
        "answer_chars": [200.0] * n,
        "truncation": [None] * n,
        "duplicate_of": pd.array([None] * n, dtype="Int64"),
        "near_duplicate_of": pd.array([None] * n, dtype="Int64"),
        "n_tokens": [100.0] * n,
        "flagged": [None] * n,
        "pii_found": [0.0] * n,
    }
    base.update(cols)
    return pd.DataFrame(base)


def test_every_rule_maps_failing_rows_to_its_reason_code(tmp_path):
    f = features(
        format_error=[
            None,
            "unrecognized_role: message 2 has role 'bot'",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ],
        empty_messages=[0.0, np.nan, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        answer_chars=[200.0, np.nan, 0.0, 49.0, 50.0, 300.0, 300.0, 300.0, 300.0],
        truncation=[None, None, None, None, None, "mid_word", None, None, None],
        duplicate_of=pd.array([None, None, None, None, None, None, 0, None, None], dtype="Int64"),
        near_duplicate_of=pd.array([None, None, None, None, None, None, None, 0, None], dtype="Int64"),
        n_tokens=[100.0, np.nan, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 70_000.0],
    )
    cfg = PrepareConfig()
    gate = quality.run_gate(f, cfg, tmp_path / "docs")
    assert gate.reasons == {
        1: ["invalid_format"],
        2: ["empty"],  # an empty answer is not also "too_short"
        3: ["too_short"],
        5: ["truncated"],
        6: ["duplicate"],
        7: ["near_duplicate"],
        8: ["too_long"],
    }
    assert (tmp_path / "docs" / "index.html").exists()
    assert {e["reason"] for e in gate.expectations} >= {"too_short", "duplicate", "too_long"}


def test_thresholds_come_from_config_and_pii_suite_only_in_quarantine_mode():
    f = features(answer_chars=[60.0, 90.0], pii_found=[0.0, 2.0])
    cfg = PrepareConfig(quality=QualityConfig(min_answer_chars=80, pii="quarantine"))
    assert quality.run_gate(f, cfg, None).reasons == {0: ["too_short"], 1: ["pii"]}
    assert quality.run_gate(f, PrepareConfig(), None).reasons == {}


def test_suites_declare_a_known_reason_for_every_expectation():
    for path in quality.EXPECTATIONS_DIR.glob("*.json"):
        suite = quality.load_suite(path.stem)
        assert all(e["meta"]["reason"] in quality.REASONS for e in suite["expectations"])
        assert json.loads(path.read_text())["name"] == path.stem


def test_suite_without_reason_is_rejected(tmp_path):
    (tmp_path / "bad.json").write_text(
        json.dumps(
            {
                "name": "bad",
                "expectations": [{"type": "expect_column_values_to_be_null", "kwargs": {"column": "x"}}],
            }
        )
    )
    with pytest.raises(ValueError, match=r"meta\.reason"):
        quality.load_suite("bad", tmp_path)


@pytest.mark.parametrize(
    ("rejected", "kept", "expect"),
    [(10, 90, None), (51, 49, "51 of 100 rows rejected (51%)"), (0, 9, "only 9 examples left")],
)
def test_gate_refusal(rejected, kept, expect):
    msg = quality.gate_refusal(rejected + kept, rejected, kept, QualityConfig(), {"duplicate": rejected})
    assert msg == expect if expect is None else expect in msg


@pytest.mark.parametrize("threads", [1, 2], ids=["forked", "fresh-interpreter"])
def test_gate_in_its_own_process_gives_the_same_result(tmp_path, monkeypatch, threads):
    import threading

    from ftflow.tasks.prepare.gate_process import GateProcess

    monkeypatch.setattr(threading, "active_count", lambda: threads)  # a second thread: no fork

    f = features(answer_chars=[60.0, 90.0, np.nan], pii_found=[0.0, 2.0, 0.0],
                 truncation=[None, "mid_word", None])  # fmt: skip
    cfg = PrepareConfig(quality=QualityConfig(min_answer_chars=80, pii="quarantine"))
    process = GateProcess()
    try:
        remote = process.run_gate(f, cfg, tmp_path / "docs")
    finally:
        process.close()
    local = quality.run_gate(f, cfg, None)
    assert remote.reasons == local.reasons == {0: ["too_short"], 1: ["truncated", "pii"]}
    assert remote.expectations == local.expectations
    assert (tmp_path / "docs" / "index.html").exists()


def test_gate_process_ends_once_the_gate_has_run(tmp_path):
    """Its GX memory is not held through the stages after the gate."""
    import os

    from ftflow.tasks.prepare import gate_process

    f = features(answer_chars=[60.0, 90.0, np.nan], pii_found=[0.0, 0.0, 0.0], truncation=[None, None, None])
    process = gate_process.GateProcess()
    result = gate_process.run_gate(process, f, PrepareConfig(), None)
    assert result.reasons == quality.run_gate(f, PrepareConfig(), None).reasons
    with pytest.raises(ProcessLookupError):
        os.kill(process.pid, 0)  # exited and reaped
    process.close()  # closing again (prepare's cleanup) is harmless

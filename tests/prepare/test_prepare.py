import hashlib
import shutil

import numpy as np
import pandas as pd
import pytest

from ftflow.config import PrepareConfig, QualityConfig, SplitConfig
from ftflow.errors import QualityGateError
from ftflow.tasks.prepare.dataset import read_manifest
from ftflow.tasks.prepare.stage import prepare_dataset
from tests.cookbook import format_errors
from tests.helpers import labels_of, read_jsonl


@pytest.fixture(scope="module")
def prepared(labelled, tmp_path_factory):
    out = tmp_path_factory.mktemp("prepared")
    return prepare_dataset([str(labelled / "examples.jsonl")], out, PrepareConfig()), labelled


def test_outputs_pass_the_cookbook_checks_and_openai_minimum(prepared):
    result, _ = prepared
    for name in ("train", "validation", "test"):
        rows = read_jsonl(result.out_dir / f"{name}.jsonl")
        assert len(rows) >= 10
        assert format_errors(rows) == {}


def test_counts_reconcile_per_file_and_overall(prepared):
    result, labelled = prepared
    m = result.manifest.model_dump(mode="json")  # as written to manifest.json
    (f,) = m["inputs"]
    n_lines = sum(1 for _ in (labelled / "examples.jsonl").open())
    assert f["rows_read"] == n_lines == f["rows_kept"] + f["rows_quarantined"]
    c = m["counts"]
    assert c["rows_kept"] == c["train"] + c["validation"] + c["test"]
    assert c["rows_quarantined"] == len(read_jsonl(result.out_dir / "quarantine.jsonl"))
    assert f["sha256"] == hashlib.sha256((labelled / "examples.jsonl").read_bytes()).hexdigest()


def test_manifest_hashes_match_files_and_report_cost(prepared):
    result, _ = prepared
    m = read_manifest(result.out_dir).model_dump(mode="json")  # read_manifest verifies every sha256
    assert m["status"] == "ok"
    assert (
        m["cost_estimate"]["billed_tokens"]
        == m["cost_estimate"]["epochs"] * m["cost_estimate"]["billed_tokens_per_epoch"]
    )
    assert m["cost_estimate"]["billed_tokens_per_epoch"] == m["tokens"]["train"]["total"]
    assert m["cost_estimate"]["usd"] > 0
    assert (result.out_dir / "data_docs" / "index.html").exists()


def test_quarantine_rows_name_file_row_reasons_and_original(prepared):
    result, labelled = prepared
    rows = read_jsonl(result.out_dir / "quarantine.jsonl")
    labels = labels_of(labelled).set_index("line")
    lines = (labelled / "examples.jsonl").read_text().splitlines()
    for q in rows:
        assert q["file"].endswith("examples.jsonl")
        assert q["where"] == f"line {q['row']}"
        assert q["reasons"]
        assert set(q["details"]) == set(q["reasons"])
        assert q["original"] == lines[q["row"] - 1]
        if "duplicate" in q["reasons"]:
            # a whitespace-only variant is an exact duplicate once normalized
            assert labels.at[q["row"], "label"] in ("duplicate", "near_duplicate")


def test_duplicates_keep_first_occurrence_and_defects_are_caught(prepared):
    result, labelled = prepared
    labels = labels_of(labelled).set_index("line")["label"]
    reasons = {q["row"]: set(q["reasons"]) for q in read_jsonl(result.out_dir / "quarantine.jsonl")}
    sources = labels_of(labelled).dropna(subset=["source_line"])
    assert not any("duplicate" in reasons.get(int(s), ()) for s in sources["source_line"])
    for label, accepted, minimum in [
        ("duplicate", {"duplicate"}, 1.0),
        ("near_duplicate", {"near_duplicate", "duplicate"}, 0.9),
        ("empty", {"empty"}, 1.0),
        ("too_short", {"too_short", "empty"}, 1.0),
        ("truncated", {"truncated", "too_short"}, 0.7),
    ]:
        lines = labels.index[labels == label]
        caught = np.mean([bool(accepted & reasons.get(n, set())) for n in lines])
        assert caught >= minimum, label
    clean = labels.index[labels.isin(["clean", "pii"])]
    assert np.mean([n not in reasons for n in clean]) >= 0.97


def test_pii_is_redacted_in_outputs(prepared):
    result, _ = prepared
    text = "".join((result.out_dir / f"{n}.jsonl").read_text() for n in ("train", "validation", "test"))
    assert "[EMAIL]" in text or "[PHONE]" in text or "[CARD]" in text
    assert sum(result.manifest.pii.found.values()) > 0


def test_same_input_gives_same_dataset_hash(prepared, tmp_path):
    result, labelled = prepared
    again = prepare_dataset([str(labelled / "examples.jsonl")], tmp_path, PrepareConfig())
    assert again.dataset_sha256 == result.dataset_sha256


def test_test_split_stays_frozen_as_data_grows_and_ratios_change(labelled, tmp_path):
    lines = (labelled / "examples.jsonl").read_text().splitlines(keepends=True)
    first = tmp_path / "first.jsonl"
    first.write_text("".join(lines[:900]))
    prepare_dataset([str(first)], tmp_path / "v1", PrepareConfig())
    grown = PrepareConfig(
        split=SplitConfig(train=0.9, validation=0.05, test=0.05, seed=99, frozen_test=str(tmp_path / "v1"))
    )
    v2 = prepare_dataset([str(labelled / "examples.jsonl")], tmp_path / "v2", grown)
    key = lambda r: tuple((m["role"], m["content"]) for m in r["messages"])  # noqa: E731
    old_test = {key(r) for r in read_jsonl(tmp_path / "v1" / "test.jsonl")}
    new_test = {key(r) for r in read_jsonl(tmp_path / "v2" / "test.jsonl")}
    new_train = {key(r) for r in read_jsonl(tmp_path / "v2" / "train.jsonl")}
    assert old_test <= new_test
    assert not old_test & new_train
    assert v2.manifest.counts.pinned_to_test > 0


def test_gate_refuses_with_reasons_and_writes_no_splits(labelled, tmp_path):
    shutil.copy(labelled / "examples.jsonl", tmp_path / "in.jsonl")
    cfg = PrepareConfig(quality=QualityConfig(max_rejected_share=0.05))
    with pytest.raises(QualityGateError, match=r"rows rejected \(\d+%\), more than the allowed 5%.*duplicate"):
        prepare_dataset([str(tmp_path / "in.jsonl")], tmp_path / "out", cfg)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "data_docs",
        "manifest.json",
        "quarantine.jsonl",
    ]
    assert read_manifest(tmp_path / "out", verify=False).status == "refused"


def test_mixed_formats_in_one_run(tmp_path):
    rows = [
        {"Question": f"What should I bring to appointment type {i}?",
         "Answer": f"For appointment type {i}, bring photo ID, your insurance card and a list of medicines; arrive {i % 7 + 10} minutes early."}
        for i in range(40)
    ]  # fmt: skip
    df = pd.DataFrame(rows)
    df.iloc[:10].to_csv(tmp_path / "a.csv", index=False)
    df.iloc[10:20].to_parquet(tmp_path / "b.parquet")
    df.iloc[20:30].to_excel(tmp_path / "c.xlsx", index=False)
    df.iloc[30:].rename(columns={"Question": "prompt", "Answer": "completion"}).to_json(
        tmp_path / "d.jsonl", orient="records", lines=True
    )
    cfg = PrepareConfig(quality=QualityConfig(near_duplicates=False), system_prompt="You are a clinic assistant.")
    result = prepare_dataset([str(tmp_path / "*")], tmp_path / "out", cfg)
    assert [f.rows_read for f in result.manifest.inputs] == [10, 10, 10, 10]
    assert result.manifest.counts.rows_kept == 40
    first = read_jsonl(tmp_path / "out" / "train.jsonl")[0]["messages"]
    assert [m["role"] for m in first] == ["system", "user", "assistant"]


def test_work_split_between_processes_gives_the_same_dataset(prepared, tmp_path, monkeypatch):
    """Big inputs are parsed, normalized, featurized (block by block) and written in forked parts: same bytes."""
    from ftflow.tasks.prepare import feature_parts, normalize, parallel
    from ftflow.tasks.prepare.readers import jsonl as ingest_jsonl

    result, labelled = prepared
    monkeypatch.setattr(normalize, "BLOCK", 37)
    monkeypatch.setattr(feature_parts, "BLOCK_MESSAGES", 50)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_ITEMS", 50)
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    monkeypatch.setattr(ingest_jsonl, "MIN_PARALLEL_BYTES", 10_000)
    forked = prepare_dataset([str(labelled / "examples.jsonl")], tmp_path, PrepareConfig())
    assert forked.dataset_sha256 == result.dataset_sha256
    for name in ("quarantine.jsonl", "train.jsonl"):
        assert (tmp_path / name).read_bytes() == (result.out_dir / name).read_bytes()
    assert forked.manifest.counts == result.manifest.counts
    assert forked.manifest.tokens == result.manifest.tokens

"""`ftflow prepare docs/ --out DIR` on a folder with a text PDF, a scanned PDF, a DOCX, an HTML
page and a Markdown file (English and Spanish), against the local OpenAI emulator: grounded
pairs with provenance, invented answers quarantined as `ungrounded`, all pairs of one chunk in
one split, nothing paid twice, the budget checked first, and table data deduped against."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from benchmarks import documents_fixtures as fx
from tests.integration.conftest import fault_stats

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def ftflow(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ftflow.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)  # fmt: skip


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.test_documents import needs_tesseract

    needs_tesseract()
    folder = tmp_path_factory.mktemp("docs") / "docs"
    fx.write_all(folder)
    return folder


def config(tmp_path: Path, **documents: object) -> Path:
    path = tmp_path / "ftflow.yaml"
    cfg = {"prepare": {"split": {"train": 0.5, "validation": 0.25, "test": 0.25, "seed": 7},
                       "documents": {"cache_dir": str(tmp_path / "cache"), **documents}}}  # fmt: skip
    path.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    return path


def test_documents_become_grounded_pairs_with_provenance(emulator, docs, tmp_path):
    cfg = config(tmp_path)
    before = fault_stats(emulator)["requests"]
    proc = ftflow("prepare", str(docs), "--out", str(tmp_path / "out"), "--config", str(cfg), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = tmp_path / "out"
    manifest = json.loads((out / "manifest.json").read_text())
    report = manifest["documents"]
    assert {d["path"].rsplit("/", 1)[-1]: d["format"] for d in report["documents"]} == {
        "returns-handbook.pdf": "pdf", "garantia-escaneada.pdf": "pdf", "onboarding.docx": "docx",
        "shipping-faq.html": "html", "soporte.md": "markdown"}  # fmt: skip
    scanned = next(d for d in report["documents"] if d["path"].endswith("garantia-escaneada.pdf"))
    assert scanned["ocr_pages"] == [1, 2]
    assert scanned["languages"] == ["es"]
    assert report["generation"]["requests_needed"] == report["unique_chunks"] == 11
    assert fault_stats(emulator)["requests"] - before == 11  # one request per chunk

    # Every kept example has its source in the sidecar, none inside the training files.
    splits = {name: jsonl(out / f"{name}.jsonl") for name in ("train", "validation", "test")}
    sources = jsonl(out / "sources.jsonl")
    assert "sources.jsonl" in manifest["outputs"]
    assert len(sources) == sum(len(v) for v in splits.values()) == manifest["counts"]["rows_kept"] > 10
    for s in sources:
        example = splits[s["split"]][s["line"] - 1]
        assert set(example) == {"messages"}
        assert s["file"].endswith((".pdf", ".docx", ".html", ".md"))
        assert len(s["chunk_sha256"]) == 64
        if s["file"].endswith(".pdf"):
            assert s["pages"]
    # All pairs of one chunk sit in one split, and every split got some.
    by_chunk: dict[str, set[str]] = {}
    for s in sources:
        by_chunk.setdefault(s["chunk_sha256"], set()).add(s["split"])
    assert all(len(v) == 1 for v in by_chunk.values())
    assert {s["split"] for s in sources} == {"train", "validation", "test"}

    # Spanish documents give Spanish pairs; answers come from the chunk.
    spanish = [splits[s["split"]][s["line"] - 1] for s in sources if s["language"] == "es"]
    assert spanish
    assert all(ex["messages"][0]["content"].startswith(("Según", "¿")) for ex in spanish)

    # Invented answers are quarantined as ungrounded, with their source.
    quarantine = jsonl(out / "quarantine.jsonl")
    ungrounded = [q for q in quarantine if "ungrounded" in q["reasons"]]
    assert ungrounded
    assert len(ungrounded) == report["ungrounded"] == manifest["counts"]["per_reason"]["ungrounded"]
    for q in ungrounded:
        assert "1998" in q["details"]["ungrounded"]
        assert f"chunk {q['source']['chunk_sha256'][:12]}" in q["where"]
        assert q["original"]["answer"].endswith(("country.", "países."))

    # Run again into another folder: every chunk comes from the cache, no request is sent.
    before = fault_stats(emulator)["requests"]
    again = ftflow("prepare", str(docs), "--out", str(tmp_path / "again"), "--config", str(cfg), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert fault_stats(emulator)["requests"] == before
    second = json.loads((tmp_path / "again" / "manifest.json").read_text())
    assert second["documents"]["generation"]["cached"] == 11
    assert second["dataset_sha256"] == manifest["dataset_sha256"]


def test_budget_refuses_before_any_request(emulator, docs, tmp_path):
    before = fault_stats(emulator)["requests"]
    proc = ftflow("prepare", str(docs), "--out", str(tmp_path / "out"),
                  "--config", str(config(tmp_path, max_cost_usd=0.0001)), cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 2
    assert "above prepare.documents.max_cost_usd" in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr
    assert fault_stats(emulator)["requests"] == before


def test_judge_model_and_table_data_together(emulator, docs, tmp_path):
    """A judge model also checks every pair the lexical check passed; a pair also present in a table is
    deduped against it."""
    from ftflow.config import DocumentsConfig
    from ftflow.emulator.qa import qa_pairs
    from ftflow.tasks.prepare.documents import chunking
    from ftflow.tasks.prepare.documents.readers import read_document

    md = docs / "soporte.md"
    chunk = chunking.chunk_document(read_document(str(md), md.read_bytes(), DocumentsConfig()), 0, DocumentsConfig())[
        0
    ][0]
    first = qa_pairs(chunk.text, 3)[0]
    table = tmp_path / "faq.csv"
    with table.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["question", "answer"])
        w.writerow([first["question"], first["answer"]])
        for i in range(12):
            w.writerow([f"Table question number {i} about opening hours?",
                        f"Our stores open at nine and close at {i + 6} in the evening, every day of the week."])  # fmt: skip
    cfg = config(tmp_path, judge_model="gpt-4o-mini")
    before = fault_stats(emulator)["requests"]
    proc = ftflow("prepare", str(docs), str(table), "--out", str(tmp_path / "out"), "--config", str(cfg), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    report = manifest["documents"]
    # One request per chunk, one verdict per pair the lexical check passed.
    assert fault_stats(emulator)["requests"] - before == 11 + report["pairs"] - report["ungrounded"]
    quarantine = jsonl(tmp_path / "out" / "quarantine.jsonl")
    dup = [q for q in quarantine if "duplicate" in q["reasons"]]
    assert len(dup) == 1
    assert dup[0]["file"].endswith("soporte.md")
    assert "faq.csv line 2" in dup[0]["details"]["duplicate"]
    assert dup[0]["source"]["file"].endswith("soporte.md")
    assert manifest["counts"]["per_reason"]["ungrounded"] == manifest["documents"]["ungrounded"] > 0


@pytest.fixture
def text_docs(tmp_path: Path) -> Path:
    """Documents without scans (no OCR): quick to prepare."""
    folder = tmp_path / "docs"
    folder.mkdir()
    fx.html_file(folder / "shipping.html")
    fx.markdown_file(folder / "soporte.md")
    fx.docx_file(folder / "onboarding.docx")
    return folder


def test_generation_survives_429_and_500(emulator, text_docs, tmp_path):
    from tests.integration.conftest import set_faults

    before = fault_stats(emulator)
    set_faults(emulator, next_429=2, next_500=2)
    try:
        proc = ftflow("prepare", str(text_docs), "--out", str(tmp_path / "out"), "--config", str(config(tmp_path)),
                      cwd=tmp_path)  # fmt: skip
    finally:
        set_faults(emulator, reset=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = fault_stats(emulator)
    assert after["injected_429"] - before["injected_429"] == 2
    assert after["injected_500"] - before["injected_500"] == 2
    report = json.loads((tmp_path / "out" / "manifest.json").read_text())["documents"]
    assert report["failed_chunks"] == 0
    assert report["generation"]["stats"]["retries"] == 4


def test_review_outside_a_flow_is_refused_clearly(emulator, text_docs, tmp_path):
    proc = ftflow("prepare", str(text_docs), "--out", str(tmp_path / "out"),
                  "--config", str(config(tmp_path, review=True)), cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 2
    assert "prepare.documents.review pauses a Prefect flow run" in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr

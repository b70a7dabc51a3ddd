"""The malformed-input matrix: every kind of bad or awkward input `ftflow prepare` is tried on.

Each case builds its inputs (and, if needed, a config file) in a fresh folder and says what
must happen: the exit code, a pattern the one error line must match (exit 2/3), and checks on
the written dataset. tests/faults/test_malformed.py runs every case; scripts/fault_matrix.py
runs them too and prints the README table (kind -> exit code -> message).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WORDS = [
    "patient",
    "doctor",
    "nurse",
    "fever",
    "cough",
    "headache",
    "rest",
    "water",
    "sleep",
    "diet",
    "exercise",
    "vaccine",
    "clinic",
    "hospital",
    "dose",
    "tablet",
    "morning",
    "evening",
    "symptom",
    "allergy",
    "infection",
    "pressure",
    "blood",
    "sugar",
    "heart",
    "lung",
    "kidney",
    "liver",
    "skin",
    "bone",
    "muscle",
    "joint",
    "pain",
    "relief",
    "treatment",
    "therapy",
    "visit",
    "appointment",
    "record",
    "insurance",
    "pharmacy",
    "label",
    "warning",
    "child",
    "adult",
    "elderly",
    "pregnancy",
    "travel",
    "season",
    "winter",
    "summer",
    "pollen",
    "dust",
    "smoke",
    "alcohol",
    "coffee",
    "tea",
    "fruit",
    "vegetable",
    "salt",
    "protein",
    "iron",
    "calcium",
    "vitamin",
    "mineral",
    "weight",
    "height",
    "measure",
    "monitor",
    "check",
    "test",
    "result",
    "report",
    "follow",
    "schedule",
    "reminder",
    "emergency",
    "ambulance",
    "urgent",
    "routine",
    "daily",
    "weekly",
    "monthly",
    "yearly",
    "careful",
    "gentle",
    "slowly",
    "quickly",
    "always",
    "never",
    "usually",
    "often",
    "sometimes",
    "rarely",
    "mild",
    "severe",
    "chronic",
    "acute",
    "common",
    "unusual",
    "safe",
    "risky",
    "normal",
    "high",
    "low",
]


def qa_rows(n: int, seed: int = 1) -> list[dict[str, str]]:
    """n distinct, clean question/answer pairs (random words: no near duplicates, no truncation)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        q = " ".join(rng.choice(WORDS) for _ in range(8))
        a = " ".join(rng.choice(WORDS) for _ in range(18))
        rows.append({"question": f"Question {i}: what about {q}?", "answer": f"{a.capitalize()} and then rest."})
    return rows


def chat(row: dict[str, str]) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": row["question"]}, {"role": "assistant", "content": row["answer"]}]}


def jsonl_bytes(records: list[Any]) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)


def csv_text(rows: list[dict[str, str]], header: tuple[str, ...] = ("question", "answer"), delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(h, "") for h in header])
    return buf.getvalue()


ACCENTED = [{"question": f"Qu'est-ce que la fièvre numéro {r['question']}?", "answer": f"Élevée: {r['answer']} Très café."}
            for r in qa_rows(30, seed=7)]  # fmt: skip


@dataclass
class Built:
    """What a case runs: the command-line arguments after `prepare` (inputs, --out, ...)."""

    args: list[str]
    out: Path
    extra: dict[str, Any] = field(default_factory=dict)  # for a case's own `check`


@dataclass
class Case:
    kind: str
    what: str  # the input, in words (the README table's first column)
    build: Callable[[Path], Built]
    exit_code: int
    message: str | None = None  # regex the error line must match (exit 2 and 3)
    manifest: bool | None = None  # a manifest must (True) / must not (False) be written; None: by exit code
    check: Callable[[Built, dict[str, Any] | None], None] | None = None  # more checks on the manifest
    group: str = "input"
    skip_reason: Callable[[], str | None] | None = None


def _w(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _cfg(tmp: Path, text: str) -> list[str]:
    return ["--config", str(_w(tmp / "cfg.yaml", text))]


def simple(name: str, data: bytes | str | Callable[[Path], bytes | str], *, cfg: str | None = None,
           more: list[str] | None = None) -> Callable[[Path], Built]:  # fmt: skip
    """A case with one input file `name` holding `data`."""

    def build(tmp: Path) -> Built:
        content = data(tmp) if callable(data) else data
        path = _w(tmp / "in" / name, content)
        args = [str(path), "--out", str(tmp / "out"), *(more or [])]
        if cfg:
            args += _cfg(tmp, cfg)
        return Built(args, tmp / "out")

    return build


def good_jsonl(n: int = 30, seed: int = 1) -> bytes:
    return jsonl_bytes([chat(r) for r in qa_rows(n, seed)])


def with_bad_lines(*bad: bytes, n: int = 30) -> bytes:
    """n good chat lines with `bad` lines put in after line 3, 6, ..."""
    lines = good_jsonl(n).splitlines(keepends=True)
    for k, line in enumerate(bad):
        lines.insert(3 * (k + 1), line.rstrip(b"\n") + b"\n")
    return b"".join(lines)


def _xlsx_bytes(rows: list[dict[str, str]]) -> bytes:
    import pandas as pd

    buf = io.BytesIO()
    pd.DataFrame(rows).to_excel(buf, index=False, sheet_name="FAQ")
    return buf.getvalue()


def _parquet_bytes(columns: dict[str, list[Any]]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(pa.table(columns), buf)
    return buf.getvalue()


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("data.csv", csv_text(qa_rows(20)))
    return buf.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def _symlink_loop(tmp: Path) -> Built:
    (tmp / "in").mkdir(parents=True)
    a, b = tmp / "in" / "a.jsonl", tmp / "in" / "b.jsonl"
    os.symlink(b, a)
    os.symlink(a, b)
    return Built([str(a), "--out", str(tmp / "out")], tmp / "out")


def _broken_symlink(tmp: Path) -> Built:
    (tmp / "in").mkdir(parents=True)
    link = tmp / "in" / "data.jsonl"
    os.symlink(tmp / "in" / "gone.jsonl", link)
    return Built([str(link), "--out", str(tmp / "out")], tmp / "out")


def _fifo(tmp: Path) -> Built:
    (tmp / "in").mkdir(parents=True)
    path = tmp / "in" / "pipe.jsonl"
    os.mkfifo(path)
    return Built([str(path), "--out", str(tmp / "out")], tmp / "out")


def _twice_via_symlink(tmp: Path) -> Built:
    path = _w(tmp / "in" / "data.jsonl", good_jsonl(30))
    os.symlink(path, tmp / "in" / "alias.jsonl")
    return Built([str(path), str(tmp / "in" / "alias.jsonl"), "--out", str(tmp / "out")], tmp / "out", {"rows": 30})


def _same_file_twice(tmp: Path) -> Built:
    path = _w(tmp / "in" / "data.jsonl", good_jsonl(30))
    return Built([str(path), str(path), str(tmp / "in"), "--out", str(tmp / "out")], tmp / "out", {"rows": 30})


def _out_is_file(tmp: Path) -> Built:
    data = _w(tmp / "in" / "data.jsonl", good_jsonl())
    return Built([str(data), "--out", str(_w(tmp / "out", "i am a file"))], tmp / "out")


def _out_at(path: str) -> Callable[[Path], Built]:
    def build(tmp: Path) -> Built:
        data = _w(tmp / "in" / "data.jsonl", good_jsonl())
        return Built([str(data), "--out", path], tmp / "out")

    return build


def _input_at(spec: str) -> Callable[[Path], Built]:
    def build(tmp: Path) -> Built:
        return Built([spec, "--out", str(tmp / "out")], tmp / "out")

    return build


def _frozen(kind: str) -> Callable[[Path], Built]:
    def build(tmp: Path) -> Built:
        data = _w(tmp / "in" / "data.jsonl", good_jsonl())
        target = {"missing": tmp / "nope", "dir": tmp / "prev", "csv": _w(tmp / "prev.csv", csv_text(qa_rows(5)))}[kind]
        (tmp / "prev").mkdir(exist_ok=True)
        return Built([str(data), "--out", str(tmp / "out"), *_cfg(tmp, f"prepare:\n  split: {{frozen_test: '{target}'}}\n")],
                     tmp / "out")  # fmt: skip

    return build


def _several_bad(tmp: Path) -> Built:
    a = _w(tmp / "in" / "empty.csv", "")
    b = _w(tmp / "in" / "pic.csv", PNG)
    c = _w(tmp / "in" / "notes.txt", "hello")
    return Built([str(a), str(b), str(c), str(tmp / "in" / "missing.jsonl"), "--out", str(tmp / "out")], tmp / "out")


def _over_old_dataset(new: bytes) -> Callable[[Path], Built]:
    """A folder holding an earlier, good dataset; the new run's input is `new`."""

    def build(tmp: Path) -> Built:
        from tests.faults.runner import run_prepare

        old = _w(tmp / "old" / "data.jsonl", good_jsonl(40, seed=3))
        first = run_prepare([str(old), "--out", str(tmp / "out")])
        assert first.exit_code == 0, first.output
        path = _w(tmp / "in" / "data.jsonl", new)
        return Built([str(path), "--out", str(tmp / "out")], tmp / "out")

    return build


def _unreadable(tmp: Path) -> Built:
    path = _w(tmp / "in" / "data.jsonl", good_jsonl())
    path.chmod(0)
    return Built([str(path), "--out", str(tmp / "out")], tmp / "out")


def _root() -> str | None:
    return "root reads any file" if os.geteuid() == 0 else None


def _gz(data: bytes) -> bytes:
    return gzip.compress(data)

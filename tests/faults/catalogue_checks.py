"""Checks and shared data of the malformed-input kinds (tests/faults/catalogue*.py)."""

from __future__ import annotations

from typing import Any

from tests.faults.cases import ACCENTED, Built, csv_text, qa_rows

Manifest = dict[str, Any] | None


def quarantined(n: int, reason: str | None = None, detail: str | None = None):
    """The run quarantined exactly n rows (for `reason`), one of them with `detail` in its details."""

    def check(built: Built, m: Manifest) -> None:
        assert m is not None
        assert m["counts"]["rows_quarantined"] == n, m["counts"]
        if reason:
            assert m["counts"]["per_reason"].get(reason) == n, m["counts"]["per_reason"]
        if detail:
            text = (built.out / "quarantine.jsonl").read_text()
            assert detail in text, text[:2000]

    return check


def encoding(name: str, detected: bool = True):
    def check(built: Built, m: Manifest) -> None:
        assert m is not None
        got = [(f["encoding"], f["encoding_detected"]) for f in m["inputs"]]
        assert got == [(name, detected)], got
        assert m["counts"]["rows_quarantined"] == 0, m["counts"]

    return check


def rows_read(n: int):
    def check(built: Built, m: Manifest) -> None:
        assert m is not None
        assert m["counts"]["rows_read"] == n, m["counts"]
        assert len(m["inputs"]) == 1, [f["path"] for f in m["inputs"]]

    return check


def all_of(*checks):
    def check(built: Built, m: Manifest) -> None:
        for c in checks:
            c(built, m)

    return check


ROWS = qa_rows(30)
GOOD_CSV = csv_text(ROWS)
LATIN = csv_text(ACCENTED)
MSG = '{"messages": [{"role": "user", "content": "Hi there, a question?"}, %s]}'


def _msg(assistant: str) -> bytes:
    return (MSG % assistant).encode()

"""`prepare.quality.moderation: true` sends the messages to the endpoint's /moderations and
quarantines what it flags as `flagged_content` (the emulator flags a fixed word list)."""

import json

import pytest

from ftflow.config import PrepareConfig, QualityConfig
from ftflow.tasks.prepare.stage import prepare_dataset

pytestmark = pytest.mark.integration

ANSWER = "You can book an appointment online or by phone; the desk is open every weekday from 8 to 18."


def _rows(n: int, bad: set[int]) -> str:
    lines = []
    for i in range(n):
        q = f"How do I book appointment number {i} at the clinic on floor {i % 7}?"
        a = (f"I will kill them all, answer {i}." + " " + ANSWER) if i in bad else f"{ANSWER} Reference {i}."
        lines.append(json.dumps({"question": q, "answer": a}))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("enabled", [True, False])
def test_moderation_flag_quarantines_flagged_rows(emulator, tmp_path, enabled):
    src = tmp_path / "faq.jsonl"
    src.write_text(_rows(30, bad={3, 17}))
    cfg = PrepareConfig(quality=QualityConfig(moderation=enabled, near_duplicate_threshold=0.99))
    result = prepare_dataset([str(src)], tmp_path / "out", cfg)
    quarantined = [json.loads(line) for line in (tmp_path / "out" / "quarantine.jsonl").read_text().splitlines()]
    flagged = sorted(q["row"] for q in quarantined if "flagged_content" in q["reasons"])
    if enabled:
        assert flagged == [4, 18]  # 1-based rows of the two violent answers
        assert result.manifest.counts.per_reason["flagged_content"] == 2
    else:
        assert flagged == []

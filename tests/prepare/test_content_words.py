"""The per-language short-answer rule (tasks/prepare/checks/content_words.py, reason `no_content`):
answers past the character minimum whose words are all among their language's most frequent."""

from __future__ import annotations

import json

from ftflow.config import PrepareConfig
from ftflow.tasks.prepare.checks import content_words
from tests.helpers import read_jsonl

ES = "El horario de atención es de lunes a viernes, de nueve a dos, en la planta baja del centro."
EN = "The clinic is open from Monday to Friday, nine to five, on the ground floor of the building."
EMPTY_ES = "No, no es así, y no lo es para nada de lo que se puede ver ya."  # 62 characters, no content
EMPTY_EN = "It is what it is, and that is all there is to it now, so be it."  # 63 characters, no content


def test_function_words_come_from_the_sample_languages() -> None:
    common, langs = content_words.function_words([ES] * 30 + [EN] * 30 + ["12 34"] * 5)
    assert set(langs) == {"es", "en"}
    assert {"de", "que", "the", "of"} <= common
    assert content_words.count(EMPTY_ES, common) == 0
    assert content_words.count(EMPTY_EN, common) == 0
    assert content_words.count(ES, common) >= 4  # horario, atención, lunes, viernes, …
    only_es, langs = content_words.function_words([ES] * 40)
    assert langs == ["es"]
    assert content_words.count(EMPTY_EN, only_es) > 0  # English function words are content to Spanish rules


def _write(path, answers: list[str]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i, a in enumerate(answers):
            msgs = [
                {"role": "user", "content": f"Pregunta {i}: ¿qué horario tiene?"},
                {"role": "assistant", "content": a},
            ]
            f.write(json.dumps({"messages": msgs}, ensure_ascii=False) + "\n")


def _answers(n: int) -> list[str]:
    return [ES.replace("nueve", f"{9 + i % 3}").replace("dos", f"{i} y media") for i in range(n)]


def test_prepare_quarantines_content_free_answers_with_a_reason(tmp_path) -> None:
    from ftflow.tasks.prepare.stage import prepare_dataset

    _write(tmp_path / "in.jsonl", [*_answers(40), EMPTY_ES])
    cfg = PrepareConfig.model_validate({"quality": {"near_duplicates": False}})
    result = prepare_dataset([str(tmp_path / "in.jsonl")], tmp_path / "out", cfg)
    quarantined = read_jsonl(tmp_path / "out" / "quarantine.jsonl")
    assert [q["reasons"] for q in quarantined] == [["no_content"]]
    assert "0 content words" in quarantined[0]["details"]["no_content"]
    assert result.manifest.counts.rows_kept == 40
    off = PrepareConfig.model_validate({"quality": {"near_duplicates": False, "min_content_words": 0}})
    result = prepare_dataset([str(tmp_path / "in.jsonl")], tmp_path / "out_off", off)
    assert result.manifest.counts.rows_kept == 41

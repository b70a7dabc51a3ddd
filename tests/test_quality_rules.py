"""Tests for the rules that must hold on text no one here wrote: language, corpus-learned
truncation (English and Spanish), national PII formats, mojibake repair, and their config."""

from __future__ import annotations

import json
import random

import pytest
from pydantic import ValidationError

from ftflow.config import PrepareConfig
from ftflow.tasks.prepare import encoding_repair, pii_national
from ftflow.tasks.prepare.checks import language, truncation_corpus
from tests.helpers import EN, ES, read_jsonl


def _corpus(sentences: list[str], n: int, seed: int, drop_final_period: float = 0.0) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        text = " ".join(rnd.sample(sentences, 3))
        if rnd.random() < drop_final_period:
            text = text.rstrip(".")
        out.append(text)
    return out


def test_language_detection_english_spanish_unknown() -> None:
    langs = language.detect_languages([EN[0] + " " + EN[1], ES[0] + " " + ES[1], "ok 12", "", "12345 678"])
    assert langs == ["en", "es", language.UNKNOWN, language.UNKNOWN, language.UNKNOWN]


@pytest.mark.parametrize(
    ("sentences", "cut", "signal", "words"),
    [
        (ES, "El horario de atención es de lunes a viernes de", "dangling_word", ["'de'", "Spanish"]),
        (ES, "Puede pedir cita por teléfono o en la web del", "dangling_word", ["'del'", "Spanish"]),
        (ES, "Si los síntomas empeoran, vaya a la farmac", "mid_word", ["'farmac'", "farmacia"]),
        (EN, "If the symptoms get worse, the appointment depends on the", "dangling_word", ["'the'"]),
    ],
)
def test_cut_answers_are_flagged_with_a_reason(sentences, cut, signal, words) -> None:
    texts = [*_corpus(sentences, 80, seed=1), ("Hola. " if sentences is ES else "Hello. ") + cut]
    result = truncation_corpus.detect(texts)
    assert result.signals[-1] == signal
    detail = result.details[-1]
    assert detail is not None
    for w in words:
        assert w in detail
    assert "end with . ! ?" in detail  # the corpus's own punctuation rate is part of the reason
    assert result.signals[:-1] == [None] * 80  # untouched answers pass


@pytest.mark.parametrize("sentences", [ES, EN])
def test_informal_corpus_keeps_answers_without_final_period(sentences) -> None:
    """Two thirds of the answers end without a period: a normal last word is fine there."""
    texts = _corpus(sentences, 120, seed=2, drop_final_period=2 / 3)
    result = truncation_corpus.detect(texts)
    assert sum(s is not None for s in result.signals) <= 2
    prof = result.profiles[result.languages[0]]
    assert prof.punct_rate < 0.5


def test_learned_rules_skip_english_word_rules_for_spanish() -> None:
    """'puede' is not English: the English mid-word rule must not judge a Spanish answer."""
    texts = [*_corpus(ES, 60, seed=3), "Le llamaremos mañana por la tarde si puede"]
    result = truncation_corpus.detect(texts)
    assert result.languages[-1] == "es"
    assert result.signals[-1] != "mid_word"


def test_unknown_language_gets_only_neutral_signals() -> None:
    texts = ["12345 678 90", "```python\nprint(1)", "x = 1 (y"]
    result = truncation_corpus.detect(texts, languages=[language.UNKNOWN] * 3)
    assert result.signals == [None, "open_code_fence", "unbalanced_bracket"]
    assert result.details[1] is not None
    assert "code block" in result.details[1]


PII_POSITIVE = [
    ("Mi DNI es 12345678Z.", "es", "national_id"),
    ("Tengo el NIE X1234567L.", "es", "national_id"),
    ("CIF de la empresa: B58378431.", "es", "national_id"),
    ("Número de la Seguridad Social: 28 12345678 40.", "es", "national_id"),
    ("SSN 536-90-4399 on file.", "en", "national_id"),
    ("NI number AB 12 34 56 C.", "en", "national_id"),
    ("Numéro de sécurité sociale : 2 95 10 99 126 111 93.", "fr", "national_id"),
    ("Steuer-ID 36574261809.", "de", "national_id"),
    ("CURP GODE561231HDFRRN00.", "es", "national_id"),
    ("Llámame al 612 34 56 78 mañana.", "es", "phone"),
    ("La oficina atiende en el 91 123 45 67.", "es", "phone"),
    ("WhatsApp: 612345678", "es", "phone"),
    ("El teléfono es 915 123 456.", "es", "phone"),
    ("Call (555) 123-4567 now.", "en", "phone"),
    ("Reach us at 555.123.4567 today.", "en", "phone"),
    ("Text 4158675309 when you arrive.", "en", "phone"),
    ("Llame al 55 1234 5678 en México.", "es", "phone"),
]
PII_NEGATIVE = [
    "Mi DNI es 12345678A.",  # wrong check letter
    "El pedido 2024-000123 llegará pronto.",
    "Tome 500 mg dos veces al día durante 10 días.",
    "Cita el 15/06/2025 a las 10:30, consulta 214.",
    "The study followed 12345 patients from 2001 to 2019.",
    "ISBN 978-3-16-148410-0 is cited.",
    "Blood pressure of 120/80 mmHg is normal.",
]


@pytest.mark.parametrize(("text", "lang", "kind"), PII_POSITIVE)
def test_national_formats_are_redacted(text, lang, kind) -> None:
    result = pii_national.redact(text, language=lang)
    assert result.counts.get(kind, 0) + (result.counts.get("ssn", 0) if kind == "national_id" else 0) == 1, result
    assert any(p in result.text for p in ("[NATIONAL_ID]", "[PHONE]", "[SSN]"))


@pytest.mark.parametrize("text", PII_NEGATIVE)
def test_numbers_that_are_not_personal_data_survive(text) -> None:
    assert pii_national.redact(text).text == text


def test_regions_come_from_config_and_language() -> None:
    text = "Llámame al 612 34 56 78 o escribe con el DNI 12345678Z."
    assert pii_national.redact(text, language="en", regions=[]).text == text  # en -> US, GB only
    assert pii_national.redact(text, language="es", regions=[]).counts == {"national_id": 1, "phone": 1}
    assert pii_national.redact(text, language="en", regions=["ES"]).counts == {"national_id": 1, "phone": 1}


def test_pii_regions_are_validated() -> None:
    assert PrepareConfig.model_validate({"quality": {"pii_regions": ["es", "us"]}}).quality.pii_regions == ["ES", "US"]
    with pytest.raises(ValidationError, match="unknown region"):
        PrepareConfig.model_validate({"quality": {"pii_regions": ["XX"]}})


def test_mojibake_is_repaired_and_good_text_left_alone() -> None:
    good = [
        "Café — don’t",
        "¿Qué tal? Niña, acción.",
        "plain ascii",
        "naïve résumé",
        "Ã is a letter in Portuguese: São",
    ]
    broken = [g.encode("utf-8").decode("cp1252") for g in good[:2]]
    result = encoding_repair.repair_texts(broken + good)
    assert result.texts == good[:2] + good
    assert result.repaired == 2


def _write_rows(path, rows: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for q, a in rows:
            f.write(json.dumps({"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]},
                               ensure_ascii=False) + "\n")  # fmt: skip


@pytest.mark.parametrize("mode", ["keep", "redact"])
def test_prepare_counts_languages_repairs_and_redacts_quarantine_on_request(tmp_path, mode) -> None:
    from ftflow.tasks.prepare.stage import prepare_dataset

    rows = [(f"Pregunta {i}: ¿a qué hora abre el centro?", t) for i, t in enumerate(_corpus(ES, 40, seed=4))]
    rows += [(f"Question {i}: when does the clinic open?", t) for i, t in enumerate(_corpus(EN, 40, seed=5))]
    rows.append(("¿Horario?", "Mi DNI es 12345678Z y el horario es de lunes a viernes de"))  # cut + PII
    rows.append(("Café?", "El cafÃ© de la cafeterÃ­a abre a las ocho de la mañana todos los días laborables."))
    _write_rows(tmp_path / "in.jsonl", rows)
    cfg = PrepareConfig.model_validate({"quality": {"quarantine_pii": mode}})
    result = prepare_dataset([str(tmp_path / "in.jsonl")], tmp_path / "out", cfg)
    m = result.manifest.model_dump(mode="json")  # as written to manifest.json
    assert m["encoding_repaired"] == 1
    assert m["languages"]["per_language"]["es"] >= 40
    assert m["languages"]["per_language"]["en"] >= 38
    assert m["pii"]["found"].get("national_id") == 1
    quarantined = [q for q in read_jsonl(tmp_path / "out" / "quarantine.jsonl") if "truncated" in q["reasons"]]
    assert len(quarantined) == 1
    assert "'de'" in quarantined[0]["details"]["truncated"]
    assert ("12345678Z" in quarantined[0]["original"]) == (mode == "keep")
    kept = "".join(
        (tmp_path / "out" / f"{s}.jsonl").read_text(encoding="utf-8") for s in ("train", "validation", "test")
    )
    assert "12345678Z" not in kept
    assert "cafÃ©" not in kept

"""Score the quality rules on real text no one on this project wrote.

    .venv/bin/python benchmarks/bench_quality.py [--half report|learn|all] [--rules before|after|both]

Truncation: for each corpus of benchmarks/quality_corpora.py, the untouched answers of one half
plus cut copies of 10 % of them (two draws, each cut half at the end of a word and half inside
one, never right after . ! ?) form the dataset the rules judge, as `prepare` would see it: the
corpus-learned rules learn from that same mix. Reported: recall on the cut copies and the share
of untouched answers rejected as truncated, per corpus and per detected language. The rules were
developed on the ``learn`` halves; the README's figures are the ``report`` halves.

PII: every format the issue lists, inside an English or Spanish sentence, must be redacted.
Encoding: mojibake made from real answers (UTF-8 read as cp1252/Latin-1) must be repaired, and
untouched answers left alone. Results go to benchmarks/results/quality.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import quality_corpora  # noqa: E402

from ftflow.tasks.prepare.checks import truncation  # noqa: E402

CUT_SHARE = 0.10
DRAWS = 2


def _before(texts: list[str]) -> list[str | None]:
    return truncation.detect_truncation(texts)


def _after(texts: list[str]) -> list[str | None]:
    from ftflow.tasks.prepare.checks import truncation_corpus

    return truncation_corpus.detect(texts).signals


def _languages(texts: list[str]) -> list[str]:
    from ftflow.tasks.prepare.checks import language

    return language.detect_languages(texts)


def truncation_scores(name: str, half: str, rules: dict[str, Any]) -> dict[str, Any]:
    texts = quality_corpora.load(name, half)
    if not texts:
        return {"skipped": f"source of {name} not found (see benchmarks/quality_corpora.py)"}
    langs = _languages(texts)
    out: dict[str, Any] = {"answers": len(texts), "languages": dict(Counter(langs).most_common())}
    for label, rule in rules.items():
        hit_cut: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        hit_clean: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        signals_cut: Counter[str] = Counter()
        signals_clean: Counter[str] = Counter()
        seconds = 0.0
        for draw in range(DRAWS):
            rnd = random.Random(1000 * draw + 17)
            picked = rnd.sample(range(len(texts)), max(1, int(len(texts) * CUT_SHARE)))
            cuts, cut_lang = [], []
            for k, i in enumerate(picked):
                c = quality_corpora.cut(texts[i], rnd, inside_word=k % 2 == 1)
                if c is not None:
                    cuts.append(c)
                    cut_lang.append(langs[i])
            t0 = time.perf_counter()
            flags = rule(texts + cuts)
            seconds += time.perf_counter() - t0
            for lang, f in zip(langs, flags[: len(texts)], strict=True):
                for key in (lang, "all"):
                    hit_clean[key][0] += f is not None
                    hit_clean[key][1] += 1
                if f:
                    signals_clean[f] += 1
            for lang, f in zip(cut_lang, flags[len(texts) :], strict=True):
                for key in (lang, "all"):
                    hit_cut[key][0] += f is not None
                    hit_cut[key][1] += 1
                if f:
                    signals_cut[f] += 1
        out[label] = {
            "recall": {k: round(a / b, 3) for k, (a, b) in hit_cut.items() if b >= 20},
            "false_reject": {k: round(a / b, 4) for k, (a, b) in hit_clean.items() if b >= 50},
            "cut_answers": hit_cut["all"][1],
            "untouched_answers": hit_clean["all"][1],
            "signals_on_cut": dict(signals_cut.most_common()),
            "signals_on_untouched": dict(signals_clean.most_common()),
            "seconds_per_1k": round(1000 * seconds / (DRAWS * len(texts)), 3),
        }
    return out


PII_CASES = [
    ("es DNI", "Mi DNI es 12345678Z, por si lo necesitan."),
    ("es NIE", "Tengo el NIE X1234567L desde 2019."),
    ("es mobile", "Llámame al 612 34 56 78 cuando puedas."),
    ("es landline", "La oficina de Madrid atiende en el 91 123 45 67 por las mañanas."),
    ("es mobile compact", "Escríbeme por WhatsApp: 612345678"),
    ("es landline 3-3-3", "El teléfono de la clínica es 915 123 456."),
    ("us (555) 123-4567", "Call me at (555) 123-4567 after five."),
    ("us dotted", "Reach the office at 555.123.4567 any time."),
    ("us compact", "Text 4158675309 when you arrive."),
    ("us SSN", "My social security number is 536-90-4399."),
    ("us SSN spaced", "SSN 536 90 4399 on file."),
    ("es CIF", "La factura va a nombre de la empresa con CIF B58378431."),
    ("es NSS", "Número de afiliación a la Seguridad Social: 28 12345678 40."),
    ("gb NINO", "My National Insurance number is AB 12 34 56 C."),
    ("gb phone", "Ring the surgery on 020 7946 0958."),
    ("fr NIR", "Mon numéro de sécurité sociale est 2 95 10 99 126 111 93."),
    ("fr phone", "Appelez le 01 42 68 53 00."),
    ("de IdNr", "Meine Steuer-ID ist 36574261809."),
    ("de phone", "Rufen Sie 030 901820 an."),
    ("mx CURP", "Mi CURP es GODE561231HDFRRN00."),
    ("mx RFC", "El RFC de la empresa es GODE561231GR8."),
    ("mx phone", "Llame al 55 1234 5678 en la Ciudad de México."),
    ("email", "Escribe a maria.garcia@ejemplo.es para citas."),
    ("card", "Pagué con la tarjeta 4111 1111 1111 1111."),
    ("iban", "Transferencia a ES91 2100 0418 4502 0005 1332."),
]
PII_CLEAN = [
    "Tome 500 mg dos veces al día durante 10 días.",
    "El horario es de 9 a 14 h, de lunes a viernes, desde el 12/03/2024.",
    "The study followed 12345 patients from 2001 to 2019.",
    "Version 3.12.4 fixes bug 1234567.",
    "El pedido 2024-000123 llegará en 3 a 5 días hábiles.",
    "Blood pressure of 120/80 mmHg is normal; 140/90 is high.",
    "La referencia del producto es ABC-1234-XY.",
    "Call 911 or 112 in an emergency; the lab code is AB-123.",
    "Su cita es el 15/06/2025 a las 10:30 en la planta 3, consulta 214.",
    "El precio es de 1.234.567 euros y el código postal 28013.",
    "ISBN 978-3-16-148410-0 and DOI 10.1000/182 are cited.",
]


def pii_scores(rules: list[str]) -> dict[str, Any]:
    from ftflow.tasks.prepare import pii

    out: dict[str, Any] = {}
    for label in rules:
        if label == "before":

            def red(t: str) -> str:
                return pii.redact(t).text

        else:
            from ftflow.tasks.prepare import pii_national

            def red(t: str) -> str:
                return pii_national.redact(t, language=None).text

        missed = [name for name, text in PII_CASES if red(text) == text]
        touched = [text for text in PII_CLEAN if red(text) != text]
        out[label] = {"cases": len(PII_CASES), "missed": missed, "clean_changed": touched}
    return out


def mojibake_scores() -> dict[str, Any]:
    from ftflow.tasks.prepare import encoding_repair

    texts = quality_corpora.load("fortunes-es", "report")[:500] + quality_corpora.load("medquad", "report")[:500]
    broken = [t.encode("utf-8").decode("cp1252", errors="replace") for t in texts if not t.isascii()]
    repaired = encoding_repair.repair_texts(broken)
    fixed = sum(r == t for r, t in zip(repaired.texts, [t for t in texts if not t.isascii()], strict=True))
    untouched = encoding_repair.repair_texts(texts)
    return {"broken": len(broken), "repaired_exactly": fixed, "clean": len(texts),
            "clean_changed": untouched.repaired}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--half", default="report", choices=["report", "learn", "all"])
    ap.add_argument("--rules", default="both", choices=["before", "after", "both"])
    ap.add_argument("--corpus", action="append", help="only these corpora")
    args = ap.parse_args()
    labels = ["before", "after"] if args.rules == "both" else [args.rules]
    rules = {k: v for k, v in (("before", _before), ("after", _after)) if k in labels}
    results: dict[str, Any] = {"half": args.half, "truncation": {}}
    for name in args.corpus or quality_corpora.CORPORA:
        lang, style, _ = quality_corpora.CORPORA[name]
        res = truncation_scores(name, args.half, rules)
        res.update(expected_language=lang, style=style)
        results["truncation"][name] = res
        if "skipped" in res:
            print(f"{name:12s} skipped: {res['skipped']}")
        for label in labels:
            if label in res:
                r = res[label]
                print(f"{name:12s} {label:6s} recall {r['recall']}  false_reject {r['false_reject']}  "
                      f"({r['cut_answers']} cut, {r['untouched_answers']} untouched, {r['seconds_per_1k']} s/1k)")  # fmt: skip
    results["pii"] = pii_scores(labels)
    print("pii", json.dumps(results["pii"], ensure_ascii=False))
    if "after" in labels:
        results["mojibake"] = mojibake_scores()
        print("mojibake", results["mojibake"])
    out = HERE / "results" / f"quality-{args.half}.json"
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print("wrote", out)


if __name__ == "__main__":
    main()

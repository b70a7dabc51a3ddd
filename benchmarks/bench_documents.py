"""Benchmark documents as input: parsing and OCR speed, and how well grounding tells answers
their chunk supports from ones it does not.

    .venv/bin/python benchmarks/bench_documents.py                 # 60 text pages, 8 scanned pages
    .venv/bin/python benchmarks/bench_documents.py --pages 120 --scanned 16

- Parsing: a text PDF of ``--pages`` pages (three sections a page, running header and footer),
  a DOCX, an HTML page and a Markdown file of the same text; each read with
  ``ftflow.tasks.prepare.documents.readers.read_document`` (best of ``--repeat``), pages per minute for the PDF
  and sections per second for the others.
- OCR: an image-only PDF of ``--scanned`` pages (Spanish and English text drawn at 150 dpi),
  rendered at ``prepare.documents.ocr_dpi`` and read by Tesseract; pages per minute and the
  share of the original words found in the OCR text.
- Grounding on real text (when ``--medquad`` exists): MedQuAD answers as chunks, a sentence of
  the chunk as a supported answer, a sentence of another answer and the chunk's sentence with a
  number changed as unsupported ones.
- Grounding: the labelled set of benchmarks/grounding_labels.py (supported: verbatim sentences and
  paraphrases; unsupported: changed numbers, invented clauses, sentences of another section,
  invented answers, generic answers) through the lexical check at the configured threshold;
  precision and recall of "supported", and the share of each unsupported kind caught.

Writes benchmarks/results/documents.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks import documents_fixtures as fx  # noqa: E402
from benchmarks.grounding_labels import SECTIONS, labelled_pairs  # noqa: E402
from ftflow.config import DocumentsConfig  # noqa: E402
from ftflow.tasks.prepare.documents import grounding  # noqa: E402
from ftflow.tasks.prepare.documents.readers import read_document  # noqa: E402


def timed(path: Path, cfg: DocumentsConfig, repeat: int) -> tuple[float, object]:
    best, doc = float("inf"), None
    data = path.read_bytes()
    for _ in range(repeat):
        t0 = time.perf_counter()
        doc = read_document(str(path), data, cfg)
        best = min(best, time.perf_counter() - t0)
    return best, doc


def parsing(work: Path, pages: int, repeat: int, cfg: DocumentsConfig) -> dict[str, object]:
    sections = [SECTIONS[i % len(SECTIONS)] for i in range(pages)]
    sections = [(f"{h} ({i + 1})", ps) for i, (h, ps) in enumerate(sections)]
    out: dict[str, object] = {}
    # Sparse pages (a heading and three paragraphs) and dense ones (the paragraphs five times over).
    for name, secs in (("pdf", sections), ("pdf_dense", [(h, ps * 5) for h, ps in sections])):
        pdf = fx.text_pdf(work / f"{name}.pdf", secs)
        seconds, doc = timed(pdf, cfg, repeat)
        chars = sum(len(b.text) for b in doc.blocks)
        out[name] = {"pages": doc.pages, "chars_per_page": round(chars / doc.pages), "seconds": round(seconds, 3),
                     "pages_per_minute": round(doc.pages / seconds * 60),
                     "headings_found": sum(b.kind == "heading" for b in doc.blocks),
                     "boilerplate_lines_dropped": doc.boilerplate_lines, "bytes": pdf.stat().st_size}  # fmt: skip
    for name, make in (("docx", fx.docx_file), ("html", fx.html_file), ("markdown", fx.markdown_file)):
        path = make(work / f"bench.{ {'markdown': 'md'}.get(name, name) }", sections)
        seconds, doc = timed(path, cfg, repeat)
        out[name] = {"sections": len(sections), "seconds": round(seconds, 4),
                     "sections_per_second": round(len(sections) / seconds), "bytes": path.stat().st_size}  # fmt: skip
    return out


def ocr(work: Path, pages: int, cfg: DocumentsConfig) -> dict[str, object]:
    sections = [SECTIONS[i % len(SECTIONS)] for i in range(pages)]
    pdf = fx.scanned_pdf(work / "scan.pdf", sections)
    t0 = time.perf_counter()
    doc = read_document(str(pdf), pdf.read_bytes(), cfg)
    seconds = time.perf_counter() - t0
    found = grounding.fold(" ".join(b.text for b in doc.blocks)).split()
    want = grounding.fold(" ".join(h + " " + " ".join(ps) for h, ps in sections)).split()
    have = Counter(found)
    hits = sum(min(c, have[w]) for w, c in Counter(want).items())
    return {"pages": len(doc.ocr_pages), "dpi": cfg.ocr_dpi, "languages": cfg.ocr_languages,
            "seconds": round(seconds, 2), "pages_per_minute": round(len(doc.ocr_pages) / seconds * 60, 1),
            "word_recall": round(hits / len(want), 4)}  # fmt: skip


def grounding_scores(cfg: DocumentsConfig) -> dict[str, object]:
    pairs = labelled_pairs()
    tp = fp = fn = tn = 0
    by_kind: dict[str, list[int]] = {}
    for chunk, answer, supported, kind in pairs:
        predicted = grounding.lexical_support(answer, chunk).supported(cfg.grounding_threshold)
        tp += predicted and supported
        fp += predicted and not supported
        fn += supported and not predicted
        tn += not supported and not predicted
        by_kind.setdefault(kind, [0, 0])
        by_kind[kind][0] += predicted == supported
        by_kind[kind][1] += 1
    return {"threshold": cfg.grounding_threshold, "pairs": len(pairs), "supported": tp + fn, "unsupported": fp + tn,
            "precision": round(tp / (tp + fp), 4) if tp + fp else None, "recall": round(tp / (tp + fn), 4),
            "unsupported_caught": round(tn / (tn + fp), 4),
            "correct_by_kind": {k: f"{ok}/{n}" for k, (ok, n) in sorted(by_kind.items())}}  # fmt: skip


def medquad_scores(path: Path, n: int, cfg: DocumentsConfig, seed: int = 0) -> dict[str, object]:
    """Real text: MedQuAD answers as chunks. Supported: a sentence of the chunk; unsupported: a
    sentence of another answer (different question, same medical vocabulary), and the chunk's own
    sentence with a number changed where it has one."""
    import random

    import pandas as pd

    from benchmarks.grounding_labels import _bump_number

    rows = pd.read_csv(path).dropna(subset=["answer"])
    rows = rows[rows["answer"].str.len().between(300, 2500)].drop_duplicates("answer")
    rng = random.Random(seed)
    picked = rng.sample(range(len(rows)), min(n, len(rows)))
    answers = rows["answer"].tolist()

    def sentences(text: str) -> list[str]:
        return [s.strip() for s in __import__("re").split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 8]

    tp = fp = fn = tn = 0
    for i in picked:
        chunk = answers[i]
        own = sentences(chunk)
        other = [x for x in sentences(answers[rng.randrange(len(answers))]) if x not in chunk]  # truly elsewhere
        if not own or not other:
            continue
        labelled = [(rng.choice(own), True), (rng.choice(other), False)]
        bumped = next((b for b in map(_bump_number, own) if b), None)
        if bumped:
            labelled.append((bumped, False))
        for answer, supported in labelled:
            predicted = grounding.lexical_support(answer, chunk).supported(cfg.grounding_threshold)
            tp += predicted and supported
            fp += predicted and not supported
            fn += supported and not predicted
            tn += not supported and not predicted
    return {"chunks": len(picked), "supported": tp + fn, "unsupported": fp + tn,
            "precision": round(tp / (tp + fp), 4) if tp + fp else None, "recall": round(tp / (tp + fn), 4),
            "unsupported_caught": round(tn / (tn + fp), 4)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=60, help="pages of the text PDF")
    ap.add_argument("--scanned", type=int, default=8, help="pages of the scanned PDF")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "documents.json")
    ap.add_argument(
        "--medquad",
        type=Path,
        default=Path("/work/shared/data/medquad.csv"),
        help="MedQuAD CSV (question,answer,source) for grounding on real text; skipped when absent",
    )
    ap.add_argument("--medquad-n", type=int, default=2000, help="answers of it used as chunks")
    args = ap.parse_args()
    cfg = DocumentsConfig()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        result = {"machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores",
                  "parsing": parsing(work, args.pages, args.repeat, cfg), "ocr": ocr(work, args.scanned, cfg),
                  "grounding": grounding_scores(cfg)}  # fmt: skip
        if args.medquad.is_file():
            result["grounding_medquad"] = medquad_scores(args.medquad, args.medquad_n, cfg)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""Documents as input, without a server: readers keep structure and provenance, scans are
OCRed (English and Spanish), chunks follow sections and are deduped, grounding tells supported
answers from invented ones, and the budget is checked before anything would be sent."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from benchmarks import documents_fixtures as fx
from ftflow.config import DocumentsConfig, PrepareConfig
from ftflow.errors import InputError
from ftflow.tasks.prepare import split
from ftflow.tasks.prepare.documents import chunking, grounding, language, ocr
from ftflow.tasks.prepare.documents.boilerplate import drop_boilerplate
from ftflow.tasks.prepare.documents.generation import BudgetError, Generator
from ftflow.tasks.prepare.documents.readers import read_document

CFG = DocumentsConfig()


def needs_tesseract() -> None:
    """OCR tests run wherever Tesseract is; in CI (CI=true) its absence is a failure, not a skip."""
    if ocr.tesseract_path() is None or not {"eng", "spa"} <= ocr.installed_languages():
        if os.environ.get("CI") == "true":
            pytest.fail("tesseract with eng+spa is required in CI (scripts/test.sh installs it)")
        pytest.skip("tesseract (eng, spa) not installed")


def read(path: Path, cfg: DocumentsConfig = CFG):
    return read_document(str(path), path.read_bytes(), cfg)


def texts(doc, kind=None):
    return [b.text for b in doc.blocks if kind is None or b.kind == kind]


def test_text_pdf_keeps_headings_and_pages_and_drops_running_header_footer(tmp_path):
    doc = read(fx.text_pdf(tmp_path / "h.pdf"))
    assert doc.pages == 3
    assert doc.ocr_pages == []
    headings = [(b.text, b.page) for b in doc.blocks if b.kind == "heading"]
    assert headings == [("Returns and refunds", 1), ("Damaged or faulty items", 2), ("Exchanges", 3)]
    body = " ".join(texts(doc))
    assert "within 30 days of delivery" in body
    assert "ACME Retail" not in body
    assert "Page 2 of 3" not in body
    assert "Confidential" not in body
    assert doc.boilerplate_lines >= 6  # header and footer line on each of three pages


def test_scanned_pdf_is_ocred_in_spanish(tmp_path):
    needs_tesseract()
    doc = read(fx.scanned_pdf(tmp_path / "s.pdf"))
    assert doc.ocr_pages == [1, 2]
    body = grounding.fold(" ".join(texts(doc)))
    for words in ("electrodomesticos tienen una garantia", "servicio tecnico recoge", "quince dias"):
        assert words in body
    assert [b.page for b in doc.blocks if b.kind == "heading"] == [1, 2]
    assert "Página 1" not in " ".join(texts(doc))  # the page footer is not content


def test_image_is_ocred_in_english(tmp_path):
    needs_tesseract()
    path = tmp_path / "note.png"
    fx.page_image("Opening hours", ["The shop opens at eight in the morning and closes at eight at night."]).save(path)
    doc = read(path)
    assert doc.format == "image"
    assert doc.ocr_pages == [1]
    assert "closes at eight at night" in " ".join(texts(doc))


def test_docx_headings_lists_and_title_path(tmp_path):
    doc = read(fx.docx_file(tmp_path / "o.docx"))
    assert [(b.text, b.level) for b in doc.blocks if b.kind == "heading"] == [
        ("Employee onboarding guide", 0), ("First week", 1), ("Holidays and absences", 1)]  # fmt: skip
    assert any(b.kind == "list" and b.text.startswith("- Every newcomer") for b in doc.blocks)
    chunks, _ = chunking.chunk_document(doc, 0, CFG)
    assert [c.section for c in chunks] == [["Employee onboarding guide", "First week"],
                                           ["Employee onboarding guide", "Holidays and absences"]]  # fmt: skip


def test_html_drops_navigation_header_footer_and_scripts(tmp_path):
    doc = read(fx.html_file(tmp_path / "f.html"))
    body = " ".join(texts(doc))
    assert "Express delivery arrives" in body
    for furniture in ("Home", "news and updates", "All rights reserved", "tracking')"):
        assert furniture not in body
    assert [b.text for b in doc.blocks if b.kind == "heading"] == [
        "Shipping FAQ",
        "Delivery times",
        "Tracking an order",
    ]


def test_markdown_keeps_lines_lists_and_tables(tmp_path):
    path = fx.markdown_file(tmp_path / "s.md")
    path.write_text(path.read_text(encoding="utf-8") + "\n## Tarifas\n\n| Plan | Precio |\n|---|---|\n| Básico | 5 € |\n",
                    encoding="utf-8")  # fmt: skip
    doc = read(path)
    heads = [(b.text, b.line) for b in doc.blocks if b.kind == "heading"]
    assert heads[:2] == [("Centro de ayuda", 1), ("Soporte técnico", 3)]
    assert any(b.kind == "list" and b.text.startswith("- Las consultas") for b in doc.blocks)
    assert "| Básico | 5 € |" in texts(doc, "table")[0]


def test_pptx_slides_are_pages(tmp_path):
    import pptx

    deck = pptx.Presentation()
    for title, lines in [("Store policy", ["Stores open at nine.", "Staff wear a badge at all times."]),
                         ("Política de tienda", ["Las tiendas abren a las nueve de la mañana."])]:  # fmt: skip
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        body = slide.placeholders[1].text_frame
        body.text = lines[0]
        for line in lines[1:]:
            body.add_paragraph().text = line
    deck.save(str(tmp_path / "d.pptx"))
    doc = read(tmp_path / "d.pptx")
    assert doc.pages == 2
    assert [(b.kind, b.page) for b in doc.blocks] == [("heading", 1), ("list", 1), ("heading", 2), ("text", 2)]


def test_unreadable_documents_name_the_file(tmp_path):
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    for name, message in [("empty.md", "file is empty"), ("broken.docx", "not a readable DOCX"),
                          ("broken.pdf", "not a readable PDF")]:  # fmt: skip
        with pytest.raises(InputError, match=rf"{name}: {message}"):
            read(tmp_path / name)


def test_boilerplate_needs_repetition_on_most_pages():
    words = [
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "zeta",
        "eta",
        "theta",
        "iota",
        "kappa",
        "lambda",
        "mu",
        "nu",
        "xi",
        "omicron",
        "pi",
    ]
    pages = [["ACME · Handbook", *(f"{words[(4 * i + k) % 16]} rule of page" for k in range(6)), f"Page {i} of 4"]
             for i in range(1, 5)]  # fmt: skip
    pages[2].insert(3, "ACME · Handbook")  # repeated, but in the middle of a page: content
    keep, dropped = drop_boilerplate(pages, min_pages=3)
    assert dropped == 8
    assert all(flags[0] is False and flags[-1] is False and all(flags[1:-1]) for flags in keep)
    _, dropped_two = drop_boilerplate(pages[:2], min_pages=3)  # two pages: only the page numbers go
    assert dropped_two == 2


def test_long_sections_are_cut_at_sentences_and_short_scraps_merged(tmp_path):
    sentences = [f"Sentence number {i} explains one rule of the warehouse in plain words." for i in range(80)]
    path = tmp_path / "long.md"
    path.write_text("# Warehouse\n\n" + " ".join(sentences) + "\n\n# Note\n\nShort.\n\n# Next\n\n" + sentences[0] * 3,
                    encoding="utf-8")  # fmt: skip
    cfg = DocumentsConfig(max_chunk_chars=1000)
    chunks, skipped = chunking.chunk_document(read(path), 0, cfg)
    long = [c for c in chunks if c.section == ["Warehouse"]]
    assert len(long) >= 5
    assert all(len(c.body) <= 1000 and c.body.endswith("words.") for c in long)
    assert any("Short." in c.body for c in chunks)
    assert skipped == 0


def test_dedupe_across_documents_and_versions(tmp_path):
    v1 = fx.markdown_file(tmp_path / "help-v1.md")
    v2 = tmp_path / "help-v2.md"
    v2.write_text(v1.read_text(encoding="utf-8").replace("quince minutos", "quince minutos exactos"), encoding="utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_text(fx.SOPORTE_ES[0][1][0] + " " + fx.SOPORTE_ES[0][1][1], encoding="utf-8")
    chunks = []
    for i, p in enumerate([v1, v2, copy]):
        chunks += chunking.chunk_document(read(p), i, CFG)[0]
    assert chunking.dedupe_chunks(chunks) == 3
    assert [c.duplicate_of is None for c in chunks] == [True, True, False, False, False]
    assert chunks[2].duplicate_of == chunks[0].sha256  # exact copy in the new version
    assert chunks[3].duplicate_of == chunks[1].sha256  # one word changed: near copy


@pytest.mark.parametrize(
    ("answer", "supported"),
    [
        ("Refunds are paid to the original payment method within 5 business days.", True),
        ("You get your refund within 5 days on the original payment method.", True),
        ("Refunds are paid within 14 business days.", False),  # a number the chunk lacks
        ("Refunds are paid in cash at any store, or as vouchers valid for one year.", False),
    ],
)
def test_lexical_grounding(answer, supported):
    chunk = "Returns\n\nRefunds are paid to the original payment method within 5 business days after we receive it."
    assert grounding.lexical_support(answer, chunk).supported(0.75) is supported


def test_a_swapped_name_is_ungrounded():
    chunk = "Faulty electronics are covered by a two year warranty handled by our repair centre in Valencia."
    swapped = grounding.lexical_support("The repair centre in Sevilla handles the two year warranty.", chunk)
    assert not swapped.supported(0.75)
    assert swapped.missing_names == ["Sevilla"]
    assert grounding.lexical_support("The repair centre in Valencia handles it.", chunk).supported(0.75)


def test_grounding_folds_accents_and_inflections():
    chunk = "La garantía cubre los defectos de fabricación durante dos años."
    assert grounding.lexical_support("La garantia cubre defectos de fabricacion, dos anos.", chunk).supported(0.75)


def test_language_detection():
    assert language.detect("Los clientes pueden devolver un artículo en los treinta días") == "es"
    assert language.detect("Customers can return an item within thirty days of the delivery") == "en"
    assert language.detect("12345 67") == "und"


def test_budget_is_checked_before_any_request(tmp_path):
    cfg = DocumentsConfig(max_cost_usd=0.000001, cache_dir=str(tmp_path / "cache"))
    doc = read(fx.html_file(tmp_path / "f.html"))
    chunks, _ = chunking.chunk_document(doc, 0, cfg)

    def no_client():
        raise AssertionError("a client was created: a request would have been sent")

    with pytest.raises(BudgetError, match=r"above prepare.documents.max_cost_usd.*nothing was sent"):
        Generator(cfg, no_client).generate(chunks)


def test_pairs_of_one_chunk_share_a_split():
    units = np.linspace(0, 0.999, 200)
    groups = {i: f"chunk-{i // 4}" for i in range(200)}
    grouped = split.group_units(units, groups, seed=42)
    assignment = split.assign_units(grouped, PrepareConfig().split)
    for g in range(50):
        assert len(set(assignment[g * 4 : g * 4 + 4].tolist())) == 1
    assert len(set(assignment.tolist())) > 1


def test_review_decisions_reject_edit_and_recheck():
    from ftflow.tasks.prepare.documents.stage import _review

    chunk = chunking.Chunk(
        0, "docs/a.md", ["Returns"], "Customers can return an unused item within 30 days of delivery."
    )
    items = [
        {"chunk": chunk, "pair": 1, "question": "How long?", "answer": "Within 30 days of delivery."},
        {"chunk": chunk, "pair": 2, "question": "Can I return?", "answer": "Yes, within 90 days.",
         "ungrounded": "lexical check: number(s) not in the chunk: 90"},
        {"chunk": chunk, "pair": 3, "question": "Used items?", "answer": "Used items are welcome too."},
    ]  # fmt: skip

    def reviewer(shown):
        assert [s["grounded"] for s in shown] == [True, False, True]
        shown[1] |= {"decision": "edit", "answer": "Yes, an unused item, within 30 days of delivery."}
        shown[2] |= {"decision": "reject"}
        return shown

    kept, report = _review(items, reviewer, 0.75)
    assert [it["pair"] for it in kept] == [1, 2]
    assert "ungrounded" not in kept[1]
    assert kept[1]["edited"]
    assert report["edited"] == 1
    assert report["approved"] == 1
    assert report["rejected"] == [{"file": "docs/a.md", "where": "section 'Returns'", "question": "Used items?"}]

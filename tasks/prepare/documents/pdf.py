"""PDF pages with PDFium (pypdfium2): text with font sizes, or OCR where a page is a scan.

A page whose extractable text is shorter than `ocr_min_chars_per_page` is rendered at
`ocr_dpi` and read by Tesseract. Text pages keep their layout signals: a line set clearly
larger than the body text is a heading (levels by size), a vertical gap starts a paragraph,
bullets make lists. Headers, footers and page numbers repeated across pages are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ftflow.config import DocumentsConfig
from ftflow.errors import InputError
from ftflow.tasks.prepare.documents import ocr
from ftflow.tasks.prepare.documents.boilerplate import drop_boilerplate
from ftflow.tasks.prepare.documents.model import Block
from ftflow.tasks.prepare.documents.paragraphs import BULLET, join_lines, line_blocks, list_text

HEADING_SIZE_RATIO = 1.15  # a line this much larger than the body text is a heading
PARAGRAPH_GAP = 0.9  # a vertical gap above this share of the body size starts a paragraph
_LINE = re.compile(r"[^\r\n]+")


@dataclass
class Line:
    text: str
    size: float = 0.0  # font size in points (0: unknown, OCR)
    top: float = 0.0
    bottom: float = 0.0


def read_pdf(data: bytes, path: str, cfg: DocumentsConfig) -> tuple[list[Block], int, list[int], int]:
    """(blocks, pages, OCR'd pages, boilerplate lines dropped)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise InputError([f"{path}: not a readable PDF ({exc})"]) from None
    pages: list[list[Line]] = []
    ocr_pages: list[int] = []
    try:
        for number, page in enumerate(pdf, 1):
            lines = _text_lines(page)
            if sum(len(x.text.strip()) for x in lines) < cfg.ocr_min_chars_per_page:
                image = page.render(scale=cfg.ocr_dpi / 72).to_pil()
                text = ocr.ocr_image(ocr.png_bytes(image), cfg.ocr_languages, f"{path} page {number}")
                lines = [Line(t) for t in text.strip().splitlines()]
                ocr_pages.append(number)
            pages.append(lines)
            page.close()
    finally:
        pdf.close()
    keep, dropped = drop_boilerplate([[x.text for x in lines] for lines in pages], cfg.boilerplate_min_pages)
    pages = [[x for x, k in zip(lines, flags, strict=True) if k] for lines, flags in zip(pages, keep, strict=True)]
    body = _body_size(pages)
    sizes = sorted({round(x.size) for lines in pages for x in lines if _is_heading(x, body)}, reverse=True)
    blocks: list[Block] = []
    for number, lines in enumerate(pages, 1):
        if number in ocr_pages:
            blocks.extend(line_blocks([x.text for x in lines], page=number))
        else:
            blocks.extend(_page_blocks(lines, number, body, sizes))
    return blocks, len(pages), ocr_pages, dropped


def _text_lines(page: object) -> list[Line]:
    import pypdfium2.raw as raw

    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:
        text = textpage.get_text_range()
        lines = []
        for m in _LINE.finditer(text):
            if not m.group().strip():
                continue
            first = m.start() + (len(m.group()) - len(m.group().lstrip()))
            probe = range(first, min(m.end(), first + 12))
            size = max((raw.FPDFText_GetFontSize(textpage.raw, i) for i in probe), default=0.0)
            _, bottom, _, top = textpage.get_charbox(first)
            lines.append(Line(m.group().strip(), float(size), float(top), float(bottom)))
        return lines
    finally:
        textpage.close()


def _is_heading(line: Line, body: float) -> bool:
    s = line.text
    return body > 0 and line.size >= body * HEADING_SIZE_RATIO and len(s) <= 150 and not s.endswith((".", ","))


def _body_size(pages: list[list[Line]]) -> float:
    """The font size most characters are set in."""
    weights: Counter[float] = Counter()
    for lines in pages:
        for x in lines:
            if x.size:
                weights[round(x.size * 2) / 2] += len(x.text)
    return weights.most_common(1)[0][0] if weights else 0.0


def _page_blocks(lines: list[Line], page: int, body: float, heading_sizes: list[int]) -> list[Block]:
    blocks: list[Block] = []
    group: list[Line] = []

    def flush() -> None:
        if not group:
            return
        texts = [x.text for x in group]
        if BULLET.match(texts[0]):
            blocks.append(Block("list", list_text(texts), page=page))
        else:
            blocks.append(Block("text", join_lines(texts), page=page))
        group.clear()

    prev: Line | None = None
    for line in lines:
        if _is_heading(line, body):
            flush()
            level = heading_sizes.index(round(line.size)) + 1 if round(line.size) in heading_sizes else 1
            if (
                blocks
                and blocks[-1].kind == "heading"
                and blocks[-1].level == level
                and prev is not None
                and _close(prev, line, body)
            ):
                blocks[-1].text += " " + line.text  # a heading set on two lines
            else:
                blocks.append(Block("heading", line.text, level=level, page=page))
        else:
            gap = (prev.bottom - line.top) if prev is not None else 0.0
            new_item = BULLET.match(line.text) and group and not BULLET.match(group[0].text)
            if group and (gap > PARAGRAPH_GAP * (body or line.size or 10) or new_item):
                flush()
            group.append(line)
        prev = line
    flush()
    return blocks


def _close(a: Line, b: Line, body: float) -> bool:
    return a.bottom - b.top < PARAGRAPH_GAP * max(body, a.size * 0.5)

"""One reader per format, each keeping the structure its format states: headings (with
levels), paragraphs, lists and tables, and where each block came from (page, slide, line).

`read_document` dispatches on the format; every reader takes the file's bytes, so local
files and s3:// objects are read the same way.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from ftflow.config import DocumentsConfig
from ftflow.errors import InputError
from ftflow.tasks.prepare.documents import DOCUMENT_FORMATS, ocr
from ftflow.tasks.prepare.documents.model import Block, Document
from ftflow.tasks.prepare.documents.paragraphs import line_blocks
from ftflow.tasks.prepare.documents.pdf import read_pdf

# HTML elements that are page furniture, not content.
HTML_SKIP = frozenset({"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template",
                       "svg", "iframe", "button", "select", "head"})  # fmt: skip
HTML_BLOCKS = frozenset({"p", "div", "section", "article", "main", "blockquote", "dd", "dt", "figcaption",
                         "address", "body", "li", "td", "th"})  # fmt: skip


def read_document(path: str, data: bytes, cfg: DocumentsConfig) -> Document:
    """Read one document's bytes; an InputError naming the file when it cannot be read."""
    fmt = DOCUMENT_FORMATS[_suffix(path)]
    doc = Document(path=path, format=fmt, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), blocks=[])
    if not data.strip():
        raise InputError([f"{path}: file is empty"])
    if fmt == "pdf":
        doc.blocks, doc.pages, doc.ocr_pages, doc.boilerplate_lines = read_pdf(data, path, cfg)
    elif fmt == "image":
        doc.blocks = line_blocks(ocr.ocr_image(data, cfg.ocr_languages, path).splitlines(), page=1)
        doc.ocr_pages = [1]
    elif fmt == "pptx":
        doc.blocks, doc.pages = read_pptx(data, path)
    else:
        reader = {"docx": read_docx, "html": read_html, "markdown": read_markdown, "text": read_text}[fmt]
        doc.blocks = reader(data, path)
    if not any(b.text.strip() for b in doc.blocks):
        raise InputError([f"{path}: no text found" + (" (even by OCR)" if doc.ocr_pages else "")])
    return doc


def _suffix(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _decode(data: bytes, path: str) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError([f"{path} line {line}: not UTF-8 text ({exc.reason})"]) from None


def read_text(data: bytes, path: str) -> list[Block]:
    return line_blocks(_decode(data, path).splitlines(), first_line=1)


def read_markdown(data: bytes, path: str) -> list[Block]:
    """CommonMark + tables (markdown-it-py): headings, paragraphs, lists, tables, code, with lines."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(_decode(data, path))
    blocks: list[Block] = []
    list_depth = 0
    list_items: list[str] = []
    list_line: int | None = None
    table_rows: list[list[str]] = []
    table_line: int | None = None
    row: list[str] = []
    heading_level = 0
    for i, tok in enumerate(tokens):
        line = tok.map[0] + 1 if tok.map else None
        match tok.type:
            case "heading_open":
                heading_level = int(tok.tag[1])
            case "bullet_list_open" | "ordered_list_open":
                if list_depth == 0:
                    list_items, list_line = [], line
                list_depth += 1
            case "bullet_list_close" | "ordered_list_close":
                list_depth -= 1
                if list_depth == 0 and list_items:
                    blocks.append(Block("list", "\n".join(list_items), line=list_line))
            case "inline" if tokens[i - 1].type in ("th_open", "td_open"):
                row.append(tok.content.strip())
            case "inline":
                text = " ".join(tok.content.split())
                if heading_level:
                    blocks.append(Block("heading", text, level=heading_level, line=line))
                    heading_level = 0
                elif list_depth:
                    list_items.append("  " * (list_depth - 1) + "- " + text)
                elif text:
                    blocks.append(Block("text", text, line=line))
            case "tr_close":
                table_rows.append(row)
                row = []
            case "table_open":
                table_rows = []
                table_line = line
            case "table_close":
                blocks.append(Block("table", table_text(table_rows), line=table_line))
            case "fence" | "code_block":
                if tok.content.strip():
                    blocks.append(Block("code", tok.content.rstrip(), line=line))
    return blocks


def table_text(rows: list[list[str]]) -> str:
    """A table as Markdown-like rows, header first: readable to the generator and grounding alike."""
    rows = [[" ".join(c.split()) for c in r] for r in rows if any(c.strip() for c in r)]
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def read_html(data: bytes, path: str) -> list[Block]:
    """Content elements of a page (lxml); navigation, headers, footers, scripts and forms dropped."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        raise InputError([f"{path}: not readable HTML ({exc})"]) from None
    blocks: list[Block] = []
    body = root.find("body")
    _html_walk(body if body is not None else root, blocks)
    return blocks


def _html_walk(el: Any, blocks: list[Block]) -> None:
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if not tag or tag in HTML_SKIP:
            continue
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            text = " ".join(child.text_content().split())
            if text:
                blocks.append(Block("heading", text, level=int(tag[1])))
        elif tag in ("ul", "ol"):
            items = [" ".join(li.text_content().split()) for li in child.iter("li")]
            if any(items):
                blocks.append(Block("list", "\n".join("- " + t for t in items if t)))
        elif tag == "table":
            rows = [[c.text_content() for c in tr if c.tag in ("td", "th")] for tr in child.iter("tr")]
            if rows:
                blocks.append(Block("table", table_text(rows)))
        elif tag == "pre":
            blocks.append(Block("code", child.text_content().rstrip()))
        elif tag in HTML_BLOCKS and any(isinstance(c.tag, str) and c.tag not in _INLINE for c in child):
            own = " ".join((child.text or "").split())
            if own:
                blocks.append(Block("text", own))
            _html_walk(child, blocks)
        else:
            text = " ".join(child.text_content().split())
            if text:
                blocks.append(Block("text", text))
        if child.tail and child.tail.strip() and tag in HTML_BLOCKS:
            blocks.append(Block("text", " ".join(child.tail.split())))


_INLINE = frozenset({"a", "abbr", "b", "br", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "small", "span",
                     "strong", "sub", "sup", "time", "u", "var", "img", "label"})  # fmt: skip


def read_docx(data: bytes, path: str) -> list[Block]:
    """Paragraphs and tables in body order; Heading N / Title styles are headings, List styles lists."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for broken files
        raise InputError([f"{path}: not a readable DOCX file ({type(exc).__name__}: {exc})"]) from None
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = [[cell.text for cell in r.cells] for r in item.rows]
            blocks.append(Block("table", table_text(rows)))
            continue
        assert isinstance(item, Paragraph)
        text = " ".join(item.text.split())
        if not text:
            continue
        style = (item.style.name if item.style is not None else "") or ""
        numbered = item._p.pPr is not None and item._p.pPr.numPr is not None
        if style == "Title":  # above Heading 1, so it stays in every section's path
            blocks.append(Block("heading", text, level=0))
        elif style.startswith("Heading"):
            level = style.removeprefix("Heading").strip()
            blocks.append(Block("heading", text, level=int(level) if level.isdigit() else 1))
        elif style.startswith("List") or numbered:
            if blocks and blocks[-1].kind == "list":
                blocks[-1].text += "\n- " + text
            else:
                blocks.append(Block("list", "- " + text))
        else:
            blocks.append(Block("text", text))
    return blocks


def read_pptx(data: bytes, path: str) -> tuple[list[Block], int]:
    """Per slide (its page): the title as a heading, then text frames (bulleted paragraphs as
    lists) and tables, in the slide's shape order."""
    import pptx

    try:
        deck = pptx.Presentation(io.BytesIO(data))
    except Exception as exc:  # python-pptx raises several types for broken files
        raise InputError([f"{path}: not a readable PPTX file ({type(exc).__name__}: {exc})"]) from None
    blocks: list[Block] = []
    n = 0
    for n, slide in enumerate(deck.slides, 1):
        title = slide.shapes.title
        if title is not None and title.text_frame.text.strip():
            blocks.append(Block("heading", " ".join(title.text_frame.text.split()), level=2, page=n))
        for shape in slide.shapes:
            if title is not None and shape.shape_id == title.shape_id:
                continue
            if shape.has_table:
                rows = [[c.text for c in r.cells] for r in shape.table.rows]
                blocks.append(Block("table", table_text(rows), page=n))
            elif shape.has_text_frame:
                paras = [" ".join(p.text.split()) for p in shape.text_frame.paragraphs]
                paras = [p for p in paras if p]
                if len(paras) > 1:
                    blocks.append(Block("list", "\n".join("- " + p for p in paras), page=n))
                elif paras:
                    blocks.append(Block("text", paras[0], page=n))
    return blocks, n

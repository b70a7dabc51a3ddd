"""Chunks by structure: one per section (the text under a heading, with the heading path as
its context), cut at block boundaries only when a section is longer than `max_chunk_chars`.

Chunks are identified by the sha256 of their normalized body text, so the same passage in
two documents, or in two versions of one document, is one chunk: exact copies and near
copies (word-bigram Jaccard, tasks/prepare/checks/dedup.py) after the first are dropped and reported.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from ftflow.config import DocumentsConfig
from ftflow.tasks.prepare.checks.dedup import find_duplicates
from ftflow.tasks.prepare.documents import language
from ftflow.tasks.prepare.documents.model import Block, Document

NEAR_DUPLICATE_CHUNKS = 0.85  # word-bigram Jaccard above which a chunk repeats an earlier one
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass
class Chunk:
    doc: int  # index of its document
    path: str
    section: list[str]  # heading path, top first
    body: str
    pages: list[int] = field(default_factory=list)
    line: int | None = None
    sha256: str = ""
    language: str = "und"
    duplicate_of: str | None = None  # the kept chunk this one repeats (then no pairs are generated)

    @property
    def text(self) -> str:
        """What the generator sees: the section path, then the body."""
        return (" › ".join(self.section) + "\n\n" if self.section else "") + self.body

    @property
    def where(self) -> str:
        parts = []
        if self.pages:
            first, last = self.pages[0], self.pages[-1]
            parts.append(f"page {first}" if first == last else f"pages {first}-{last}")
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.section:
            parts.append(f"section '{self.section[-1]}'")
        return ", ".join(parts) or "whole document"

    def source(self) -> dict[str, object]:
        return {"file": self.path, "pages": self.pages, "source_line": self.line, "section": self.section,
                "chunk_sha256": self.sha256, "language": self.language}  # fmt: skip


def normalize(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def chunk_hash(body: str) -> str:
    return hashlib.sha256(normalize(body).encode("utf-8", "surrogatepass")).hexdigest()


def chunk_document(doc: Document, doc_index: int, cfg: DocumentsConfig) -> tuple[list[Chunk], int]:
    """The chunks of one document, and how many short scraps were skipped."""
    chunks: list[Chunk] = []
    stack: list[tuple[int, str]] = []
    parts: list[Block] = []

    def close() -> None:
        if parts:
            body = "\n\n".join(b.text for b in parts)
            pages = sorted({b.page for b in parts if b.page is not None})
            line = next((b.line for b in parts if b.line is not None), None)
            chunks.append(Chunk(doc_index, doc.path, [t for _, t in stack], body, pages, line))
            parts.clear()

    for block in doc.blocks:
        if block.kind == "heading":
            close()
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            stack.append((block.level, block.text))
            continue
        for piece in _pieces(block, cfg.max_chunk_chars):
            if parts and sum(len(b.text) for b in parts) + len(piece.text) > cfg.max_chunk_chars:
                close()
            parts.append(piece)
    close()
    merged, skipped = _merge_short(chunks, cfg)
    for c in merged:
        c.sha256 = chunk_hash(c.body)
        c.language = language.detect(c.text)
    return merged, skipped


def _pieces(block: Block, limit: int) -> list[Block]:
    """A block longer than `limit` cut at sentence (or line) ends; others as they are."""
    if len(block.text) <= limit:
        return [block]
    units = block.text.split("\n") if block.kind in ("list", "table", "code") else _SENTENCE_END.split(block.text)
    out: list[Block] = []
    current = ""
    sep = "\n" if block.kind in ("list", "table", "code") else " "
    for unit in units:
        if current and len(current) + len(unit) + 1 > limit:
            out.append(Block(block.kind, current, page=block.page, line=block.line))
            current = ""
        current = f"{current}{sep}{unit}" if current else unit
    if current:
        out.append(Block(block.kind, current, page=block.page, line=block.line))
    return out


def _merge_short(chunks: list[Chunk], cfg: DocumentsConfig) -> tuple[list[Chunk], int]:
    """A chunk under `min_chunk_chars` joins the next one of its document (when both fit), else
    the one before; one that fits nowhere is skipped and counted."""
    out: list[Chunk] = []
    skipped = 0
    carry: Chunk | None = None
    for c in chunks:
        if carry is not None:
            if len(carry.body) + len(c.body) + 2 <= cfg.max_chunk_chars:
                c = Chunk(c.doc, c.path, _common(carry.section, c.section) or c.section, carry.body + "\n\n" + c.body,
                          sorted({*carry.pages, *c.pages}), carry.line if carry.line is not None else c.line)  # fmt: skip
            else:
                skipped += 1
            carry = None
        if len(c.body) < cfg.min_chunk_chars:
            carry = c
            continue
        out.append(c)
    if carry is not None:
        prev = out[-1] if out else None
        if prev is not None and len(prev.body) + len(carry.body) + 2 <= cfg.max_chunk_chars:
            prev.body += "\n\n" + carry.body
            prev.pages = sorted({*prev.pages, *carry.pages})
        else:
            skipped += 1
    return out, skipped


def _common(a: list[str], b: list[str]) -> list[str]:
    out = []
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        out.append(x)
    return out


def dedupe_chunks(chunks: list[Chunk]) -> int:
    """Mark later exact and near copies (across documents and versions); returns how many."""
    texts = [normalize(c.body) for c in chunks]
    result = find_duplicates([c.sha256 for c in chunks], texts, threshold=NEAR_DUPLICATE_CHUNKS)
    marked = 0
    for i, c in enumerate(chunks):
        j = result.duplicate_of[i] if result.duplicate_of[i] >= 0 else result.near_duplicate_of[i]
        if j >= 0:
            c.duplicate_of = chunks[int(j)].sha256
            marked += 1
    return marked

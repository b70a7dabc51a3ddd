"""What a reader returns: a document as a list of structural blocks that know where they come from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "text", "list", "table", "code"]


@dataclass
class Block:
    kind: BlockKind
    text: str
    level: int = 0  # heading level (1 = top); 0 for other blocks
    page: int | None = None  # 1-based page (PDF) or slide (PPTX); None where a format has no pages
    line: int | None = None  # 1-based source line (Markdown, text) where known


@dataclass
class Document:
    path: str
    format: str
    sha256: str
    bytes: int
    blocks: list[Block]
    pages: int = 1
    ocr_pages: list[int] = field(default_factory=list)  # pages read by OCR
    boilerplate_lines: int = 0  # header/footer/page-number lines dropped
    warnings: list[str] = field(default_factory=list)

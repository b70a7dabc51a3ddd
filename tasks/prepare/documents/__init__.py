"""Documents as training data: PDF, DOCX, PPTX, HTML, Markdown, text and scans become grounded
question/answer pairs that keep their source (file, page, section, chunk hash).

read (readers.py, pdf.py, ocr.py) → chunk by section, drop boilerplate, dedupe (chunking.py,
boilerplate.py) → generate pairs per chunk (generation.py) → ground each pair in its chunk
(grounding.py) → rows for the ingest stage (stage.py), where the table pipeline takes over.
"""

from __future__ import annotations

# Suffix -> document format. Tables (CSV, JSONL, ...) are read by tasks/prepare/ingest.py.
DOCUMENT_FORMATS = {
    ".pdf": "pdf", ".docx": "docx", ".pptx": "pptx", ".html": "html", ".htm": "html",
    ".md": "markdown", ".markdown": "markdown", ".txt": "text",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
}  # fmt: skip

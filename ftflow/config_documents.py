"""The documents section of the one typed configuration (`prepare.documents`): how documents
become question/answer pairs. Import it from ftflow.config, the one entry point."""

from __future__ import annotations

from pydantic import Field, field_validator

from ftflow.config_base import _Section

DEFAULT_QA_PROMPT = (
    "You write training data for a support assistant from the company's own documents. From the "
    "passage below, write {count} question/answer pairs a customer or employee could ask. Every answer "
    "must be fully supported by the passage: copy its facts, numbers and names, add nothing it does not "
    "say. Write questions and answers in the passage's language ({language})."
)


class DocumentsConfig(_Section):
    """Documents (PDF, DOCX, PPTX, HTML, Markdown, text, scans) turned into grounded Q&A pairs."""

    generation_model: str = Field(
        "gpt-4o-mini-2024-07-18", description="Chat model that writes question/answer pairs from each chunk."
    )
    prompt: str = Field(
        DEFAULT_QA_PROMPT,
        description="Instructions for the generation model; {count} and {language} are filled per chunk.",
    )
    pairs_per_chunk: int = Field(3, ge=1, le=20, description="Question/answer pairs asked for per chunk.")
    max_chunk_chars: int = Field(
        2500, ge=200, description="A section longer than this is cut at paragraph boundaries into several chunks."
    )
    min_chunk_chars: int = Field(
        120, ge=1, description="Shorter chunks (a lone heading, a caption) are merged into the next or skipped."
    )
    ocr_languages: list[str] = Field(
        ["eng", "spa"], min_length=1, description="Tesseract languages for scanned pages and images."
    )
    ocr_min_chars_per_page: int = Field(
        25, ge=0, description="A PDF page with less extractable text than this is treated as a scan and OCRed."
    )
    ocr_dpi: int = Field(300, ge=72, le=600, description="Resolution scanned PDF pages are rendered at for OCR.")
    boilerplate_min_pages: int = Field(
        3, ge=2, description="A line repeated on at least this many pages (and half of them) is a header/footer."
    )
    grounding_threshold: float = Field(
        0.75, ge=0, le=1, description="Share of an answer's content words that must appear in its chunk."
    )
    judge_model: str | None = Field(
        None, description="Optional model that also checks each pair against its chunk; off when unset."
    )
    max_cost_usd: float | None = Field(
        5.0, ge=0, description="Refuse to send any generation request when the estimate is above this many USD."
    )
    generation_prices_per_1m: dict[str, tuple[float, float]] = Field(
        default_factory=lambda: {
            "gpt-4o-mini-2024-07-18": (0.15, 0.60),
            "gpt-4o-mini": (0.15, 0.60),
            "gpt-4o-2024-08-06": (2.50, 10.0),
            "gpt-4o": (2.50, 10.0),
            "gpt-4.1-mini-2025-04-14": (0.40, 1.60),
            "gpt-4.1-nano-2025-04-14": (0.10, 0.40),
            "gpt-4.1-2025-04-14": (2.00, 8.00),
        },
        description="Chat prices (input, output) in USD per 1M tokens, as of pricing.as_of; unknown models are refused.",
    )
    cache_dir: str = Field(
        "ftflow-local/cache/documents",
        description="Generated pairs by chunk hash + prompt + model (a directory or s3:// prefix): an unchanged "
        "chunk is never paid for twice.",
    )
    requests_per_minute: float = Field(500, gt=0, description="Client-side request limit for generation.")
    tokens_per_minute: float = Field(200_000, gt=0, description="Client-side token limit for generation.")
    concurrency: int = Field(8, ge=1, le=256, description="Generation requests in flight at once.")
    review: bool = Field(
        False, description="In a flow run, pause with a form listing the generated pairs to approve, edit or reject."
    )

    @field_validator("prompt")
    @classmethod
    def _prompt_placeholders(cls, value: str) -> str:
        try:
            value.format(count=3, language="English")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(
                f"the prompt may use only {{count}} and {{language}} (write {{{{ }}}} for braces): {exc}"
            ) from None
        return value

"""Documents inside the ingest stage: read and chunk every document (all problems reported
together), then generate, ground and (optionally) review pairs, and add them to the ingest
builder as rows that keep their source. From there the table pipeline takes over:
normalize, PII, the quality gate (where `ungrounded` quarantines), dedup, split, tokens.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ftflow.config import PrepareConfig
from ftflow.errors import ConfigError, InputError
from ftflow.tasks.prepare.documents import chunking, grounding
from ftflow.tasks.prepare.documents.chunking import Chunk
from ftflow.tasks.prepare.documents.generation import Generated, Generator
from ftflow.tasks.prepare.documents.model import Document
from ftflow.tasks.prepare.documents.readers import read_document
from ftflow.tasks.prepare.records import Message
from ftflow.tasks.prepare.row_blocks import Builder

# reviewer(items) -> the same items, each with "decision" (approve | edit | reject) and, for
# edits, the new "question"/"answer". The prepare flow's reviewer is a Prefect form.
Reviewer = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


@dataclass
class Loaded:
    """Read and chunked documents, by their index among the ingest's input files."""

    docs: dict[int, Document] = field(default_factory=dict)
    chunks: list[Chunk] = field(default_factory=list)
    skipped_short: dict[int, int] = field(default_factory=dict)
    parse_s: float = 0.0
    ocr_s: float = 0.0


@dataclass
class DocumentRows:
    """What the documents add to the ingest: per added example (in order), its source, its
    split group (the chunk) and, when not supported by its chunk, why."""

    sources: list[dict[str, Any]] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    ungrounded: dict[int, str] = field(default_factory=dict)  # position among the added examples -> detail
    report: dict[str, Any] = field(default_factory=dict)


def load(
    paths: list[tuple[int, str]], cfg: PrepareConfig, read_bytes: Callable[[str], bytes]
) -> tuple[Loaded, list[str]]:
    """Read and chunk each document; problems (naming the file) are returned, not raised."""
    loaded, problems = Loaded(), []
    for idx, path in paths:
        t0 = time.perf_counter()
        try:
            doc = read_document(path, read_bytes(path), cfg.documents)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        seconds = time.perf_counter() - t0
        if doc.ocr_pages:
            loaded.ocr_s += seconds * len(doc.ocr_pages) / max(doc.pages, 1)
        loaded.parse_s += seconds * (1 - len(doc.ocr_pages) / max(doc.pages, 1))
        chunks, skipped = chunking.chunk_document(doc, idx, cfg.documents)
        if not chunks:
            problems.append(f"{path}: no passage of at least {cfg.documents.min_chunk_chars} characters to learn from")
            continue
        loaded.docs[idx] = doc
        loaded.chunks.extend(chunks)
        loaded.skipped_short[idx] = skipped
    return loaded, problems


def add_rows(builder: Builder, files: list[Any], loaded: Loaded, cfg: PrepareConfig, client_factory: Callable[[], Any],
             reviewer: Reviewer | None = None, log: Callable[[str], None] = print) -> DocumentRows:  # fmt: skip
    """Generate, ground and review pairs; add them to `builder`, one finished block per document."""
    dcfg = cfg.documents
    if dcfg.review and reviewer is None:
        raise ConfigError("prepare.documents.review pauses a Prefect flow run for a person's review; run the "
                          "prepare or retrain flow (e.g. `ftflow run`), or set prepare.documents.review: false")  # fmt: skip
    duplicates = chunking.dedupe_chunks(loaded.chunks)
    unique = [c for c in loaded.chunks if c.duplicate_of is None]
    generator = Generator(dcfg, client_factory, log=log)
    generated, gen_report = generator.generate(unique)
    items = _ground(generated, generator, dcfg)
    review = None
    if dcfg.review and reviewer is not None and items:
        items, review = _review(items, reviewer, dcfg.grounding_threshold)
    out = DocumentRows()
    by_doc: dict[int, list[dict[str, Any]]] = {}
    for item in items:
        by_doc.setdefault(item["chunk"].doc, []).append(item)
    for idx, doc in loaded.docs.items():
        rows = by_doc.get(idx, [])
        for n, item in enumerate(rows, 1):
            chunk: Chunk = item["chunk"]
            source = {**chunk.source(), "pair": item["pair"]}
            where = f"{chunk.where}, chunk {chunk.sha256[:12]}, pair {item['pair']}"
            if item.get("error"):
                builder.add(n, where, {"source": source}, None, item["error"])
            else:
                messages = ([Message("system", cfg.system_prompt)] if cfg.system_prompt else []) + [
                    Message("user", item["question"]), Message("assistant", item["answer"])]  # fmt: skip
                original = {"question": item["question"], "answer": item["answer"], "source": source}
                builder.add(n, where, original, messages, None)
                if item.get("ungrounded"):
                    out.ungrounded[len(out.sources)] = item["ungrounded"]
            out.sources.append(source)
            out.groups.append(chunk.sha256)
        info = files[idx]
        info.format, info.sha256, info.bytes = doc.format, doc.sha256, doc.bytes
        info.rows = builder.finish_file(idx)
    out.report = _report(loaded, unique, duplicates, gen_report.as_dict(), items, review)
    return out


def _ground(generated: list[Generated], generator: Generator, dcfg: Any) -> list[dict[str, Any]]:
    """One item per pair (or per failed chunk), with `ungrounded` set when its chunk does not support it."""
    items: list[dict[str, Any]] = []
    for g in generated:
        if g.error:
            items.append({"chunk": g.chunk, "pair": 0, "error": g.error})
            continue
        index = grounding.ChunkIndex(g.chunk.text)
        for k, (question, answer) in enumerate(g.pairs, 1):
            support = index.support(answer)
            item = {"chunk": g.chunk, "pair": k, "question": question, "answer": answer,
                    "support": round(support.score, 3)}  # fmt: skip
            if not support.supported(dcfg.grounding_threshold):
                item["ungrounded"] = "lexical check: " + support.describe(dcfg.grounding_threshold)
            items.append(item)
    if dcfg.judge_model:  # only pairs the lexical check passed: the others are out already, not paid for
        asked = [it for it in items if not it.get("error") and not it.get("ungrounded")]
        verdicts = generator.judge([(it["chunk"], it["question"], it["answer"]) for it in asked])
        for it, (ok, reason) in zip(asked, verdicts, strict=True):
            it["judge"] = ok
            if ok is False:
                it["ungrounded"] = f"judge {dcfg.judge_model}: {reason or 'not supported by the chunk'}"
    return items


def _review(items: list[dict[str, Any]], reviewer: Reviewer,
            threshold: float) -> tuple[list[dict[str, Any]], dict[str, Any]]:  # fmt: skip
    shown = [{"id": i, "file": it["chunk"].path, "where": it["chunk"].where, "question": it["question"],
              "answer": it["answer"], "grounded": not it.get("ungrounded"), "decision": "approve"}
             for i, it in enumerate(items) if not it.get("error")]  # fmt: skip
    decisions = {d["id"]: d for d in reviewer(shown)}
    kept, rejected, edited = [], [], 0
    for i, it in enumerate(items):
        d = decisions.get(i)
        if d is None:
            kept.append(it)
        elif d.get("decision") == "reject":
            rejected.append({"file": it["chunk"].path, "where": it["chunk"].where, "question": it["question"]})
        else:
            if d.get("decision") == "edit" and (d["question"], d["answer"]) != (it["question"], it["answer"]):
                it = {**it, "question": d["question"], "answer": d["answer"], "edited": True}
                edited += 1
                support = grounding.ChunkIndex(it["chunk"].text).support(it["answer"])
                it.pop("ungrounded", None)  # a person's edit is checked again, lexically
                if not support.supported(threshold):
                    it["ungrounded"] = "lexical check after review: " + support.describe(threshold)
            kept.append(it)
    return kept, {"shown": len(shown), "approved": len(kept) - edited, "edited": edited, "rejected": rejected}


def _report(loaded: Loaded, unique: list[Chunk], duplicates: int, generation: dict[str, Any],
            items: list[dict[str, Any]], review: dict[str, Any] | None) -> dict[str, Any]:  # fmt: skip
    per_doc = []
    for idx, doc in loaded.docs.items():
        mine = [c for c in loaded.chunks if c.doc == idx]
        per_doc.append({"path": doc.path, "format": doc.format, "pages": doc.pages, "ocr_pages": doc.ocr_pages,
                        "boilerplate_lines_dropped": doc.boilerplate_lines, "chunks": len(mine),
                        "duplicate_chunks": sum(c.duplicate_of is not None for c in mine),
                        "short_scraps_skipped": loaded.skipped_short.get(idx, 0),
                        "languages": sorted({c.language for c in mine}),
                        "pairs": sum(1 for it in items if it["chunk"].doc == idx and not it.get("error"))})  # fmt: skip
    pairs = [it for it in items if not it.get("error")]
    return {
        "documents": per_doc,
        "chunks": len(loaded.chunks),
        "unique_chunks": len(unique),
        "duplicate_chunks": duplicates,
        "failed_chunks": sum(1 for it in items if it.get("error")),
        "pairs": len(pairs),
        "ungrounded": sum(1 for it in pairs if it.get("ungrounded")),
        "generation": generation,
        "parse_seconds": round(loaded.parse_s, 3),
        "ocr_seconds": round(loaded.ocr_s, 3),
        "review": review,
    }

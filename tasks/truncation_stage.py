"""The corpus-learned truncation rules (tasks/truncation_corpus.py) inside the features stage.

The per-row first pass (tasks/truncation.py, on every core) has given each trained answer a
signal code. Here, once for the whole dataset: a sample of the answers (evenly spread) is
detected for language and learned from; then only the answers that end on a letter without
terminal punctuation, or that an English word rule flagged, are read as Python strings,
detected and judged. Every flagged answer gets a detail saying why.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tasks import language, truncation, truncation_corpus
from tasks.textcol import take_rows

SAMPLE = 10_000  # answers the profile learns from at most
_OPEN_ENDING_RE2 = r"\pL[*_~]*\s*$"


@dataclass
class StageResult:
    codes: np.ndarray  # per trained message: final signal code (-1: none)
    details: dict[int, str] = field(default_factory=dict)  # position among trained messages -> why
    languages: dict[str, int] = field(default_factory=dict)  # sampled answers per language
    sampled: int = 0
    punct_rate: dict[str, float] = field(default_factory=dict)


def apply(contents: pa.ChunkedArray, trained: np.ndarray, codes: np.ndarray, message_tokens: np.ndarray) -> StageResult:
    rows = np.flatnonzero(trained)
    if not len(rows):
        return StageResult(codes)
    stride = truncation.sample_stride(len(rows), SAMPLE)
    sample = take_rows(contents, rows[::stride]).to_pylist()
    sample_langs = language.detect_languages(sample)
    profiles = truncation_corpus.learn(sample, sample_langs)
    del sample
    open_end = pc.match_substring_regex(contents, _OPEN_ENDING_RE2).fill_null(False).to_numpy(zero_copy_only=False)
    todo = np.flatnonzero(open_end[rows] | (codes >= 0))
    texts = take_rows(contents, rows[todo]).to_pylist()
    langs = language.detect_languages(texts)
    base = [truncation.TRUNCATION_SIGNALS[c] if c >= 0 else None for c in codes[todo].tolist()]
    n_tok = message_tokens[rows[todo]].tolist()
    signals, details = truncation_corpus.combine(texts, base, langs, profiles, n_tok)
    out = codes.copy()
    out[todo] = [truncation.signal_code(s) for s in signals]
    why = {
        int(p): f"{d} ({language.name(lang)})" for p, d, lang in zip(todo.tolist(), details, langs, strict=True) if d
    }
    counts = Counter(sample_langs)
    return StageResult(out, why, dict(counts.most_common()), len(sample_langs),
                       {k: round(p.punct_rate, 3) for k, p in profiles.items() if p.answers >= truncation_corpus.MIN_ANSWERS})  # fmt: skip

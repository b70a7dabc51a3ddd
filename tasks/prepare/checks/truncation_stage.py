"""The corpus-learned truncation rules (tasks/prepare/checks/truncation_corpus.py) inside the features stage.

The per-row first pass (tasks/prepare/checks/truncation.py, on every core) has given each trained answer a
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

from ftflow.tasks.prepare.checks import language, truncation, truncation_corpus
from ftflow.tasks.prepare.textcol import take_rows

SAMPLE = 10_000  # answers the profile learns from at most
_OPEN_ENDING_RE2 = r"\pL[*_~]*\s*$"


@dataclass
class Learned:
    """What the sample taught: per-language profiles, and the manifest's language summary."""

    profiles: dict[str, truncation_corpus.LanguageProfile]
    languages: dict[str, int] = field(default_factory=dict)  # sampled answers per language
    sampled: int = 0
    punct_rate: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, object]:
        return {"sampled_answers": self.sampled, "per_language": self.languages,
                "terminal_punctuation_share": self.punct_rate}  # fmt: skip


def learn_profiles(contents: pa.ChunkedArray, trained: np.ndarray) -> Learned:
    """Detect and learn from up to SAMPLE evenly spread trained answers."""
    rows = np.flatnonzero(trained)
    if not len(rows):
        return Learned({})
    sample = take_rows(contents, rows[:: truncation.sample_stride(len(rows), SAMPLE)]).to_pylist()
    langs = language.detect_languages(sample)
    profiles = truncation_corpus.learn(sample, langs)
    for prof in profiles.values():
        if prof.words is not None:
            prof.words.completion("zz")  # build the prefix index now, once, not in every forked part
    rates = {k: round(p.punct_rate, 3) for k, p in profiles.items() if p.answers >= truncation_corpus.MIN_ANSWERS}
    return Learned(profiles, dict(Counter(langs).most_common()), len(langs), rates)


def judge_texts(texts: list[str], codes: list[int], n_tokens: list[int | None], learned: Learned,
                ) -> tuple[list[int], dict[int, str]]:  # fmt: skip
    """Final code per text (first-pass `codes` in) and why, by index, for the flagged ones.

    Only texts with a signal or an open ending (a letter last) are detected and judged."""
    out = list(codes)
    todo = [i for i, (t, c) in enumerate(zip(texts, codes, strict=True)) if c >= 0 or _open(t)]
    if not todo:
        return out, {}
    sub = [texts[i] for i in todo]
    langs = language.detect_languages(sub)
    base = [truncation.TRUNCATION_SIGNALS[codes[i]] if codes[i] >= 0 else None for i in todo]
    signals, details = truncation_corpus.combine(sub, base, langs, learned.profiles, [n_tokens[i] for i in todo])
    why: dict[int, str] = {}
    for i, sig, d, lang in zip(todo, signals, details, langs, strict=True):
        out[i] = truncation.signal_code(sig)
        if d:
            why[i] = f"{d} ({language.name(lang)})"
    return out, why


def _open(text: str) -> bool:
    s = text.rstrip().rstrip("*_~")
    return bool(s) and s[-1].isalpha()


@dataclass
class StageResult:
    codes: np.ndarray  # per trained message: final signal code (-1: none)
    details: dict[int, str]  # position among trained messages -> why
    learned: Learned


def apply(contents: pa.ChunkedArray, trained: np.ndarray, codes: np.ndarray, message_tokens: np.ndarray) -> StageResult:
    """learn_profiles + judge_texts over a whole column at once (benchmarks; prepare judges in its parts)."""
    learned = learn_profiles(contents, trained)
    rows = np.flatnonzero(trained)
    open_end = pc.match_substring_regex(contents, _OPEN_ENDING_RE2).fill_null(False).to_numpy(zero_copy_only=False)
    todo = np.flatnonzero(open_end[rows] | (codes >= 0)) if len(rows) else np.zeros(0, dtype=np.int64)
    texts = take_rows(contents, rows[todo]).to_pylist()
    new, why = judge_texts(texts, codes[todo].tolist(), message_tokens[rows[todo]].tolist(), learned)
    out = codes.copy()
    out[todo] = new
    return StageResult(out, {int(todo[i]): w for i, w in why.items()}, learned)

"""Answer metrics and the paired bootstrap.

Per item, each answer is scored against the test example's reference answer:

- ``exact_match``: equal after SQuAD normalisation (lower case, punctuation and the articles
  a/an/the removed, whitespace collapsed); punctuation is any Unicode ``P*`` character.
- ``token_f1``: SQuAD's bag-of-tokens F1 over the same normalised tokens.
- ``rouge_l``: ROUGE-L F-measure (sentence level, as rouge-score's ``rougeL``): longest common
  subsequence of lower-cased alphanumeric tokens, precision against the answer, recall against
  the reference. The LCS comes from rapidfuzz (``LCSseq``, bit-parallel C++); rouge-score itself
  is a pure-Python O(n·m) loop that drops non-ASCII words.
- ``length_adherence``: 1 while the answer has at most ``tolerance`` × the reference's tokens,
  then ``allowance / answer_tokens``: long answers cost money and are penalised, short ones are
  not (the content metrics already catch an answer that says too little).
- ``refusal``: 1 when the API reported a refusal or the answer opens like one ("I'm sorry, but
  I can't …"). Lower is better.

Between two models the same items are compared pairwise: the difference of the means and a
paired bootstrap confidence interval for it (items resampled with replacement, the same
resamples for every metric, numpy vectorised).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import LCSseq


@dataclass(frozen=True)
class Metric:
    name: str
    higher_is_better: bool
    description: str


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric("exact_match", True, "normalised answer equals the reference"),
        Metric("token_f1", True, "SQuAD token F1 against the reference"),
        Metric("rouge_l", True, "ROUGE-L F-measure (longest common subsequence)"),
        Metric("length_adherence", True, "1 within the length allowance, less the longer the answer"),
        Metric("refusal", False, "share of answers that refuse"),
        Metric("judge", True, "LLM judge: share of pairwise wins (ties half), both orders"),
    )
}
ITEM_METRICS = ("exact_match", "token_f1", "rouge_l", "length_adherence", "refusal")

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_ROUGE_TOKEN = re.compile(r"[^\W_]+")
_REFUSAL = re.compile(
    r"^\W*(?:"
    r"(?:i'?m|i am) (?:very |really )?sorry,? (?:but )?(?:i|we) (?:can(?:no|')t|cannot|won'?t|am unable|'m unable|"
    r"am not able|'m not able)"
    r"|i (?:can(?:no|')t|cannot|won'?t|am unable to|'m unable to|am not able to|'m not able to) "
    r"(?:help|assist|provide|comply|answer|do that|share|support|fulfil|fulfill)"
    r"|(?:sorry|unfortunately),? (?:but )?i (?:can(?:no|')t|cannot|won'?t|am unable|'m unable)"
    r"|as an ai(?: language model)?,? i (?:can(?:no|')t|cannot|am unable|don'?t|do not)"
    r")",
    re.IGNORECASE,
)


def _strip_punctuation(text: str) -> str:
    return "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)


def squad_tokens(text: str) -> list[str]:
    """SQuAD's normalisation, split into tokens."""
    text = _strip_punctuation(unicodedata.normalize("NFC", text).lower())
    return _ARTICLES.sub(" ", text).split()


def exact_match(answer: str, reference: str) -> float:
    return float(squad_tokens(answer) == squad_tokens(reference))


def token_f1(answer: str, reference: str) -> float:
    """SQuAD F1; when either side has no tokens, 1 if both are empty, else 0."""
    pred, gold = squad_tokens(answer), squad_tokens(reference)
    if not pred or not gold:
        return float(pred == gold)
    common = sum((Counter(pred) & Counter(gold)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(gold)
    return 2 * precision * recall / (precision + recall)


def rouge_tokens(text: str) -> list[str]:
    """rouge-score's default tokens (lower case, runs of letters/digits), Unicode-aware."""
    return _ROUGE_TOKEN.findall(text.lower())


def rouge_l(answer: str, reference: str) -> float:
    """ROUGE-L F-measure; 0 when either side has no tokens (as rouge-score)."""
    pred, gold = rouge_tokens(answer), rouge_tokens(reference)
    if not pred or not gold:
        return 0.0
    lcs = LCSseq.similarity(pred, gold)
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(pred), lcs / len(gold)
    return 2 * precision * recall / (precision + recall)


def length_adherence(answer_tokens: int, reference_tokens: int, tolerance: float = 1.25) -> float:
    """1 up to ``tolerance`` × the reference length, then allowance / answer length."""
    allowance = tolerance * max(reference_tokens, 1)
    return 1.0 if answer_tokens <= allowance else allowance / answer_tokens


def is_refusal(answer: str, api_refusal: str | None = None) -> bool:
    """The API's own refusal field, or an answer that opens with a refusal phrase."""
    if api_refusal:
        return True
    return bool(_REFUSAL.match(answer.replace("\u2019", "'")[:300]))


def item_metrics(answer: str, reference: str, *, answer_tokens: int, reference_tokens: int,
                 tolerance: float = 1.25, api_refusal: str | None = None) -> dict[str, float]:  # fmt: skip
    """Every per-item metric of one answer."""
    return {
        "exact_match": exact_match(answer, reference),
        "token_f1": token_f1(answer, reference),
        "rouge_l": rouge_l(answer, reference),
        "length_adherence": length_adherence(answer_tokens, reference_tokens, tolerance),
        "refusal": float(is_refusal(answer, api_refusal)),
    }


# --- pairwise comparison ------------------------------------------------------------------


def paired_bootstrap(diffs: np.ndarray, *, resamples: int = 2000, seed: int = 0,
                     confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Percentile CI of the mean of each column of ``diffs`` (items × metrics).

    Each resample draws n items with replacement; the per-item draw counts come from one
    multinomial per resample, so a chunk of resamples is a (k × n) count matrix and its
    means one matrix product. Every column shares the same resamples (paired across metrics).
    """
    d = np.asarray(diffs, dtype=np.float64)
    if d.ndim == 1:
        d = d[:, None]
    n, m = d.shape
    if n == 0:
        nan = np.full(m, np.nan)
        return nan, nan.copy()
    rng = np.random.default_rng(seed)
    means = np.empty((resamples, m))
    step = max(1, 2_000_000 // n)  # keeps a chunk's count matrix around 16 MB
    uniform = np.full(n, 1.0 / n)
    for start in range(0, resamples, step):
        k = min(step, resamples - start)
        counts = rng.multinomial(n, uniform, size=k).astype(np.float64)
        means[start : start + k] = counts @ d / n
    alpha = 1.0 - confidence
    low, high = np.quantile(means, [alpha / 2, 1 - alpha / 2], axis=0)
    return low, high


@dataclass(frozen=True)
class Difference:
    metric: str
    higher_is_better: bool
    candidate: float
    reference: float
    diff: float  # candidate - reference, in the metric's own direction
    ci_low: float
    ci_high: float
    n: int

    @property
    def improvement(self) -> tuple[float, float, float]:
        """(mean, low, high) of the difference turned so that positive means better."""
        if self.higher_is_better:
            return self.diff, self.ci_low, self.ci_high
        return -self.diff, -self.ci_high, -self.ci_low


def compare(candidate: dict[str, np.ndarray], reference: dict[str, np.ndarray], *, resamples: int = 2000,
            seed: int = 0, confidence: float = 0.95) -> dict[str, Difference]:  # fmt: skip
    """Mean difference and paired bootstrap CI for every metric the two share.

    Both dicts hold one value per item, in the same item order (NaN: no value, e.g. a failed
    request; such items are left out of every metric so all CIs use the same items).
    """
    names = [name for name in candidate if name in reference]
    if not names:
        return {}
    cand = np.column_stack([np.asarray(candidate[n], dtype=np.float64) for n in names])
    ref = np.column_stack([np.asarray(reference[n], dtype=np.float64) for n in names])
    keep = ~(np.isnan(cand).any(axis=1) | np.isnan(ref).any(axis=1))
    cand, ref = cand[keep], ref[keep]
    low, high = paired_bootstrap(cand - ref, resamples=resamples, seed=seed, confidence=confidence)
    out = {}
    for j, name in enumerate(names):
        c = float(cand[:, j].mean()) if len(cand) else float("nan")
        r = float(ref[:, j].mean()) if len(ref) else float("nan")
        out[name] = Difference(name, METRICS[name].higher_is_better if name in METRICS else True, c, r, c - r,
                               float(low[j]), float(high[j]), int(keep.sum()))  # fmt: skip
    return out

"""Truncation judged against the corpus's own answers, per language (checks/language.py).

Whether a missing final period means "cut" depends on the corpus. Per language, the answers
teach: how often they end with . ! ?; which words end sentences, lines and list items and how
often each is used ("de", "the": used a lot, ending nothing); how long complete segments are and
where they start (after a sentence, a clause, a line break: truncation_text.py); which words
occur mid-text, and the wordfreq list, for words cut in half ("farmac"); how often finished
answers leave quotes unpaired; which first words begin answers that end without . ! ? (templates).
An answer ending on a letter without . ! ? gets the log-likelihood ratio "cut at a random word" /
"a complete ending here" (last word, segment length and start), against a threshold calibrated
on the corpus's own complete endings so that, were nothing cut, about BUDGET of the answers
would be flagged. Signatures, attributions and templates are left alone; the neutral signals of
truncation.py come first, its English word rules for English and undetected text only.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ftflow.tasks.prepare.checks import language, truncation
from ftflow.tasks.prepare.checks.lang_words import LanguageWords, words_for
from ftflow.tasks.prepare.checks.truncation_text import (
    ALNUM,
    ATTRIBUTION,
    BULLET,
    CONTEXTS,
    PLAIN_CHUNK,
    WORD,
    ends_terminal,
    is_signature,
    last_segment,
    neutral_detail,
    split_segments,
)

BUDGET = 0.02  # share of a language's answers the learned rule may flag if none were cut
MIN_ANSWERS = 30  # a language with fewer sampled answers gets no learned rule
MIN_ENDINGS = 30  # ... or with fewer complete endings to learn from
SAMPLE = 20_000  # answers the profile reads at most (evenly spread)
SMOOTH = 10.0  # pseudo-uses pulling a rare word's end rate toward the prior
TOP_WORD_PRIOR = 0.3  # a language's most frequent words end sentences less often a priori
LEN_BINS = (1, 2, 3, 4, 5, 7, 10, 15, 25)  # lower bounds of the last segment's length bins
# Bare inner segments (list items, headings) as the model of complete open answers is pessimistic:
# lists and attributions that end answers repeat, and their repeats vouch for them (open_ends).
BARE_BUDGET_FACTOR = 3.0
BARE_PSEUDO = 200  # bare segments needed before they alone describe complete open endings
LEARN_CHARS = 3000
ENDINGS_KEPT = 30_000  # complete endings kept to calibrate the threshold
QUOTE_PROBES = (0.35, 0.6, 0.85)  # where finished answers are cut to see how often a cut splits a quote
QUOTE_NOISE = 0.005  # finished answers with unpaired quotes above this share: quotes prove nothing
DOMINANT_SHARE = 0.8  # undetected answers are judged in the language of this share of the sample
THRESHOLD_FLOOR = -1.0  # a score this low (complete endings likelier than cuts) is never flagged
TEMPLATE_MIN = 5  # answers without . ! ? that begin alike before their start is a template ...
TEMPLATE_SHARE = 0.8  # ... when at least this share of the answers beginning so end that way
VOUCHING_ENDS = 3  # an English "never ends a sentence" word that ends this many here is judged as learned
FRAGMENT_CHARS = 4  # a word this long that only begins one of the corpus's words is a fragment
FRAGMENT_USES = 2  # a fragment of a frequent word may occur this often elsewhere (names, typos)


def _bin(n: int) -> int:
    return sum(n >= b for b in LEN_BINS) - 1


@dataclass
class LanguageProfile:
    lang: str
    answers: int = 0
    terminal: int = 0  # answers ending with terminal punctuation
    starts: Counter[str] = field(default_factory=Counter)  # first word -> answers
    open_starts: Counter[str] = field(default_factory=Counter)  # first word -> answers without final . ! ?
    open_start_ends: dict[str, set[str]] = field(default_factory=dict)  # first word -> last words of those
    odd_quotes: int = 0  # ... of those, with quotation marks that do not pair up
    quote_probes: int = 0  # prefixes of those answers (cut at QUOTE_PROBES points) ...
    quote_probe_odd: int = 0  # ... with quotation marks that do not pair up
    ends: Counter[str] = field(default_factory=Counter)  # word -> complete segments it ends
    open_ends: Counter[str] = field(default_factory=Counter)  # word -> answers without final . ! ? it ends
    uses: Counter[str] = field(default_factory=Counter)  # word -> uses, the last word of each answer left out
    segment_words: Counter[int] = field(default_factory=Counter)  # words per segment, every segment
    end_words: Counter[int] = field(default_factory=Counter)  # words per complete segment
    bare_words: Counter[int] = field(default_factory=Counter)  # ... of those without . ! ? (lines, list items)
    endings: list[tuple[str, int, bool, bool, int]] = field(default_factory=list)  # (word, length, bare, last, context)
    segment_context: Counter[int] = field(default_factory=Counter)  # words of segments per CONTEXTS kind
    words: LanguageWords | None = None
    threshold: float = math.inf
    allowed_share: float = 0.0
    base_rate: float = 0.0
    len_score: list[float] = field(default_factory=list)  # per length bin: log P(cut) / P(complete)
    vocabulary: list[str] = field(default_factory=list)  # words used at least twice here, sorted
    context_score: list[float] = field(default_factory=lambda: [0.0] * len(CONTEXTS))  # per CONTEXTS kind

    @property
    def punct_rate(self) -> float:
        return self.terminal / self.answers if self.answers else 0.0

    @property
    def quotes_unreliable(self) -> bool:
        """Do this corpus's finished answers (ending with . ! ?) often leave quotes unpaired
        (quotes over several paragraphs, « used both ways)? Then an unpaired quote proves no cut."""
        return self.terminal >= MIN_ANSWERS and self.odd_quotes > QUOTE_NOISE * self.terminal

    @property
    def quote_evidence(self) -> float:
        """log P(unpaired quotes | cut at random) / P(unpaired quotes | finished), from this corpus."""
        p_cut = (self.quote_probe_odd + 0.5) / (self.quote_probes + 1.0)
        p_done = (self.odd_quotes + 0.5) / (self.terminal + 1.0)
        return math.log(p_cut / p_done)

    def end_rate(self, word: str, own: int = 0) -> float:
        """Smoothed share of the word's uses that end a complete segment; `own`: this text's
        contribution to `open_ends`, left out (a cut answer must not vouch for itself)."""
        prior = self.base_rate * (TOP_WORD_PRIOR if self.words and word in self.words.top_rank else 1.0)
        e = self.ends.get(word, 0) + max(self.open_ends.get(word, 0) - own, 0)
        return (e + SMOOTH * prior) / (self.uses.get(word, 0) + SMOOTH)

    def score(self, word: str, length: int, context: int = 0, own: int = 0) -> float:
        return (math.log(self.base_rate / self.end_rate(word, own)) + self.len_score[_bin(length)]
                + self.context_score[context])  # fmt: skip

    def template(self, text: str) -> str | None:
        """The answer's first word, if this corpus's answers that begin with it end without
        . ! ? far more often than its others (captions "Tabla 4.4. Relación de …", lists): a
        template whose open ending is its style. The answer itself does not vouch."""
        first = WORD.search(text[:80])
        if first is None:
            return None
        w = first.group().lower()
        n, opened = self.starts.get(w, 0) - 1, self.open_starts.get(w, 0) - 1
        if opened < TEMPLATE_MIN or opened < TEMPLATE_SHARE * n or opened / max(n, 1) < 3 * (1 - self.punct_rate):
            return None
        # Its open answers end on many different words (captions), not on the same few (a list
        # that always ends "… Palliative Care", which vouches for itself through open_ends).
        return w if len(self.open_start_ends.get(w, ())) >= TEMPLATE_SHARE * opened else None

    def corpus_completion(self, word: str) -> str | None:
        """A longer word of this corpus (used at least twice) that `word` begins, if any."""
        i = bisect.bisect_right(self.vocabulary, word)
        if i < len(self.vocabulary) and self.vocabulary[i].startswith(word):
            return self.vocabulary[i]
        return None

    def finish(self) -> None:
        """Totals, length scores and the calibrated threshold, once every text was read."""
        self.vocabulary = sorted(w for w, n in self.uses.items() if n >= 2)
        self.open_start_ends = {w: e for w, e in self.open_start_ends.items() if self.open_starts[w] >= TEMPLATE_MIN}
        self.base_rate = max(sum(self.ends.values()) + sum(self.open_ends.values()), 1) / max(
            sum(self.uses.values()), 1
        )
        nb = len(LEN_BINS)
        cut = [0.0] * nb  # a random cut leaves k words of a segment of n >= k words
        for n, c in self.segment_words.items():
            for k in range(1, n + 1):
                cut[_bin(k)] += c
        end = [0.0] * nb
        for n, c in self.end_words.items():
            end[_bin(n)] += c
        bare = [0.0] * nb
        for n, c in self.bare_words.items():
            bare[_bin(n)] += c
        # A complete answer without final punctuation ends like the corpus's bare segments
        # (lines, list items) when it has many, else like any complete segment.
        n_end, n_bare, n_cut = sum(end) or 1.0, sum(bare), sum(cut) or 1.0
        p_end = [(bare[b] + BARE_PSEUDO * end[b] / n_end + 0.5) / (n_bare + BARE_PSEUDO + 0.5 * nb) for b in range(nb)]
        self.len_score = [math.log((cut[b] + 0.5) / (n_cut + 0.5 * nb) / p_end[b]) for b in range(nb)]
        self._calibrate()

    def _calibrate(self) -> None:
        if self.answers < MIN_ANSWERS or len(self.endings) < MIN_ENDINGS:
            return
        # Complete open answers end like the corpus's bare segments when it has many (lists,
        # headings), else like its punctuated answers' last sentences (chat: the period dropped).
        bare = [(w, n, c) for w, n, is_bare, _, c in self.endings if is_bare]
        finals = [(w, n, c) for w, n, _, last, c in self.endings if last]
        sample = (
            bare
            if len(bare) >= BARE_PSEUDO
            else finals
            if len(finals) >= MIN_ENDINGS
            else [(w, n, c) for w, n, _, _, c in self.endings]
        )
        # Where a segment starts (after a sentence, a clause, a line break, or the answer's
        # start): a random cut falls in a segment as often as its words, a complete open
        # answer's last segment starts where the sample's do.
        cut_ctx = [self.segment_context[k] + 1.0 for k in range(len(CONTEXTS))]
        end_ctx = [sum(c == k for _, _, c in sample) + 1.0 for k in range(len(CONTEXTS))]
        self.context_score = [
            math.log(cut_ctx[k] / sum(cut_ctx)) - math.log(end_ctx[k] / sum(end_ctx)) for k in range(len(CONTEXTS))
        ]
        # Leave-one-out: an ending must not vouch for itself.
        scores = []
        for w, n, c in sample:
            self.ends[w] -= 1
            self.uses[w] -= 1
            scores.append(self.score(w, n, c))
            self.ends[w] += 1
            self.uses[w] += 1
        scores.sort()
        open_share = max(1.0 - self.punct_rate, 1e-3)
        budget = BUDGET * (BARE_BUDGET_FACTOR if sample is bare else 1.0)
        self.allowed_share = min(max(budget / open_share, 0.003), 0.5)
        k = min(int(len(scores) * (1.0 - self.allowed_share)), len(scores) - 1)
        self.threshold = max(scores[k], THRESHOLD_FLOOR)
        self.endings = []


def learn(texts: Sequence[str], languages: Sequence[str]) -> dict[str, LanguageProfile]:
    """A profile per language from `texts` (answers) and their detected `languages`."""
    profiles: dict[str, LanguageProfile] = {}
    for text, lang in zip(texts, languages, strict=True):
        if lang == language.UNKNOWN or not isinstance(text, str) or not text.strip():
            continue
        prof = profiles.get(lang)
        if prof is None:
            prof = profiles[lang] = LanguageProfile(lang)
        prof.answers += 1
        closed = ends_terminal(text)
        prof.terminal += closed
        first = WORD.search(text[:80])
        if first is not None:
            prof.starts[first.group().lower()] += 1
            if not closed:
                prof.open_starts[first.group().lower()] += 1
                tail = WORD.findall(text[-60:].lower())
                prof.open_start_ends.setdefault(first.group().lower(), set()).add(tail[-1] if tail else "")
        if closed:
            prof.odd_quotes += truncation.unbalanced_quote(text)
            prof.quote_probes += len(QUOTE_PROBES)
            if '"' in text or "“" in text or "«" in text:
                prof.quote_probe_odd += sum(
                    truncation.unbalanced_quote(text[: int(f * len(text))]) for f in QUOTE_PROBES
                )
        text = text.strip()
        if len(text) > LEARN_CHARS:  # long answers: their start and their end are plenty
            text = text[: LEARN_CHARS // 2] + "\n" + text[-LEARN_CHARS // 2 :]
        segments, contexts = split_segments(text)
        last = len(segments) - 1
        for k, (seg, ctx) in enumerate(zip(segments, contexts, strict=True)):
            words = WORD.findall(seg.lower())
            if not words:
                continue
            prof.uses.update(words[:-1] if k == last and not closed else words)
            n = len(words)
            prof.segment_words[n] += 1
            prof.segment_context[ctx] += n
            tail = seg[seg.lower().rfind(words[-1]) + len(words[-1]) :]
            if ALNUM.search(tail):
                continue
            if k == last and not closed:
                prof.open_ends[words[-1]] += 1
                continue
            bare = not tail.strip()  # nothing after the last word: a line or list item
            prof.ends[words[-1]] += 1
            prof.end_words[n] += 1
            if bare:
                prof.bare_words[n] += 1
            if len(prof.endings) < ENDINGS_KEPT:
                prof.endings.append((words[-1], n, bare, k == last, ctx))
    for prof in profiles.values():
        prof.words = words_for(prof.lang) if prof.answers >= MIN_ANSWERS else None
        if prof.words is not None and not prof.words.available:
            prof.words = None
        prof.finish()
    return profiles


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def _stray_letter(letter: str, prof: LanguageProfile) -> bool:
    """A single letter that is no word of the language ("l", "d"; not "a", "y") and ends fewer
    than 2 complete sentences here (not "hepatitis B."). Open answers do not count: cut
    answers end on the same letters ("… original d", "… del proyecto D") and would vouch for each other."""
    if prof.words is not None and prof.words.letter_word(letter):
        return False
    return prof.ends.get(letter, 0) < 2


def judge(text: str, lang: str, profiles: dict[str, LanguageProfile], quotes: float = 0.0,
          ) -> tuple[str, str] | None:  # fmt: skip
    """(signal, detail) if the learned rules say `text` (no neutral signal) was cut, else None.

    `quotes`: the log-likelihood ratio of its unpaired quotation marks in this corpus (0: paired)."""
    s = text.rstrip().rstrip("*_~")
    if not s or not s[-1].isalpha() or ends_terminal(s):
        return None
    prof = profiles.get(lang)
    if prof is None or prof.threshold == math.inf:
        return None
    words, ctx = last_segment(s)
    if not words or not s.lower().endswith(words[-1]) or not PLAIN_CHUNK.fullmatch(s.rsplit(None, 1)[-1]):
        return None  # ends on a URL, an address, a code name: not judged by words
    last_line = s[s.rfind("\n") + 1 :].lstrip()
    bullet = BULLET.match(last_line) is not None
    if ATTRIBUTION.match(last_line):
        return None
    w, name = words[-1], language.name(lang)
    why = f"{_pct(prof.punct_rate)} of this corpus's {name} answers end with . ! ?"
    if prof.words is not None and prof.uses.get(w, 0) <= FRAGMENT_USES:
        longer = prof.words.completion(w, known_too=len(w) <= 3)
        if longer is not None:
            n = prof.uses.get(w, 0)
            elsewhere = "never used elsewhere here" if not n else f"used only {n}x elsewhere here"
            return "mid_word", f"ends on '{w}', {elsewhere}, a rare {name} word but the start of '{longer}'; {why}"
    if len(w) >= FRAGMENT_CHARS and not prof.uses.get(w) and prof.words is not None and not prof.words.listed(w):
        longer = prof.corpus_completion(w)
        if longer is not None:
            return (
                "mid_word",
                f"ends on '{w}', used nowhere else here and no {name} word, but the start of '{longer}' (used here); {why}",
            )
    if len(w) == 1 and _stray_letter(w, prof):
        return "mid_word", f"ends on the single letter '{w}', which ends no sentence in this corpus; {why}"
    rank = prof.words.top_rank.get(w) if prof.words else None
    if prof.template(s) is not None:
        return None  # "Tabla 4.4. Relación de herramientas …": this corpus's answers that begin so end so
    if ctx and not rank and is_signature(s, len(words), prof.words.top_rank if prof.words else {}):
        return None  # "… the law of heaven. Tao-Te-Chin, IX", "… help.    NIH: National Cancer Institute"
    if bullet and (lang == "en" or not rank):
        return (
            None  # a list item ends without punctuation; only a dangling frequent word tells (English: truncation.py)
        )
    if prof.score(w, len(words), ctx, own=1) + quotes <= prof.threshold:
        return None
    kind = f" (one of the {len(prof.words.top)} most frequent {name} words)" if rank and prof.words else ""
    ends = prof.ends.get(w, 0) + max(prof.open_ends.get(w, 0) - 1, 0)
    uses = f"'{w}' ends {ends} of its {prof.uses.get(w, 0)} uses in other answers here"
    if quotes:
        uses += f"; a quotation mark is left open ({_pct(prof.odd_quotes / max(prof.terminal, 1))} of finished answers here do that)"
    return ("dangling_word" if rank else "open_ending"), f"ends on '{w}'{kind} without final punctuation; {uses}; {why}"


def dominant(profiles: dict[str, LanguageProfile]) -> str | None:
    """The language of at least DOMINANT_SHARE of the sampled answers, if any: an answer too
    short (or too unusual) to detect is judged as one of it."""
    total = sum(p.answers for p in profiles.values())
    best = max(profiles.values(), key=lambda p: p.answers, default=None)
    return best.lang if best is not None and best.answers >= DOMINANT_SHARE * total else None


_ENGLISH_RULES = frozenset({"dangling_word", "mid_word"})


@dataclass
class TruncationResult:
    signals: list[str | None]
    details: list[str | None]
    languages: list[str]
    profiles: dict[str, LanguageProfile]


def combine(texts: Sequence[str], base: Sequence[str | None], languages: Sequence[str],
            profiles: dict[str, LanguageProfile], n_tokens: Sequence[int | None] | None = None,
            ) -> tuple[list[str | None], list[str | None]]:  # fmt: skip
    """Final signal and detail per text: neutral signals, English rules for English (or
    undetected) text, then the learned rules of the text's language."""
    signals: list[str | None] = []
    details: list[str | None] = []
    main = dominant(profiles)
    for i, (text, sig, lang) in enumerate(zip(texts, base, languages, strict=True)):
        if lang == language.UNKNOWN and main is not None:
            lang = main
        if sig in _ENGLISH_RULES and lang not in ("en", language.UNKNOWN):
            sig = None
        extra = 0.0
        if sig == "dangling_word" and lang == "en" and (prof := profiles.get(lang)) is not None:
            last = WORD.findall(text[-60:].lower())
            if last and prof.ends.get(last[-1], 0) >= VOUCHING_ENDS:
                sig = None  # this corpus's finished sentences end on it: the learned rules judge it
        if sig == "unbalanced_quote" and (prof := profiles.get(lang)) is not None and prof.quotes_unreliable:
            sig, extra = None, prof.quote_evidence  # weak evidence here: the learned rules weigh it with the ending
        if sig is not None:
            signals.append(sig)
            why = neutral_detail(sig, text, n_tokens[i] if n_tokens is not None else None)
            prof = profiles.get(lang)
            if sig in _ENGLISH_RULES and prof is not None and prof.answers >= MIN_ANSWERS:
                why += f"; {_pct(prof.punct_rate)} of this corpus's {language.name(lang)} answers end with . ! ?"
            details.append(why)
            continue
        found = judge(text, lang, profiles, extra) if isinstance(text, str) else None
        signals.append(found[0] if found else None)
        details.append(found[1] if found else None)
    return signals, details


def detect(texts: Sequence[str], n_tokens: Sequence[int] | None = None, *, languages: Sequence[str] | None = None,
           token_limits: Sequence[int] = truncation.DEFAULT_TOKEN_LIMITS) -> TruncationResult:  # fmt: skip
    """Signal, detail and language per text, the profile learned from `texts` themselves."""
    texts = [t if isinstance(t, str) else "" for t in texts]
    langs = list(languages) if languages is not None else language.detect_languages(texts)
    base = truncation.detect_truncation(texts, n_tokens, token_limits=token_limits)
    stride = truncation.sample_stride(len(texts), SAMPLE)
    profiles = learn(texts[::stride], langs[::stride])
    signals, details = combine(texts, base, langs, profiles, list(n_tokens) if n_tokens is not None else None)
    return TruncationResult(signals, details, langs, profiles)

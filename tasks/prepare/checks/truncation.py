"""Detect assistant answers that were cut off (truncated) before the quality gate keeps them.

Good answers often end without a full stop (bullets, attributions, URLs, units, emoji, closed
code blocks), so a missing period alone proves nothing. We flag only endings that a finished
answer almost never has: half a word, a dangling function word, an open bracket / quote / code
fence, a trailing ellipsis or separator, or a token count sitting exactly at a generation limit.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from ftflow.tasks.prepare.checks.vocabulary import Vocabulary as Vocabulary
from ftflow.tasks.prepare.checks.vocabulary import preload as preload

TRUNCATION_SIGNALS: tuple[str, ...] = (
    # Checked in this order; the first hit is reported.
    "open_code_fence",
    "trailing_ellipsis",
    "trailing_separator",
    "unbalanced_bracket",
    "unbalanced_quote",
    "dangling_word",
    "mid_word",
    "token_limit",
    "open_ending",  # tasks/prepare/checks/truncation_corpus.py: learned from the corpus's own answers
)
DEFAULT_TOKEN_LIMITS: tuple[int, ...] = (256, 512, 1024, 2048, 4096)
_SIGNAL_CODES = {name: i for i, name in enumerate(TRUNCATION_SIGNALS)}
SCAN_LIMIT = 200_000  # texts the corpus scan for cut-looking words reads at most


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Finished answers end a sentence with one of these: the fast path.
_TERMINAL = frozenset(".!?。！？؟।۔")
_SEPARATORS = frozenset(",;:-–—")
_EMPHASIS = "*_~"
# Words a finished English sentence practically never ends on (~0 of 13k sentences measured).
_DANGLING = _words(
    "a an the and or but nor than as because although whereas unless whether if my your our"
    " their its whose which including"
)
# Prepositions and auxiliaries end ~0.5 % of sentences, mostly stranded by a wh-clause or a
# comparison ("what it is for", "where you came from", "than we are"): flag only without one.
_DANGLING_UNLESS_CLAUSE = _words(
    "of to for with from into onto is are was were could would should shall may might must"
)
_CLAUSE_OPENERS = _words("what whatever where wherever who whom whoever which how when why than as")
# "in on at by" end phrasal verbs ("make sure you are signed in", "turn it on", "stand by") as
# often as they end a cut ("the notice period depends on"): flagged unless they follow a verb
# that takes them as a particle, or a clause opener stranded them.
_PARTICLES = _words("in on at by")
_PARTICLE_VERBS = _words(
    "log logs logged logging sign signs signed signing check checks checked checking opt opted plug plugged"
    " turn turns turned switch switched fill filled drop dropped come comes came coming stop stopped stand"
    " stood standing carry carried hand handed get gets got go goes went move moved call called zoom"
    " tune tuned lock locked clock clocked dial dialled dialed phase phased roll rolled join joined pass"
    " passed pop popped kick kicked bring brought send sent take taken give given put keep kept hold held"
    " hang stay stayed sit drive drop pick picked look looked read wait waited break broke leave left"
    " let stick stuck sink sunk settle settled fit fitted count counted cut throw thrown chip chipped"
    " walk walked run running jump jumped tag tagged factor factored pitch pitched weigh weighed"
)
_PARTICLE_FILLERS = _words("it them him her me us you this that back up out off and yourself everyone everything")
# A text that ends on the first word of a new sentence ("...waiting times.\n\nIn") was cut.
_SENTENCE_OPENERS = (
    _DANGLING
    | _DANGLING_UNLESS_CLAUSE
    | _PARTICLES
    | _words(
        "this these those it we you they he she please when while most some all each every for after before"
        " during once since until unlike good note also"
    )
)
_SENTENCE_END = re.compile(r"(?:^|[.!?:]\s+|\n\s*)([A-Z][a-z]+)$")
_LAST_CHUNK = re.compile(r"[(\[\"'“‘]*([a-z]+(?:-[a-z]+)*)")
_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.DOTALL)
_EMOTICON = re.compile(r"[:;=]'?-?\(")  # ":(" and friends open nothing
_BRACKETS = re.compile(r"[()\[\]{}]")
_CLAUSE_END = re.compile(r"[.!?;:\n]")
_INCH = re.compile(r"\d\"")
# Punctuation a mid-text word is commonly glued to, for the lazy corpus scan.
_GLUE_BEFORE = ("", "(", '"', "'", "“", "*", "**")
_GLUE_AFTER = ("", ",", ".", ";", ":", ")", "!", "?", '"', "'s", "”", "*", "**", "'")


def _fence_open(text: str) -> bool:
    """An odd number of fence lines means a code block was opened and never closed."""
    n = 0
    for line in text.splitlines():
        line = line.lstrip()
        if line.startswith(("```", "~~~")):
            n += 2 if line[:3] in line[3:] else 1  # "```x```" on one line opens and closes
    return n % 2 == 1


def _unclosed_bracket(prose: str) -> bool:
    """More openers than closers. Stray closers ("1)", ":)") are ignored: cuts only drop closers."""
    prose = _EMOTICON.sub("", prose)
    depth = 0
    for ch in _BRACKETS.findall(prose):
        if ch in "([{":
            depth += 1
        elif depth:
            depth -= 1
    return depth > 0


def unbalanced_quote(prose: str) -> bool:
    """Quotation marks that do not pair up (an odd number of ", more “ than ”, more « than »)."""
    return _unbalanced_quote(prose)


def _unbalanced_quote(prose: str) -> bool:
    n = prose.count('"')
    # An odd count is explained away by an odd number of inch marks (55").
    if n % 2 and len(_INCH.findall(prose)) % 2 == 0:
        return True
    if "„" not in prose and prose.count("“") > prose.count("”"):  # „German“ closes with “
        return True
    return prose.count("«") > prose.count("»")


def _closed_quote(tail: str) -> bool:
    """Ends with a sentence closed inside a quote ('... he said, "Not yet."'): whatever the quotes
    before it do (a quote over several paragraphs reopens without closing), the end is finished."""
    s = tail.rstrip("\"'”’»")
    return len(s) < len(tail) and bool(s) and s[-1] in _TERMINAL


def _last_word(tail: str) -> str | None:
    """The final lowercase ASCII word (last part of a hyphen compound), or None if the text ends
    on something we cannot judge: a number, URL, code, capitalized name, non-Latin script."""
    chunk = tail.rsplit(None, 1)[-1]
    m = _LAST_CHUNK.fullmatch(chunk)
    return m.group(1).rpartition("-")[2] if m else None


def _mostly_english(tail: str) -> bool:
    """Skip word checks when the ending is in another script or an accented language: one
    accented letter ("café") is English enough, a second one is not."""
    region = tail[-200:]
    return region.isascii() or sum(c.isalpha() and not c.isascii() for c in region) <= 1


def _dangling(word: str, tail: str) -> bool:
    if word in _DANGLING:
        return True
    if word not in _DANGLING_UNLESS_CLAUSE and word not in _PARTICLES:
        return False
    clause = [w.strip(",\"'()*") for w in _CLAUSE_END.split(tail[-80:])[-1].lower().split()[-7:-1]]
    if word in _PARTICLES and _after_particle_verb(clause):
        return False
    return _CLAUSE_OPENERS.isdisjoint(clause)


def _after_particle_verb(words: list[str]) -> bool:
    """The particle follows its verb, maybe past a short object ("switch it back on")."""
    for w in reversed(words):
        if w not in _PARTICLE_FILLERS:
            return w in _PARTICLE_VERBS
    return False


def _new_sentence_opener(tail: str) -> bool:
    """The text ends on a capitalized function word that begins a sentence ("...times.\n\nIn")."""
    m = _SENTENCE_END.search(tail[-40:])
    return m is not None and m.group(1).lower() in _SENTENCE_OPENERS and (m.start(1) > 0 or len(tail) <= 40)


def _open_ending(s: str, vocab: Vocabulary) -> str | None:
    """Signals for a (right-stripped, non-empty) text that does not end on terminal punctuation."""
    tail = s.rstrip(_EMPHASIS) or s
    if tail.endswith(("...", "…")):
        return "trailing_ellipsis"
    last = tail[-1]
    if last in _SEPARATORS:
        line = tail[tail.rfind("\n") + 1 :].strip()
        if not (last == "-" and len(line) >= 3 and set(line) == {"-"}):  # "---" rule is fine
            return "trailing_separator"
    prose = _CODE.sub(" ", s) if "`" in s or "~~~" in s else s
    if ("(" in prose or "[" in prose or "{" in prose) and _unclosed_bracket(prose):
        return "unbalanced_bracket"
    if _unbalanced_quote(prose) and not _closed_quote(tail):
        return "unbalanced_quote"
    if last == "`" or not last.isalpha():
        return None
    if _new_sentence_opener(tail):
        return "dangling_word"
    word = _last_word(tail)
    if word is None or not _mostly_english(tail):
        return None
    if "-" not in tail.rsplit(None, 1)[-1] and _dangling(word, tail):
        return "dangling_word"
    if vocab.looks_cut(word):
        return "mid_word"
    return None


def _signal(text: str, n_tokens: int | None, vocab: Vocabulary, limits: frozenset[int]) -> str | None:
    s = text.rstrip()
    if not s:
        return None
    if ("```" in s or "~~~" in s) and _fence_open(s):
        return "open_code_fence"
    end = s[-1]
    if end in _TERMINAL:
        if end == "." and s.endswith("..."):
            return "trailing_ellipsis"
    else:
        sig = _open_ending(s, vocab)
        if sig is not None:
            return sig
    return "token_limit" if n_tokens in limits else None


def truncation_signal(
    text: str,
    n_tokens: int | None = None,
    *,
    vocabulary: Vocabulary | None = None,
    token_limits: Sequence[int] = DEFAULT_TOKEN_LIMITS,
) -> str | None:
    """Return the name of the first signal that says `text` was cut off, or None.

    Without `vocabulary` only the base English list decides mid-word cuts; pass one built from
    the dataset so its domain terms count as known.
    """
    vocab = vocabulary if vocabulary is not None else Vocabulary()
    return _signal(text, n_tokens, vocab, frozenset(token_limits))


def _seen_mid_text(texts: Sequence[str], words: set[str]) -> set[str]:
    """Which of `words` occur somewhere other than as a text's last word (common glue included)."""
    return seen_mid_text(mid_text_tokens(texts), words)


def seen_mid_text(mid_tokens: set[str], words: set[str]) -> set[str]:
    """The `words` that some form of (glue included) is among `mid_tokens`."""
    forms = {b + w + a: w for w in words for b in _GLUE_BEFORE for a in _GLUE_AFTER}
    return {forms[f] for f in mid_tokens.intersection(forms)}


def mid_text_tokens(texts: Sequence[str], chunk: int = 4096) -> set[str]:
    """Every lower-cased whitespace token that some text has before its last token.

    Texts are cut before their last token and the rest is split in big joined chunks,
    so the splitting runs in C. Parts of a corpus can be scanned apart and united.
    """
    found: set[str] = set()
    for start in range(0, len(texts), chunk):
        heads = []
        for text in texts[start : start + chunk]:
            if "\x00" in text:  # a NUL token also ends what comes before it: check token by token
                toks = text.lower().split()
                found.update(t for t, nxt in itertools.pairwise(toks) if nxt != "\x00")
            else:
                parts = text.rsplit(None, 1)
                if len(parts) == 2:
                    heads.append(parts[0])
        found.update(" ".join(heads).lower().split())
    return found


def first_pass(texts: Sequence[str], n_tokens: Sequence[int | None], limits: frozenset[int],
               vocab: Vocabulary) -> tuple[list[str | None], list[int]]:  # fmt: skip
    """Signal per text against `vocab`, and the positions of texts judged `mid_word` (to re-check)."""
    out: list[str | None] = []
    append = out.append
    pending: list[int] = []
    for text, n in zip(texts, n_tokens, strict=True):
        # Inlined fast path: most answers end on terminal punctuation and contain no code.
        s = text.rstrip()
        if s and s[-1] in _TERMINAL and not s.endswith("...") and "```" not in s and "~~~" not in s:
            append(None if n not in limits else "token_limit")
            continue
        sig = _signal(text, n, vocab, limits)
        if sig == "mid_word":
            pending.append(len(out))
        append(sig)
    return out, pending


def recheck_mid_word(pending_texts: Sequence[str], pending_tokens: Sequence[int | None],
                     sample: Sequence[str] | set[str], limits: frozenset[int],
                     vocab: Vocabulary) -> list[str | None]:  # fmt: skip
    """Signals of the `mid_word` texts once the words they end on are looked up mid-text in `sample`.

    `sample`: the texts to look in, or their `mid_text_tokens` (which parts can gather apart).
    """
    words = {_last_word(t.rstrip().rstrip(_EMPHASIS)) or "" for t in pending_texts}
    vocab.add(seen_mid_text(sample if isinstance(sample, set) else mid_text_tokens(sample), words))
    return [_signal(t, n, vocab, limits) for t, n in zip(pending_texts, pending_tokens, strict=True)]


def signal_code(signal: str | None) -> int:
    """Index of `signal` in TRUNCATION_SIGNALS, -1 for None (compact to pass between processes)."""
    return -1 if signal is None else _SIGNAL_CODES[signal]


def sample_stride(n_texts: int, scan_limit: int) -> int:
    """Every how many texts the corpus scan looks at, so that it reads at most `scan_limit`
    (at least 1: with no text at all, e.g. when every row failed ingest, there is nothing to skip)."""
    return max(1, -(-n_texts // max(scan_limit, 1)))


def detect_truncation(
    texts: Sequence[str],
    n_tokens: Sequence[int] | None = None,
    *,
    token_limits: Sequence[int] = DEFAULT_TOKEN_LIMITS,
    vocabulary: Vocabulary | None = None,
    scan_limit: int = SCAN_LIMIT,
) -> list[str | None]:
    """Signal name (or None) per text, judged against the corpus's own vocabulary + base list.

    Tokenizing the whole corpus costs ~4 s per million texts, several times the check itself.
    So without `vocabulary` we check against the base list first, then look only for the few
    words that seem cut, in at most `scan_limit` evenly spread texts (all of them, if fewer):
    domain terms that matter recur, so a sample finds them.
    """
    # Positional access even for a pandas Series; missing / non-text content is never "cut".
    texts = [t if isinstance(t, str) else "" for t in texts]
    counts = list(n_tokens) if n_tokens is not None else [None] * len(texts)
    if len(counts) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(counts)} token counts")
    limits = frozenset(token_limits)
    vocab = vocabulary if vocabulary is not None else Vocabulary()
    out, pending = first_pass(texts, counts, limits, vocab)
    if pending and vocabulary is None:
        sample = texts[:: sample_stride(len(texts), scan_limit)]
        rechecked = recheck_mid_word([texts[i] for i in pending], [counts[i] for i in pending], sample, limits, vocab)
        for i, sig in zip(pending, rechecked, strict=True):
            out[i] = sig
    return out

"""The text side of the corpus-learned truncation rules (tasks/prepare/checks/truncation_corpus.py):
how an answer ends (terminal punctuation), its segments (sentences, clauses, lines, list
items) and where each starts, and endings that read as a signature or heading.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

LAST_SEGMENT_CHARS = 600  # a last segment longer than this is judged on its end
SIGNATURE_WORDS = 6  # a last segment of 2..6 capitalized words reads as an attribution or heading
_TERMINAL = frozenset(".!?…。！？")
_CLOSERS = ")]\"'”’»*_"
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
ALNUM = re.compile(r"\w")
# Sentence, line and list-item boundaries (the lookahead lets most positions fail at once).
SEGMENT = re.compile(r"(?=\s)(?:(?<=[.!?…;:])\s+|\s*\n\s*|\s\s+)")
# The last whitespace chunk is a plain word (maybe quoted or emphasized), not a URL or a code name.
PLAIN_CHUNK = re.compile(r"[(\[\"'“‘¿¡]*[^\W\d_]+(?:['’-][^\W\d_]+)*[*_~]*")
BULLET = re.compile(r"(?:[-*•·–]|\d{1,3}[.)])\s")
ATTRIBUTION = re.compile(r"(?:—|--|―)\s*\S")


def ends_terminal(text: str) -> bool:
    """Ends with . ! ? (maybe followed by a closing bracket, quote or emphasis)."""
    s = text.rstrip().rstrip(_CLOSERS)
    return bool(s) and s[-1] in _TERMINAL


_BOUNDARIES = (". ", "! ", "? ", "… ", "; ", ": ", "\n", "  ", ".\t", "\t")
CONTEXTS = ("start", "sentence", "clause", "line")  # what a segment follows


def context_of(boundary: str) -> int:
    """CONTEXTS index of the segment that follows `boundary` ("" at the answer's start)."""
    if not boundary:
        return 0
    if "\n" in boundary or "\t" in boundary or boundary.count(" ") > 1 or boundary.isspace():
        return 3
    if boundary[0] in ";:":
        return 2
    return 1


def last_segment(text: str) -> tuple[list[str], int]:
    """The words of the text's last sentence, line or list item (as SEGMENT splits; rfind is
    faster) and its CONTEXTS index."""
    tail = text.rstrip()[-LAST_SEGMENT_CHARS:]
    cut, b = max(((i + len(b), b) for b in _BOUNDARIES if (i := tail.rfind(b)) >= 0), default=(0, ""))
    if b:  # the whole run of whitespace before the segment decides its context
        j = cut - len(b)
        while j > 0 and tail[j - 1].isspace():
            j -= 1
        if tail[j - 1 : j] in ".!?…;:" and j > 0:
            j -= 1
        b = tail[j:cut]
    ctx = context_of(b) if cut < len(tail) or not b else 0
    if len(text.rstrip()) > LAST_SEGMENT_CHARS and not b:
        ctx = 1
    return WORD.findall(tail[cut:].lower()), ctx


def split_segments(text: str) -> tuple[list[str], list[int]]:
    """The text's segments (as SEGMENT splits it) and each one's CONTEXTS index."""
    segments: list[str] = []
    contexts: list[int] = []
    start, before = 0, ""
    for m in SEGMENT.finditer(text):
        if m.start() > start:
            segments.append(text[start : m.start()])
            contexts.append(context_of(before))
        before = (
            text[max(m.start() - 1, 0) : m.end()] if m.start() > 0 and text[m.start() - 1] in ".!?…;:" else m.group()
        )
        start = m.end()
    if start < len(text):
        segments.append(text[start:])
        contexts.append(context_of(before))
    return segments, contexts


_CAPITALIZED = re.compile(r"[(\[\"'“‘¿¡-]*[A-ZÀ-ÖØ-Þ]\S*")


def is_signature(text: str, n_words: int, top: Mapping[str, int]) -> bool:
    """The last segment (`n_words` words, after a sentence, clause or line) is a short run of
    capitalized words: an attribution, a signature, a heading or a name, not a sentence cut in
    its middle. Small function words of the language (`top`) may be lower case inside it
    ("Office on Women's Health")."""
    if not 2 <= n_words <= SIGNATURE_WORDS:
        return False
    words: list[str] = []  # the whitespace chunks that hold the segment's last n_words words
    count = 0
    for chunk in reversed(text.split()[-2 * n_words :]):
        found = len(WORD.findall(chunk))
        if found:
            words.append(chunk)
            count += found
        if count >= n_words:
            break
    words.reverse()
    if not words or not _CAPITALIZED.match(words[0]) or not _CAPITALIZED.match(words[-1]):
        return False
    return all(_CAPITALIZED.match(c) or c.lower().strip(",") in top for c in words[1:-1])


_NEUTRAL_DETAILS = {
    "open_code_fence": "a ``` code block is opened and never closed",
    "trailing_ellipsis": "ends with an ellipsis",
    "unbalanced_bracket": "a bracket is opened and never closed",
    "unbalanced_quote": "a quotation mark is opened and never closed",
}


def neutral_detail(signal: str, text: str, n_tokens: int | None) -> str:
    """Why a signal of tasks/prepare/checks/truncation.py fired, in words."""
    s = text.rstrip()
    last = s.rsplit(None, 1)[-1] if s else ""
    if signal == "trailing_separator":
        return f"ends with '{s[-1:]}'"
    if signal == "token_limit":
        return f"{n_tokens} tokens: exactly a common generation limit"
    if signal == "dangling_word":
        return f"ends on '{last}', a word English sentences practically never end on"
    if signal == "mid_word":
        return f"ends on '{last}', not an English word or one of this corpus's, but the start of longer ones"
    return _NEUTRAL_DETAILS.get(signal, signal)

"""Real text for benchmarks/bench_quality.py: answers no one on this project wrote.

- ``medquad`` (English, formal): MedQuAD's non-empty answers, read from ../shared/data/medquad.csv
  (NIH text, CC BY 4.0; never copied into the repository).
- ``debref-es`` (Spanish, formal): the paragraphs of the Debian Reference's Spanish translation
  (Debian package ``debian-reference-es``, HTML under /usr/share/doc). Paragraphs ending in ":"
  introduce a list that follows them in the book, and those ending in ";" or "," are items of
  such a list, so as standalone answers they are unfinished and are left out; untranslated (English) paragraphs stay, so the per-language rows show them.
- ``fortunes-es`` (Spanish, short formal prose): the quotes of Debian's ``fortunes-es`` (the
  attribution line dropped, lines joined).
- ``chat-en`` / ``chat-es`` (informal): English fortunes (``fortunes``, ``fortunes-min``) and the
  Spanish ones, made chat-like the way informal replies are written: two thirds lose their final
  ``. ! ?``, half start in lower case. Their inner punctuation is untouched.

Install the Debian text once: ``apt-get install debian-reference-es fortunes-es fortunes fortunes-min``.
A corpus whose files are missing is skipped with a message, never faked.

Each corpus is split in two halves by a hash of the text: ``learn`` (for developing the rules)
and ``report`` (the figures in the README).
"""

from __future__ import annotations

import glob
import hashlib
import random
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

# ../shared/data/medquad.csv from the project's root (a git worktree may sit deeper: nearest one up wins)
MEDQUAD = next(
    (p / "shared" / "data" / "medquad.csv" for p in Path(__file__).resolve().parents[1:]
     if (p / "shared" / "data" / "medquad.csv").exists()),
    Path(__file__).resolve().parents[2] / "shared" / "data" / "medquad.csv",
)  # fmt: skip
DEBREF_ES = "/usr/share/doc/debian-reference-es/docs/*.es.html"
FORTUNES_ES = "/usr/share/games/fortunes/es/*.fortunes"
FORTUNES_EN = [f"/usr/share/games/fortunes/{n}" for n in (
    "fortunes", "cookie", "computers", "people", "wisdom", "love", "men-women", "literature",
    "science", "work", "food", "education", "law", "politics", "platitudes", "humorists", "linuxcookie",
)]  # fmt: skip
MIN_CHARS = 60  # shorter texts are the too_short rule's business, not truncation's


def _half(text: str) -> str:
    return "learn" if hashlib.sha256(text.encode()).digest()[0] % 2 == 0 else "report"


def medquad(path: Path = MEDQUAD) -> list[str]:
    import pandas as pd

    answers = pd.read_csv(path)["answer"].dropna().astype(str).str.strip()
    return list(dict.fromkeys(a for a in answers if len(a) >= MIN_CHARS))


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.out: list[str] = []
        self.buf: list[str] | None = None
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "p":
            self.buf = []
        elif tag in ("pre", "code", "table"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("pre", "code", "table"):
            self.skip = max(0, self.skip - 1)
        elif tag == "p" and self.buf is not None:
            self.out.append(re.sub(r"\s+", " ", "".join(self.buf)).strip())
            self.buf = None

    def handle_data(self, data: str) -> None:
        if self.buf is not None:
            self.buf.append(data)


def debref_es(pattern: str = DEBREF_ES) -> list[str]:
    paragraphs: list[str] = []
    for f in sorted(glob.glob(pattern)):
        parser = _Paragraphs()
        parser.feed(Path(f).read_text(encoding="utf-8"))
        paragraphs += parser.out
    return list(dict.fromkeys(p for p in paragraphs if len(p) >= MIN_CHARS and not p.endswith((":", ";", ","))))


def _fortunes(files: list[str]) -> list[str]:
    out: list[str] = []
    for f in files:
        p = Path(f)
        if not p.exists():
            continue
        for entry in p.read_text(encoding="utf-8", errors="replace").split("\n%\n"):
            lines = [ln.strip() for ln in entry.splitlines() if not ln.strip().startswith("--")]
            text = re.sub(r"\s+", " ", " ".join(lines)).strip()
            text = re.sub(r"\s*--[^-]{2,60}--$", "", text)  # an inline "-- Author --" attribution too
            if len(text) >= MIN_CHARS and not re.search(r"[|\\/_]{3}", text):  # no ASCII art
                out.append(text)
    return list(dict.fromkeys(out))


def fortunes_es() -> list[str]:
    return _fortunes(sorted(glob.glob(FORTUNES_ES)))


def chatty(texts: list[str], seed: int = 7) -> list[str]:
    """Informal style: 2/3 without their final . ! ?, half with a lower-case first letter."""
    rnd = random.Random(seed)
    out = []
    for t in texts:
        if rnd.random() < 2 / 3:
            t = t.rstrip(".!?").rstrip()
        if rnd.random() < 0.5:
            t = t[:1].lower() + t[1:]
        out.append(t)
    return out


CORPORA: dict[str, tuple[str, str, Callable[[], list[str]]]] = {
    # name: (expected language, style, loader)
    "medquad": ("en", "formal", medquad),
    "debref-es": ("es", "formal", debref_es),
    "fortunes-es": ("es", "formal", fortunes_es),
    "chat-en": ("en", "informal", lambda: chatty(_fortunes(FORTUNES_EN))),
    "chat-es": ("es", "informal", lambda: chatty(fortunes_es())),
}


def load(name: str, half: str) -> list[str]:
    """The corpus's texts in `half` ("learn", "report" or "all"); [] when its source is missing."""
    try:
        texts = CORPORA[name][2]()
    except FileNotFoundError:
        return []
    return texts if half == "all" else [t for t in texts if _half(t) == half]


_TERMINAL = ".!?"


def cut(text: str, rnd: random.Random, inside_word: bool) -> str | None:
    """`text` cut at a random point past its first 20 %: at the end of a word or inside one
    (at least one letter kept and one dropped); never right after . ! ? (that cut is undetectable)."""
    lo = max(1, len(text) // 5)
    if inside_word:
        spots = [i for i in range(lo, len(text) - 1) if text[i - 1].isalpha() and text[i].isalpha()]
    else:
        spots = [i for i in range(lo, len(text)) if text[i].isspace() and not text[i - 1].isspace()]
    rnd.shuffle(spots)
    for i in spots[:20]:
        head = text[:i].rstrip()
        if head and head[-1] not in _TERMINAL:
            return head
    return None

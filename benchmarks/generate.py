"""Labelled benchmark generator for the quality gate.

Usage: ``python benchmarks/generate.py N OUT_DIR [--seed S]``

Writes ``OUT_DIR/examples.jsonl`` (N OpenAI chat examples: system + user + assistant) and
``OUT_DIR/labels.parquet`` (``line`` 1-based, ``label``, ``source_line`` for duplicates). About 80%
of rows are clean; the rest carry one injected defect each. Clean text is composed from large
template and filler pools (``text_pools.py``) across four domains: every template has many
choice points and slots, and no clean row reuses another clean row's set of answer templates, so
even among a million clean rows the highest word-bigram Jaccard is about 0.4. Output is
deterministic for a given seed; a million rows take about 30 s on one core.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from array import array
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
import text_pools as tp

LABELS = ("clean", "duplicate", "near_duplicate", "too_short", "empty", "truncated", "pii")
MIX = (0.80, 0.04, 0.04, 0.03, 0.01, 0.05, 0.03)
MIN_CHARS, MAX_CHARS = 150, 900
RESERVOIR = 20_000  # clean rows remembered as duplicate sources (uniform over all earlier ones)
KEEP_CASE = {"I", "I'm", "I've", "Dr."}  # sentence starts that stay capitalised after a lead-in
_TOKEN = re.compile(r"(\{\w+\}|\[[^\]]*\])")
AN_STARTS = ("unf", "unp", "urg", "ult", "MRI", "HbA")  # take "an" though the first-letter rule says "a"
_WORD = re.compile(r"[A-Za-z]{4,}")
_VARIANTS = {group[0].lower(): group for group in tp.VARIANTS}
_VARIANT_RE = re.compile(r"\b(" + "|".join(sorted(_VARIANTS, key=len, reverse=True)) + r")\b(?! of\b)", re.I)

Part = str | Callable[[], str]
Piece = Part | tuple[str, ...]  # a tuple is a choice between literal strings
EXPAND_LIMIT = 128  # most combinations pre-joined for one pick


def _capitalised(options: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(o[0].upper() + o[1:] for o in options)


def _lower_start(template: str) -> str:
    """Lower-case a template's first word (or each option of a leading ``[a|b]``) after a lead-in."""
    if template.startswith("["):
        end = template.index("]")
        options = "|".join(_lower_start(o) for o in template[1:end].split("|"))
        return f"[{options}]{template[end + 1 :]}"
    first = template.split(" ", 1)[0]
    if not first or first[0] == "{" or first in KEEP_CASE or first[1:2].isupper():
        return template
    return template[0].lower() + template[1:]


def _needs_an(word: str) -> bool:
    return (word[:1] in "aeioAEIO" and not word.startswith(("one", "One"))) or word.startswith(AN_STARTS)


def _with_article(article: str, part: Callable[[], str]) -> Callable[[], str]:
    """``a {matter}`` filled with "inheritance dispute" reads "an inheritance dispute"."""
    return lambda: f"{article}n {v}" if _needs_an(v := part()) else f"{article} {v}"


def _articles(parts: list[Piece]) -> list[Piece]:
    """Give ``a``/``A`` right before a slot or a choice the right article for what follows."""
    out: list[Piece] = []
    for part in parts:
        if out and isinstance(part, str) and isinstance(out[-1], str):
            out[-1] += part
        elif (
            out
            and not isinstance(part, str)
            and isinstance(prev := out[-1], str)
            and (prev in ("a ", "A ") or prev.endswith((" a ", " A ", "(a ")))
        ):
            out[-1], art = prev[:-2], prev[-2]
            if isinstance(part, tuple):
                out.append(tuple(f"{art}n {o}" if _needs_an(o) else f"{art} {o}" for o in part))
            else:
                out.append(_with_article(art, part))
        else:
            out.append(part)
    return out


class Text:
    """Compiles templates into parts and fills them; entity slots are sticky per example."""

    def __init__(self, rng: random.Random, pools: dict[str, list[str]]) -> None:
        self.rnd = rng.random
        self.pools = pools
        self.ctx: dict[str, str] = {}
        rnd = self.rnd

        def pick(xs: list[str] | tuple[str, ...]) -> Callable[[], str]:
            n = len(xs)
            return lambda: xs[int(rnd() * n)]

        self.gen = tp.generated_slots(rnd)
        self.pick = pick

    def compile(self, template: str, lower: bool = False, variants: bool = True) -> list[Part]:
        """Turn ``"Take {drug} [daily|twice a day]"`` into literal strings and fill callables.

        Top-level literal text also gets automatic alternations from ``VARIANTS``.
        """
        if lower:
            template = _lower_start(template)
        parts: list[Piece] = []
        for tok in _TOKEN.split(template):
            if not tok:
                continue
            if tok[0] == "{":
                parts.append(self._slot(tok[1:-1]))
            elif tok[0] == "[":
                options = [self.compile(o, variants=False) for o in tok[1:-1].split("|")]
                if all(len(o) <= 1 and all(isinstance(x, str) for x in o) for o in options):
                    parts.append(tuple(str(o[0]) if o else "" for o in options))
                else:
                    parts.append(lambda opts=options: self.fill(opts[int(self.rnd() * len(opts))]))
            elif variants:
                for i, piece in enumerate(_VARIANT_RE.split(tok)):
                    if i % 2 == 0:
                        parts.append(piece)
                    else:
                        options = _VARIANTS[piece.lower()]
                        parts.append(options if piece[0].islower() else _capitalised(options))
            else:
                parts.append(tok)
        return self._expand(_articles(parts))

    def _expand(self, parts: list[Piece]) -> list[Part]:
        """Pre-join runs of literals and literal choices into one pick over all combinations,
        so filling a template makes a few calls instead of one per choice point."""
        out: list[Part] = []
        combos = [""]
        for part in [*parts, None]:
            if isinstance(part, str):
                combos = [c + part for c in combos]
            elif isinstance(part, tuple) and len(combos) * len(part) <= EXPAND_LIMIT:
                combos = [c + o for c in combos for o in part]
            else:
                if len(combos) > 1:
                    out.append(self.pick(tuple(combos)))
                elif combos[0]:
                    out.append(combos[0])
                combos = [""]
                if isinstance(part, tuple):
                    combos = list(part)
                elif part is not None:
                    out.append(part)
        return out

    def _slot(self, name: str) -> Callable[[], str]:
        if name in self.gen:
            return self.gen[name]
        if name == "org":
            return lambda: self.ctx["org"]
        base = name.rstrip("0123456789")
        pool, ctx, rnd = self.pools[base], self.ctx, self.rnd

        def sticky() -> str:
            value = ctx.get(name)
            if value is None:
                i = int(rnd() * len(pool))
                if name != base and pool[i] == ctx.get(base):
                    i = (i + 1) % len(pool)
                value = ctx[name] = pool[i]
            return value

        return sticky

    def fill(self, parts: list[Part]) -> str:
        return "".join([p if p.__class__ is str else p() for p in parts])  # type: ignore[misc]


class Domain:
    """One subject area: compiled questions, answer sentences, endings and organisations."""

    def __init__(self, rng: random.Random, spec: dict[str, Any]) -> None:
        pools = {**tp.SLOTS, **spec["pools"], "who": spec["who"]}
        self.t = t = Text(rng, pools)
        self.rnd, self.rng = rng.random, rng
        c = t.compile
        places, kinds = spec["org_parts"]
        orgs = [f"{p} {k}" for p in places for k in kinds]
        self.orgs = [(org, rng.choice(spec["system"]).replace("{org}", org)) for org in orgs]
        self.q_topics = [[(c(q), c(q, True)) for q in qs] for qs, _ in spec["topics"]]
        self.q_index, self.used, self.n_cores = 0, list[int](), 0
        self.a_topics = [[self._core(a) for a in answers] for _, answers in spec["topics"]]
        self.general = [self._core(a) for a in spec["general"] + tp.GENERIC_CORES]
        self.everything = [x for group in self.a_topics for x in group] + self.general
        self.leads = [c(x) for x in tp.GENERIC_LEADS]
        self.tails = [c(x) for x in tp.GENERIC_TAILS]
        self.openers = [c(x) for x in tp.GENERIC_OPENERS]
        self.closers = [c(x) for x in tp.GENERIC_CLOSERS]
        self.q_openers = tp.QUESTION_OPENERS
        self.q_context = [c(x) for x in spec["q_context"]]
        self.list_headers = spec["list_headers"]
        self.list_items = [c(x) for x in spec["list_items"]]
        self.teams, self.paths = spec["teams"], spec["url_paths"]
        self.paren = [c(x) for x in tp.PARENTHETICALS]
        self.pii_a = [c(x) for x in tp.PII_ANSWER_SENTENCES]
        self.pii_q = [c(x) for x in tp.PII_QUESTION_SENTENCES]

    def _core(self, template: str) -> tuple[list[Part], list[Part], int]:
        self.n_cores += 1
        return self.t.compile(template), self.t.compile(template, lower=True), self.n_cores

    def _choice(self, xs: list[Any]) -> Any:
        return xs[int(self.rnd() * len(xs))]

    def start(self) -> tuple[str, int]:
        """Begin a new example: reset sticky entities, pick an organisation and a topic."""
        self.t.ctx.clear()
        org, system = self._choice(self.orgs)
        self.t.ctx["org"] = org
        return system, int(self.rnd() * len(self.q_topics))

    def question(self, topic: int) -> str:
        rnd, fill = self.rnd, self.t.fill
        self.q_index = int(rnd() * len(self.q_topics[topic]))
        normal, lowered = self.q_topics[topic][self.q_index]
        if rnd() < 0.5:
            opener = self._choice(self.q_openers)
            lower = opener.endswith((",", ":", "—", "but"))
            q = opener + " " + fill(lowered if lower else normal)
        else:
            q = fill(normal)
        if rnd() < 0.6:
            q += " " + fill(self._choice(self.q_context))
        return q

    def shape(self) -> int:
        """Which sentence templates the last answer used (equal shapes = similar structure)."""
        return hash(tuple(sorted(self.used)))

    def sentence(self, core: tuple[list[Part], list[Part], int]) -> str:
        rnd, fill = self.rnd, self.t.fill
        s = fill(self._choice(self.leads)) + " " + fill(core[1]) if rnd() < 0.5 else fill(core[0])
        if rnd() < 0.45:
            s += fill(self._choice(self.tails))
        return s[0].upper() + s[1:] + "."

    def ending(self) -> str:
        """A legitimate ending without final punctuation: bullet list, attribution or URL."""
        kind, org = self.rnd(), self.t.ctx["org"]
        if kind < 0.45:
            items = self.rng.sample(self.list_items, 3 + int(self.rnd() * 3))
            return self._choice(self.list_headers) + "\n" + "\n".join("- " + self.t.fill(i) for i in items)
        if kind < 0.7:
            return f"\n— {self._choice(self.teams)}, {org}"
        host = "help." + re.sub(r"[^a-z]", "", org.lower()) + ".com"
        lead = self._choice(("More details:", "Full guide:", "See", "Details here:"))
        return f"{lead} https://{host}/{self._choice(self.paths)}"

    def answer(self, topic: int, prose_only: bool = False) -> str:
        """A clean answer: one to three sentences on the topic, then related domain sentences."""
        rnd, choice = self.rnd, self._choice
        target = MIN_CHARS + int(rnd() ** 0.65 * (MAX_CHARS - MIN_CHARS))
        tail = "" if prose_only or rnd() >= 0.11 else self.ending()
        out = [self.t.fill(choice(self.openers))] if rnd() < 0.12 else []
        topic_cores, on_topic, used = self.a_topics[topic], 1 + target // 600, self.used
        used.clear()
        size = len(tail) + sum(map(len, out))
        while size < target or len(used) < 2:
            core = choice(topic_cores if len(used) < on_topic else self.everything)
            if core[2] not in used:
                used.append(core[2])
                out.append(self.sentence(core))
                size += len(out[-1]) + 1
        if not tail and rnd() < 0.12:
            out.append(self.t.fill(choice(self.closers)))
        text = "".join(s + ("\n\n" if rnd() < 0.12 else " ") for s in out).rstrip()
        while len(text) + len(tail) + bool(tail) > MAX_CHARS and len(out) > 1:
            out.pop()
            text = " ".join(out)
        text = (text + ("\n" if tail.startswith("\n") else " ") + tail.lstrip("\n")) if tail else text
        return text if len(text) >= MIN_CHARS else self.answer(topic, prose_only)

    def truncate(self, text: str) -> str:
        """Cut a prose answer: mid-word, after a function word, inside parentheses, or with '...'."""
        rnd, lo, hi = self.rnd, max(70, int(len(text) * 0.35)), len(text) - 12
        mode = int(rnd() * 4)
        if mode == 0:
            words = [m for m in _WORD.finditer(text, lo, hi)]
            if words:
                m = self._choice(words)
                return text[: m.start() + 2 + int(rnd() * (m.end() - m.start() - 2))]
        elif mode == 1:
            ends = [
                m.end()
                for m in re.finditer(r"\b\w+\b", text)
                if lo <= m.end() <= hi and m.group().lower() in tp.CONJUNCTIONS
            ]
            if ends:
                return text[: self._choice(ends)]
        elif mode == 2:
            stops = [m.start() for m in re.finditer(r"\.(?= |$)", text) if m.start() >= lo - 20]
            at = self._choice(stops) if stops else len(text) - 1
            inner = self.t.fill(self._choice(self.paren)).split(" ")
            return text[:at] + " (" + " ".join(inner[: 2 + int(rnd() * (len(inner) - 2))])
        cut = text.rfind(" ", lo, max(lo + 1, int(lo + rnd() * (hi - lo))))
        return text[: cut if cut > 0 else hi].rstrip(" ,;:.") + ("..." if rnd() < 0.8 else "…")

    def add_pii(self, question: str, answer: str) -> tuple[str, str]:
        fill = self.t.fill
        if self.rnd() < 0.45:
            return question + " " + fill(self._choice(self.pii_q)), answer
        pii, stops = fill(self._choice(self.pii_a)), [m.end() for m in re.finditer(r"\. ", answer)]
        at = self._choice(stops) if stops else len(answer) + 1
        return question, (answer[:at] + pii + " " + answer[at:]).strip()

    def near_variant(self, question: str, answer: str) -> tuple[str, str]:
        """Case/whitespace/punctuation changes and 1–3 word edits of an existing example."""
        rnd = self.rnd
        q, a = question, answer
        while (q, a) == (question, answer):
            if rnd() < 0.65:
                a = self._edit_words(a, 1 + int(rnd() * 3))
            if rnd() < 0.35:
                q, a = self._choice(((q.lower(), a), (q, a.lower()), (q[0].lower() + q[1:], a)))
            if rnd() < 0.35:
                spaces = (a.replace(" ", "  ", 1 + int(rnd() * 4)), a + " ", "  " + a, a.replace("\n\n", "\n"))
                a = self._choice(spaces)
            if rnd() < 0.35:
                q = q[:-1] if q.endswith("?") else q + "?"
                a = a.replace(", ", " ", 1) if rnd() < 0.5 else (a[:-1] + "!" if a.endswith(".") else a)
        return q, a

    def _edit_words(self, text: str, edits: int) -> str:
        words = text.split(" ")
        for _ in range(edits):
            ok = [i for i in range(1, len(words) - 3) if words[i].isalpha()]
            if not ok:
                break
            i, op = self._choice(ok), self.rnd()
            synonym = tp.SYNONYMS.get(words[i].lower())
            if op < 0.4 and synonym:
                words[i] = synonym
            elif op < 0.7:
                words.insert(i, self._choice(tp.FILLER_WORDS))
            else:
                del words[i]
        return " ".join(words)


def chat(system: str, question: str, answer: str) -> bytes:
    """One JSONL line. Adding the newline also copies orjson's oversized buffer to an exact fit,
    which matters for the lines kept in memory (reservoir, write buffer)."""
    messages = [
        {"role": "system", "content": system},
        {"role": "user", "content": question},
        {"role": "assistant", "content": answer},
    ]
    return orjson.dumps({"messages": messages}) + b"\n"


def generate(n: int, out_dir: Path, seed: int = 0) -> dict[str, int]:
    """Write ``examples.jsonl`` and ``labels.parquet`` into ``out_dir``; return counts per label."""
    rng = random.Random(seed)
    rnd = rng.random
    domains = [Domain(rng, spec) for spec in tp.DOMAINS]
    cumulative = list(accumulate(MIX))
    labels, sources = array("b"), array("i")
    reservoir: list[tuple[int, int, str, str, str, bytes]] = []
    clean_seen, shapes, variants = 0, set[int](), set[bytes]()
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "examples.jsonl", "wb", buffering=1 << 22) as fh:
        buf: list[bytes] = []
        for line in range(1, n + 1):
            label = min(bisect_right(cumulative, rnd()), len(MIX) - 1)
            if label in (1, 2) and not reservoir:
                label = 0
            source = -1
            if label in (1, 2):
                source, d, system, q, a, raw = reservoir[int(rnd() * len(reservoir))]
                if label == 2:  # a fresh variant: two near duplicates never equal each other
                    while (raw := chat(system, *domains[d].near_variant(q, a))) in variants:
                        pass
                    variants.add(raw)
            else:
                d = int(rnd() * len(domains))
                dom = domains[d]
                system, topic = dom.start()
                q = dom.question(topic)
                if label == 3:
                    a = dom._choice(tp.SHORT_ANSWERS)
                elif label == 4:
                    a = "" if rnd() < 0.85 else dom._choice((" ", "\n", "  \t"))
                elif label == 5:
                    a = dom.truncate(dom.answer(topic, prose_only=True))
                elif label == 6:
                    q, a = dom.add_pii(q, dom.answer(topic, prose_only=True))
                else:  # clean: never reuse the exact template structure of an earlier clean row
                    a = dom.answer(topic)
                    while (shape := hash((d, dom.shape()))) in shapes:
                        q, a = dom.question(topic), dom.answer(topic)
                    shapes.add(shape)
                raw = chat(system, q, a)
                if label == 0:
                    clean_seen += 1
                    item = (line, d, system, q, a, raw)
                    if len(reservoir) < RESERVOIR:
                        reservoir.append(item)
                    elif (j := int(rnd() * clean_seen)) < RESERVOIR:
                        reservoir[j] = item
            labels.append(label)
            sources.append(source)
            buf.append(raw)
            if len(buf) >= 20_000:
                fh.write(b"".join(buf))
                buf.clear()
        fh.write(b"".join(buf))
    write_labels(out_dir / "labels.parquet", labels, sources)
    return {name: labels.count(i) for i, name in enumerate(LABELS)}


def write_labels(path: Path, labels: array, sources: array) -> None:
    codes = pa.array(labels, type=pa.int8())
    src = pa.array(sources, type=pa.int32())
    table = pa.table(
        {
            "line": pa.array(range(1, len(labels) + 1), type=pa.int32()),
            "label": pa.DictionaryArray.from_arrays(codes, pa.array(LABELS)).dictionary_decode(),
            "source_line": pc.if_else(pc.less(src, 0), pa.scalar(None, pa.int32()), src),
        }
    )
    pq.write_table(table, path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of examples")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = generate(args.n, args.out_dir, args.seed)
    size = (args.out_dir / "examples.jsonl").stat().st_size
    print(f"wrote {args.n:,} examples ({size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f}s")
    print("  ".join(f"{k}={v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()

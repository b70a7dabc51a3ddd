"""The labelled benchmark generator (benchmarks/generate.py) tells the truth about its rows."""

import importlib.util
import itertools
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import orjson
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
N = 2000
WORD = re.compile(r"\w+")
PII = re.compile(r"[\w.]+@[\w-]+\.\w+|\+?\(?\d[\d ()-]{8,}\d|\bGB\d\d[A-Z]{4}\d{14}\b")


def _load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@pytest.fixture(scope="module")
def bench(tmp_path_factory) -> tuple[list[list[dict]], pd.DataFrame, Path]:
    out = tmp_path_factory.mktemp("bench")
    gen.generate(N, out, seed=3)
    rows = [orjson.loads(line)["messages"] for line in (out / "examples.jsonl").read_bytes().splitlines()]
    return rows, pd.read_parquet(out / "labels.parquet"), out


def _text(messages: list[dict]) -> str:
    return messages[1]["content"] + " " + messages[2]["content"]


def _bigrams(text: str) -> set[tuple[str, str]]:
    words = WORD.findall(text.lower())
    return set(itertools.pairwise(words))


def test_every_line_is_a_chat_example(bench):
    rows, labels, _ = bench
    assert len(rows) == len(labels) == N
    for messages in rows:
        assert [m["role"] for m in messages] == ["system", "user", "assistant"]
        assert all(isinstance(m["content"], str) for m in messages)
        assert messages[0]["content"]
        assert messages[1]["content"]


def test_labels_table_shape_and_mix(bench):
    _, labels, _ = bench
    assert list(labels.columns) == ["line", "label", "source_line"]
    assert labels.line.tolist() == list(range(1, N + 1))
    counts = Counter(labels.label)
    assert set(counts) == set(gen.LABELS)
    for name, share in zip(gen.LABELS, gen.MIX, strict=True):
        sd = (N * share * (1 - share)) ** 0.5
        assert abs(counts[name] - N * share) <= 5 * sd + 2, (name, counts[name])
    copies = labels.label.isin(["duplicate", "near_duplicate"])
    assert labels.source_line[copies].notna().all()
    assert labels.source_line[~copies].isna().all()


def test_duplicates_copy_an_earlier_clean_row(bench):
    rows, labels, _ = bench
    by_line = labels.set_index("line")
    for line, source in labels.loc[labels.label == "duplicate", ["line", "source_line"]].itertuples(index=False):
        assert source < line
        assert by_line.label[source] == "clean"
        assert rows[line - 1] == rows[int(source) - 1]


def test_near_duplicates_differ_slightly_from_their_source(bench):
    rows, labels, _ = bench
    by_line = labels.set_index("line")
    near = labels.loc[labels.label == "near_duplicate", ["line", "source_line"]]
    for line, source in near.itertuples(index=False):
        mine, theirs = rows[line - 1], rows[int(source) - 1]
        assert source < line
        assert by_line.label[source] == "clean"
        assert mine != theirs
        assert mine[0] == theirs[0]
        a, b = set(WORD.findall(_text(mine).lower())), set(WORD.findall(_text(theirs).lower()))
        assert len(a & b) / len(a | b) >= 0.75, (line, source)
    variants = [orjson.dumps(rows[line - 1]) for line in near.line]
    assert len(set(variants)) == len(variants)


def test_defects_look_like_their_label(bench):
    rows, labels, _ = bench
    for messages, label in zip(rows, labels.label, strict=True):
        answer = messages[2]["content"]
        if label == "empty":
            assert answer.strip() == ""
        elif label == "too_short":
            assert 0 < len(answer.strip()) < 50
        elif label == "truncated":
            assert len(answer) >= 50
            assert answer.endswith(("...", "…")) or answer[-1].isalnum()
        elif label == "pii":
            assert PII.search(_text(messages)), answer
        elif label == "clean":
            assert gen.MIN_CHARS <= len(answer) <= gen.MAX_CHARS
            assert not PII.search(_text(messages)), answer


def test_clean_rows_are_distinct_and_sometimes_end_without_punctuation(bench):
    rows, labels, _ = bench
    clean = [rows[i] for i in labels.index[labels.label == "clean"]]
    normalised = {" ".join(WORD.findall(_text(m).lower())) for m in clean}
    assert len(normalised) == len(clean)  # not even case/punctuation variants of each other
    open_endings = sum(not m[2]["content"].rstrip().endswith((".", "!", "?")) for m in clean)
    assert 0.05 <= open_endings / len(clean) <= 0.16


def test_clean_rows_are_not_near_duplicates(bench):
    """Pairs sharing several rare word pairs are the only candidates; all stay far below 0.5."""
    rows, labels, _ = bench
    sets = [_bigrams(_text(rows[i])) for i in labels.index[labels.label == "clean"]]
    postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for bigram in s:
            postings[bigram].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for members in postings.values():
        if 1 < len(members) <= 25:
            shared.update(itertools.combinations(members, 2))
    worst = max((len(sets[i] & sets[j]) / len(sets[i] | sets[j]) for (i, j), k in shared.items() if k >= 3), default=0)
    assert worst < 0.4


def test_deterministic_for_a_seed(bench, tmp_path):
    _, _, out = bench
    gen.generate(N, tmp_path, seed=3)
    assert (tmp_path / "examples.jsonl").read_bytes() == (out / "examples.jsonl").read_bytes()
    assert pd.read_parquet(tmp_path / "labels.parquet").equals(pd.read_parquet(out / "labels.parquet"))

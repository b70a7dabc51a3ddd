import pytest

from ftflow.tasks.prepare.normalize import normalize_contents, normalize_texts


def test_html_entities_including_double_escaped_are_decoded():
    assert normalize_texts(["Tom &amp; Jerry&#39;s", "a&amp;nbsp;b", "5 &lt; 6"]) == [
        "Tom & Jerry's",
        "a b",
        "5 < 6",
    ]


def test_unicode_is_nfc():
    decomposed = "Cafe\u0301"
    assert normalize_texts([decomposed]) == ["Caf\u00e9"]


def test_control_and_invisible_characters_are_removed_but_newlines_kept():
    assert normalize_texts(["a\x00b\x07c\u200bd\ufeff\nnext"]) == ["abcd\nnext"]


def test_whitespace_is_tidied_without_breaking_lists_or_indentation():
    text = "  Steps:\r\n- one   two\t\t three  \r\n\r\n\r\n\r\n    indented  code\n\u00a0end\u00a0 "
    assert normalize_texts([text]) == ["Steps:\n- one two three\n\n    indented code\n end"]


def test_pii_is_redacted_by_default_and_only_counted_in_quarantine_mode():
    texts = ["Write to jane.doe@example.com today.", "No personal data here."]
    redacted = normalize_contents(texts, "redact")
    assert redacted.contents[0] == "Write to [EMAIL] today."
    assert redacted.pii_found.tolist() == [1, 0]
    assert redacted.pii_by_type == {"email": 1}
    flagged = normalize_contents(texts, "quarantine")
    assert flagged.contents[0] == texts[0]
    assert flagged.pii_found.tolist() == [1, 0]
    off = normalize_contents(texts, "off")
    assert off.pii_found.tolist() == [0, 0]
    assert off.contents[0] == texts[0]


def test_only_rows_a_step_may_change_are_processed_and_results_are_the_same():
    import random

    import pyarrow as pa

    from ftflow.tasks.prepare.normalize import _normalize_all, normalize_array

    rng = random.Random(1)
    alphabet = [chr(c) for c in range(128)] + ["\u00a0", "\u200b", "é", "e\u0301", "\u3000", "\u2028", "\x85",
                                               "&amp;", "&lt;", "&amp;nbsp;", "\r\n", "  ", "\t\t", "\n\n\n", "ﬁ"]  # fmt: skip
    texts = ["".join(rng.choice(alphabet if rng.random() < 0.3 else "ab c.\n") for _ in range(rng.randint(0, 12)))
             for _ in range(20_000)]  # fmt: skip
    arr = pa.array(texts, type=pa.large_string())
    assert normalize_array(arr).to_pylist() == _normalize_all(arr).to_pylist()


@pytest.mark.parametrize("pii_mode", ["redact", "quarantine", "off"])
@pytest.mark.parametrize("block", [100_000, 97])
def test_normalize_examples_in_parts_equals_normalize_contents(monkeypatch, pii_mode, block):
    """Forked parts, block by block, over a column of several chunks: the same texts and counts."""
    import pandas as pd
    import pyarrow as pa

    from ftflow.tasks.prepare import normalize, parallel
    from ftflow.tasks.prepare.ingest import Ingested
    from ftflow.tasks.prepare.normalize import normalize_examples
    from ftflow.tasks.prepare.textcol import text_series

    texts = [f"Mail me at user{i}@example.com &amp; call +44 20 7946 0{i % 1000:03d}" if i % 7 == 0
             else f"Plain  text {i}\u00a0here\r\n" if i % 3 else f"Clean text {i}." for i in range(3000)]  # fmt: skip
    chunks = [pa.array(texts[lo : lo + 700], pa.large_string()) for lo in range(0, len(texts), 700)]
    messages = pd.DataFrame({"ex": range(len(texts)), "content": text_series(chunks)})
    ing = Ingested(files=[], examples=pd.DataFrame(), messages=messages)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_ITEMS", 10)
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    monkeypatch.setattr(normalize, "BLOCK", block)
    norm = normalize_examples(ing, pii_mode)
    ref = normalize_contents(texts, pii_mode)
    assert ing.messages["content"].tolist() == ref.contents
    assert norm.pii_found.tolist() == ref.pii_found.tolist()
    assert norm.pii_by_type == ref.pii_by_type


def test_replace_in_chunks_keeps_unchanged_chunks_and_order():
    import numpy as np
    import pyarrow as pa

    from ftflow.tasks.prepare.textcol import replace_in_chunks

    arr = pa.chunked_array([pa.array(["a", "b"], pa.large_string()), pa.array(["c"], pa.large_string()),
                            pa.array(["d", "e", "f"], pa.large_string())])  # fmt: skip
    out = replace_in_chunks(arr, np.array([1, 3, 5]), pa.array(["B", "D", "F"], pa.large_string()))
    assert out.to_pylist() == ["a", "B", "c", "D", "e", "F"]
    assert out.chunk(1).buffers()[2].address == arr.chunk(1).buffers()[2].address  # not copied
    assert replace_in_chunks(arr, np.array([], dtype=np.int64), pa.array([], pa.large_string())).to_pylist() == list(
        "abcdef"
    )

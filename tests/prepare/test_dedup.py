import random

import numpy as np

from ftflow.tasks.prepare.checks.dedup import exact_duplicates, find_duplicates, jaccard

BASE = [
    "How do I reset my patient portal password? Use the Forgot password link on the sign-in page and follow the emailed instructions within one hour.",
    "Where can I park during my appointment? The multi-storey car park on Elm Street is open around the clock and costs four pounds per day for patients.",
    "Can I get a copy of my medical records? Submit a subject access request form to the records office and allow up to thirty days for a response.",
    "What are the visiting hours on the maternity ward? Partners may visit at any time, other visitors between two and eight in the afternoon and evening.",
]


def test_exact_duplicates_point_to_first_occurrence():
    assert exact_duplicates(["a", "b", "a", None, "b", "a"]).tolist() == [-1, -1, 0, -1, 1, 0]


def test_case_whitespace_and_punctuation_variants_are_near_duplicates():
    variant = BASE[0].upper().replace(" ", "   ").replace("?", "").replace(".", "!")
    result = find_duplicates([*BASE, variant], [*BASE, variant])
    assert result.near_duplicate_of.tolist() == [-1, -1, -1, -1, 0]
    assert result.similarity[4] == 1.0
    assert result.group.tolist() == [0, 1, 2, 3, 0]


def test_small_word_edits_are_near_duplicates_but_different_texts_are_not():
    edited = BASE[1].replace("four", "five").replace("per day", "per whole day")
    result = find_duplicates([*BASE, edited], [*BASE, edited], threshold=0.7)
    assert result.near_duplicate_of[4] == 1
    assert 0.7 <= result.similarity[4] < 1.0
    assert (result.near_duplicate_of[:4] == -1).all()


def test_exact_duplicates_are_not_also_reported_as_near_duplicates():
    result = find_duplicates([BASE[0], BASE[0]], [BASE[0], BASE[0]])
    assert result.duplicate_of.tolist() == [-1, 0]
    assert result.near_duplicate_of.tolist() == [-1, -1]


def test_threshold_is_respected_and_none_rows_are_skipped():
    a = "one two three four five six seven eight nine ten"
    b = "one two three four five six seven eight nine eleven"
    assert jaccard(a, b) == 8 / 10
    assert find_duplicates([a, b], [a, b], threshold=0.85).near_duplicate_of.tolist() == [-1, -1]
    assert find_duplicates([a, b], [a, b], threshold=0.75).near_duplicate_of.tolist() == [-1, 0]
    assert find_duplicates([None, None, a], [None, None, a]).duplicate_of.tolist() == [-1, -1, -1]


def test_recall_and_precision_on_random_corpus():
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(2000)]
    texts = [" ".join(rng.choice(vocab) for _ in range(rng.randint(30, 80))) for _ in range(3000)]
    truth = {}
    for k in range(100, 3000, 20):
        src = rng.randrange(k)
        words = texts[src].split()
        for _ in range(rng.randint(1, 3)):
            words[rng.randrange(len(words))] = rng.choice(vocab)
        texts[k] = " ".join(words).upper()
        truth[k] = src
    result = find_duplicates(texts, texts, threshold=0.7)
    found = {i: int(j) for i, j in enumerate(result.near_duplicate_of) if j >= 0}
    hits = sum(1 for i, j in found.items() if truth.get(i) == j or result.group[i] == result.group[truth.get(i, i)])
    assert hits / len(truth) >= 0.9
    assert all(i in truth for i in found)  # verified by exact Jaccard: no false positives
    assert np.all(result.similarity[list(found)] >= 0.7)


def test_exact_duplicates_from_hashes_equal_exact_duplicates_even_on_a_collision():
    import pyarrow as pa

    from ftflow.tasks.prepare.checks.dedup import exact_duplicates_by_digest

    # Examples of one or two messages; role 1 = user, 2 = assistant.
    msgs = [["a", "b"], ["c"], ["a", "b"], ["a", "b"], ["c"], ["d"], ["a", "x"]]
    roles = [[1, 2], [2], [1, 2], [1, 2], [2], [2], [1, 2]]
    valid = np.array([True, True, True, False, True, True, True])
    contents = pa.chunked_array([pa.array([t for m in msgs for t in m], type=pa.large_string())])
    role = np.array([r for rs in roles for r in rs], dtype=np.int8)
    offsets = np.cumsum([0, *map(len, msgs)])
    keys = ["\x1e".join(f"{'su'[r - 1] if r < 2 else 'a'}\x1f{t}" for r, t in zip(rs, m, strict=True)) if ok else None
            for rs, m, ok in zip(roles, msgs, valid, strict=True)]  # fmt: skip
    expected = exact_duplicates(keys).tolist()
    honest = np.array([hash(k) % 2**63 if k else 0 for k in keys], dtype=np.uint64)
    assert exact_duplicates_by_digest(honest, valid, contents, role, offsets, keys).tolist() == expected
    colliding = np.zeros(len(keys), dtype=np.uint64)  # every key hashes alike
    assert exact_duplicates_by_digest(colliding, valid, contents, role, offsets, keys).tolist() == expected


def test_sketch_of_an_arrow_array_equals_sketch_of_a_list():
    import pyarrow as pa

    from ftflow.tasks.prepare.checks.dedup import minhash_params, sketch

    texts = [*BASE, BASE[0].upper(), "", "one"]
    a_keys, a_sig = sketch(texts, minhash_params(3))
    b_keys, b_sig = sketch(pa.array(texts, type=pa.large_string()), minhash_params(3))
    assert (a_keys == b_keys).all()
    assert (a_sig == b_sig).all()


def test_example_texts_built_one_by_one_or_many_at_once_agree():
    import pyarrow as pa

    from ftflow.tasks.prepare.feature_parts import ExampleTexts

    contents = pa.chunked_array(
        [pa.array(["sys", "q1", "a1", "q2"], pa.large_string()), pa.array(["a2"], pa.large_string())]
    )
    role = np.array([0, 1, 2, 1, 2], dtype=np.int8)
    offsets = np.array([0, 3, 5])
    for kind in ("key", "near"):
        texts = ExampleTexts(contents, role, offsets, np.array([True, True]), kind)
        assert texts.many(np.array([0, 1])) == {0: texts[0], 1: texts[1]}
    assert ExampleTexts(contents, role, offsets, np.array([True, True]), "near")[0] == "q1\na1"
    assert ExampleTexts(contents, role, offsets, np.array([False, True]), "key").many(np.array([0]))[0] is None


def test_verify_pairs_matches_pairwise_jaccard_and_reads_each_text_once():
    """Bigram sets are dropped after their last pair; results equal the plain pairwise check."""
    import random
    from collections import Counter

    import numpy as np

    from ftflow.tasks.prepare.checks.dedup import _last_use, jaccard, verify_pairs

    rng = random.Random(5)
    words = ["the", "a", "dose", "of", "tablet", "twice", "daily", "with", "food", "water", "before", "after", "night"]
    bases = [[rng.choice(words) for _ in range(rng.randint(6, 12))] for _ in range(20)]
    texts = [" ".join([*b[:k], rng.choice(words), *b[k + 1 :]]) for b in bases for k in (0, 3, 5)]  # variants
    pairs = sorted({(i, j) for i in range(60) for j in range(i) if i // 3 == j // 3 or rng.random() < 0.2})
    later = np.array([p[0] for p in pairs])
    earlier = np.array([p[1] for p in pairs])
    reads: Counter[int] = Counter()

    def text_of(row: int) -> str:
        reads[row] += 1
        return texts[row]

    found = verify_pairs(later, earlier, text_of, 0.5)
    expected: dict[int, tuple[int, float]] = {}
    for i, j in pairs:
        if i not in expected and jaccard(texts[i], texts[j]) >= 0.5:
            expected[i] = (j, jaccard(texts[i], texts[j]))
    assert found == expected
    assert found
    assert set(reads.values()) == {1}
    assert _last_use(np.array([2, 2, 5]), np.array([0, 1, 0])) == {0: 2, 1: 1, 2: 1, 5: 2}


def test_canonical_words_split_at_every_unicode_whitespace_like_arrow_utf8():
    """The cheaper ASCII split after the replacement gives the words of Arrow's Unicode split."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ftflow.tasks.prepare.checks.dedup import canonical_words

    texts = [f"Alpha{chr(c)}beta, gamma!" for c in range(0x3100) if not 0xD800 <= c <= 0xDFFF]
    texts += ["", "  ", "one", " Trailing  \n  ", "x\u2028y\u3000z"]
    flat, offsets = canonical_words(texts)
    ours = [flat[offsets[i] : offsets[i + 1]].to_pylist() for i in range(len(texts))]
    unicode_split = pc.utf8_split_whitespace(
        pc.replace_substring_regex(pc.utf8_lower(pa.array(texts, pa.large_string())), r"[\p{P}\p{S}]+", " ")
    ).to_pylist()
    assert ours == [[w for w in words if w] or [""] for words in unicode_split]

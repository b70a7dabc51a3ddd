import hashlib

import pytest

from ftflow import tokens
from ftflow.config import Pricing
from ftflow.errors import ConfigError


@pytest.mark.parametrize(
    ("model", "encoding", "limit"),
    [
        ("gpt-4o-mini-2024-07-18", "o200k_base", 65_536),
        ("gpt-4o-2024-08-06", "o200k_base", 65_536),
        ("gpt-4.1-nano-2025-04-14", "o200k_base", 65_536),
        ("gpt-3.5-turbo-0125", "cl100k_base", 16_385),
        ("gpt-4-0613", "cl100k_base", 8_192),
        ("ft:gpt-4o-mini-2024-07-18:acme:support:abc123", "o200k_base", 65_536),
    ],
)
def test_model_encoding_and_limit(model, encoding, limit):
    assert tokens.encoding_name_for(model) == encoding
    assert tokens.example_token_limit(model) == limit


def test_unknown_model_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown model 'llama-3'"):
        tokens.encoding_name_for("llama-3")


def test_counts_are_exact_for_both_encodings():
    # Reference ids from tiktoken's own documentation and test suite.
    assert tokens.get_encoding("gpt-4o").encode("hello world") == [24912, 2375]
    assert tokens.get_encoding("gpt-3.5-turbo").encode("hello world") == [15339, 1917]
    counts = tokens.count_tokens(["hello world", "", "tiktoken is great!"], "gpt-4o-mini")
    assert counts.tolist() == [
        2,
        0,
        len(tokens.get_encoding("gpt-4o").encode("tiktoken is great!")),
    ]


def test_encodings_load_offline_from_seeded_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    tokens._seed_cache("cl100k_base")
    (seeded,) = list(tmp_path.iterdir())
    # tiktoken's expected_hash for cl100k_base: the seeded file is byte for byte the official one.
    assert hashlib.sha256(seeded.read_bytes()).hexdigest() == (
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
    )
    import tiktoken.load

    def no_network(*args, **kwargs):
        raise AssertionError("tried to download")

    monkeypatch.setattr(tiktoken.load, "read_file", no_network)
    data = tiktoken.load.read_file_cached(tokens._ENCODING_URLS["cl100k_base"], None)
    assert data == seeded.read_bytes()


@pytest.mark.parametrize(
    ("n_train", "epochs"),
    [
        (10, 10),
        (20, 5),
        (30, 3),
        (33, 3),
        (34, 3),
        (1000, 3),
        (8333, 3),
        (8334, 2),
        (12_501, 1),
        (40_000, 1),
        (3, 25),
    ],
)
def test_auto_epochs_follows_openai_heuristic(n_train, epochs):
    assert tokens.auto_epochs(n_train) == epochs


def test_cost_estimate_caps_examples_at_the_limit_and_multiplies_epochs():
    pricing = Pricing(training_per_1m_tokens={"gpt-4o-mini-2024-07-18": 3.0})
    est = tokens.estimate_cost([1000] * 99 + [100_000], "gpt-4o-mini-2024-07-18", "auto", pricing)
    assert est.billed_tokens_per_epoch == 99 * 1000 + 65_536
    assert est.epochs == 3
    assert est.billed_tokens == 3 * (99_000 + 65_536)
    assert est.usd == round(3 * (99_000 + 65_536) / 1e6 * 3.0, 4)


def test_price_falls_back_to_family_alias_and_unknown_price_is_none():
    pricing = Pricing()
    assert tokens.price_per_1m("gpt-4o-mini", pricing) == 3.0
    assert tokens.estimate_cost([100] * 20, "gpt-4-0613", 2, pricing).usd is None


def test_token_stats():
    stats = tokens.token_stats([10, 20, 30])
    assert stats == {
        "examples": 3,
        "total": 60,
        "min": 10,
        "mean": 20.0,
        "p50": 20,
        "p95": 29,
        "max": 30,
    }
    assert tokens.token_stats([]) == {"examples": 0, "total": 0}


@pytest.mark.parametrize("model", ["gpt-4o-mini", "gpt-3.5-turbo"])
def test_word_by_word_counts_equal_whole_text_counts(model):
    import random

    import pyarrow as pa

    rng = random.Random(7)
    # Words, punctuation, numbers, contractions, every kind of whitespace (also before spaces).
    pieces = [*"ab cdé.,;:!?'\"()-/\n\t ", "  ", " \n", "\n ", "'s", "'ll", "123", "4567", "\u00a0", "\u3000",
              "\u2028", "😀", "’", " 's", "\r\n", "\u0301", "Ω", "Hello", " world", "don't", "```py"]  # fmt: skip
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(20_000)]
    texts += ["", " ", "a", " a", "a ", "one two  three", "x. Y", "end.\n"] * 3
    # And texts only split word by word: single spaces after non-space characters.
    words = [p for p in pieces if p.strip() and not any(c.isspace() for c in p)]
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 20))) for _ in range(20_000)]
    counts = tokens.count_tokens_arrow(pa.array(texts, type=pa.large_string()), model)
    assert counts.tolist() == tokens.count_tokens(texts, model, num_threads=1).tolist()

import numpy as np
import orjson
import pytest
from pydantic import ValidationError

from ftflow.config import PrepareConfig, SplitConfig
from ftflow.tasks.prepare import split


def keys(n):
    return [f"user\x1fquestion {i}\x1eassistant\x1fanswer {i}" for i in range(n)]


def test_split_is_deterministic_and_close_to_ratios():
    cfg = SplitConfig(train=0.8, validation=0.1, test=0.1, seed=7)
    a = split.assign_splits(keys(20_000), cfg)
    assert (a == split.assign_splits(keys(20_000), cfg)).all()
    shares = np.bincount(a, minlength=3) / len(a)
    assert shares == pytest.approx([0.8, 0.1, 0.1], abs=0.01)


def test_an_example_keeps_its_split_when_data_grows_and_seed_changes_it():
    cfg = SplitConfig(seed=1)
    small, big = split.assign_splits(keys(1000), cfg), split.assign_splits(keys(5000), cfg)
    assert (small == big[:1000]).all()
    other = split.assign_splits(keys(1000), SplitConfig(seed=2))
    assert (small != other).any()


def test_ratios_must_sum_to_one():
    with pytest.raises(ValidationError, match="add up to 1"):
        SplitConfig(train=0.8, validation=0.3, test=0.1)


def test_frozen_test_pins_previous_test_examples_and_their_near_duplicates(tmp_path):
    previous = [
        [
            ("user", "How do I book a flu jab at the clinic?"),
            (
                "assistant",
                "Call the clinic desk on weekdays between nine and five to book a flu jab appointment.",
            ),
        ],
    ]
    (tmp_path / "test.jsonl").write_bytes(
        b"".join(orjson.dumps({"messages": [{"role": r, "content": c} for r, c in m]}) + b"\n" for m in previous)
    )
    cfg = PrepareConfig(split=SplitConfig(train=1.0, validation=0.0, test=0.0, frozen_test=str(tmp_path)))
    same = split.conversation_key(previous[0])
    near = "How do I book a flu jab at the clinic?\nCall the clinic desk on weekdays between nine and six to book a flu jab appointment."
    other = "Where is the pharmacy?\nThe pharmacy is on the ground floor next to the main entrance and is open daily."
    kept = np.arange(3)
    by_split, pinned = split.split_examples(
        kept,
        [same, "k-near", "k-other"],
        [previous[0][0][1] + "\n" + previous[0][1][1], near, other],
        cfg,
    )
    assert pinned == 2
    assert by_split["test"].tolist() == [0, 1]
    assert by_split["train"].tolist() == [2]

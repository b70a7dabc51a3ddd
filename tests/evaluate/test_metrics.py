"""Answer metrics, the paired bootstrap, the judge's verdicts and the rate limiter."""

import math

import numpy as np
import pytest

from ftflow.ratelimit import RateLimiter
from ftflow.tasks.evaluate import judge
from ftflow.tasks.evaluate.metrics import (
    compare,
    exact_match,
    is_refusal,
    item_metrics,
    length_adherence,
    paired_bootstrap,
    rouge_l,
    rouge_tokens,
    squad_tokens,
    token_f1,
)

# --- exact match and token F1 (SQuAD) ---------------------------------------------------------


def test_squad_normalisation_drops_case_punctuation_articles_and_extra_space():
    assert squad_tokens("  The Answer, is: an Apple!  ") == ["answer", "is", "apple"]
    assert squad_tokens("L'été — «déjà»") == ["l", "été", "déjà"]  # Unicode punctuation too


def test_exact_match():
    assert exact_match("The answer.", "answer") == 1.0
    assert exact_match("an answer", "the answer") == 1.0
    assert exact_match("answers", "answer") == 0.0


def test_token_f1_known_value():
    # pred tokens: cat sat on mat; gold: cat on mat -> common 3, P 3/4, R 1
    assert token_f1("the cat sat on the mat", "a cat on a mat") == pytest.approx(2 * 0.75 / 1.75)
    assert token_f1("cat cat cat", "cat") == pytest.approx(2 * (1 / 3) * 1 / (1 / 3 + 1))  # counts are clipped
    assert token_f1("dog", "cat") == 0.0


def test_token_f1_empty_sides():
    assert token_f1("", "") == 1.0
    assert token_f1("the", "a") == 1.0  # both empty after normalisation
    assert token_f1("", "cat") == 0.0
    assert token_f1("cat", "") == 0.0


# --- ROUGE-L ---------------------------------------------------------------------------------
# The implementation was checked against rouge-score 0.1.2's rougeL F-measure on 2,000 random
# answer pairs from the benchmark data (all equal to 1e-12); these are the textbook cases.


def test_rouge_l_textbook_examples():
    ref = "police killed the gunman"
    assert rouge_l("police kill the gunman", ref) == pytest.approx(0.75)  # LCS police, the, gunman
    assert rouge_l("the gunman kill police", ref) == pytest.approx(0.5)  # LCS the, gunman
    assert rouge_l(ref, ref) == 1.0


def test_rouge_l_precision_and_recall_differ():
    # LCS 2 of a 2-token answer vs a 4-token reference: P 1, R 0.5
    assert rouge_l("police gunman", "police killed the gunman") == pytest.approx(2 * 1 * 0.5 / 1.5)


def test_rouge_l_tokens_and_empty():
    assert rouge_tokens("Hello, World! it's 9:30_am") == ["hello", "world", "it", "s", "9", "30", "am"]
    assert rouge_l("Überweisung möglich", "überweisung möglich") == 1.0  # rouge-score would drop these words
    assert rouge_l("", "anything") == 0.0
    assert rouge_l("...", "") == 0.0


# --- length and refusals ------------------------------------------------------------------------


def test_length_adherence_penalises_only_long_answers():
    assert length_adherence(10, 100) == 1.0  # shorter costs less: never penalised
    assert length_adherence(125, 100, tolerance=1.25) == 1.0
    assert length_adherence(250, 100, tolerance=1.25) == pytest.approx(0.5)
    assert length_adherence(5, 0) == pytest.approx(0.25)  # an empty reference allows one token's worth


@pytest.mark.parametrize(
    "text",
    [
        "I'm sorry, but I can't help with that.",
        "I’m sorry, I cannot share account details.",
        "I cannot assist with that request.",
        "Sorry, but I won't do that.",
        "As an AI language model, I cannot give legal advice.",
        "Unfortunately, I am unable to provide that information.",
    ],
)
def test_refusals_are_recognised(text):
    assert is_refusal(text)


@pytest.mark.parametrize(
    "text",
    [
        "Sorry for the wait! To reset your password, open Settings > Security.",
        "I can help with that: open the billing page and choose Download.",
        "You cannot transfer a licence, but an admin can reassign seats.",
        "Thanks for your question. In general, the right answer depends on your specific situation.",
        "",
    ],
)
def test_answers_are_not_refusals(text):
    assert not is_refusal(text)


def test_api_refusal_field_counts():
    assert is_refusal("", api_refusal="I can't help with that.")


def test_item_metrics_has_every_metric():
    scores = item_metrics("The cat sat.", "the cat sat", answer_tokens=4, reference_tokens=4)
    assert scores == {"exact_match": 1.0, "token_f1": 1.0, "rouge_l": 1.0, "length_adherence": 1.0, "refusal": 0.0}


# --- paired bootstrap ---------------------------------------------------------------------------


def test_bootstrap_of_a_constant_difference_is_that_constant():
    low, high = paired_bootstrap(np.full(50, 0.2))
    assert low[0] == pytest.approx(0.2)
    assert high[0] == pytest.approx(0.2)


def test_bootstrap_is_seeded_and_shares_resamples_across_metrics():
    rng = np.random.default_rng(1)
    a, b = rng.normal(0.1, 1, 300), rng.normal(-0.2, 0.5, 300)
    both = paired_bootstrap(np.column_stack([a, b]), resamples=1500, seed=7)
    alone = paired_bootstrap(a, resamples=1500, seed=7)
    again = paired_bootstrap(np.column_stack([a, b]), resamples=1500, seed=7)
    assert both[0][0] == pytest.approx(alone[0][0], abs=1e-12)  # same resamples, BLAS rounding aside
    assert both[1][0] == pytest.approx(alone[1][0], abs=1e-12)
    np.testing.assert_array_equal(both[0], again[0])
    other = paired_bootstrap(a, resamples=1500, seed=8)
    assert other[0][0] != alone[0][0]


def test_bootstrap_interval_matches_the_normal_approximation():
    rng = np.random.default_rng(3)
    d = rng.normal(0.05, 0.4, 2000)
    low, high = paired_bootstrap(d, resamples=4000, seed=0)
    se = d.std(ddof=1) / math.sqrt(len(d))
    assert low[0] < d.mean() < high[0]
    assert (high[0] - low[0]) == pytest.approx(2 * 1.96 * se, rel=0.1)


def test_bootstrap_chunks_large_inputs_without_changing_the_shape():
    low, high = paired_bootstrap(np.random.default_rng(0).normal(size=(5000, 3)), resamples=1000)
    assert low.shape == high.shape == (3,)
    assert (low < high).all()


def test_bootstrap_of_nothing_is_nan():
    low, high = paired_bootstrap(np.empty((0, 2)))
    assert np.isnan(low).all()
    assert np.isnan(high).all()


def test_compare_pairs_items_and_leaves_out_missing_answers():
    cand = {"token_f1": np.array([0.5, 0.6, np.nan, 0.9]), "refusal": np.array([0.0, 0.0, 0.0, 1.0])}
    ref = {"token_f1": np.array([0.4, 0.4, 0.1, 0.5]), "refusal": np.array([0.0, 1.0, 1.0, 0.0])}
    out = compare(cand, ref, resamples=1000)
    f1 = out["token_f1"]
    assert f1.n == 3  # the item without a candidate answer is left out of every metric
    assert f1.candidate == pytest.approx((0.5 + 0.6 + 0.9) / 3)
    assert f1.diff == pytest.approx(f1.candidate - f1.reference)
    assert f1.ci_low <= f1.diff <= f1.ci_high
    refusal = out["refusal"]
    assert refusal.n == 3
    assert not refusal.higher_is_better
    assert refusal.diff == pytest.approx(0.0)  # 1/3 vs 1/3
    assert refusal.improvement == (-refusal.diff, -refusal.ci_high, -refusal.ci_low)


def test_paired_differences_are_tighter_than_unpaired_ones():
    """Item difficulty varies a lot; the paired interval sees only the per-item difference."""
    rng = np.random.default_rng(5)
    difficulty = rng.uniform(0, 1, 400)
    ref = difficulty
    cand = np.clip(difficulty + 0.03 + rng.normal(0, 0.02, 400), 0, 1)
    d = compare({"token_f1": cand}, {"token_f1": ref})["token_f1"]
    assert d.ci_low > 0  # a small but consistent gain is detected


# --- judge verdicts --------------------------------------------------------------------------------


def test_parse_verdict_takes_the_last_marker():
    assert judge.parse_verdict("A is wordy. [[B]]") == "B"
    assert judge.parse_verdict("Maybe [[A]]... on reflection [[C]]") == "tie"
    assert judge.parse_verdict("[[ A ]]") == "A"
    assert judge.parse_verdict("Answer A is better.") == "invalid"
    assert judge.parse_verdict(None) == "invalid"


def test_candidate_score_over_both_orders_cancels_position_bias():
    # candidate is A in the first order, B in the second
    assert judge.candidate_score("A", "B") == 1.0
    assert judge.candidate_score("B", "A") == 0.0
    assert judge.candidate_score("A", "A") == 0.5  # the judge always picked the first position
    assert judge.candidate_score("tie", "B") == 0.75
    assert judge.candidate_score("invalid", "invalid") == 0.5


def test_judge_prompt_shows_both_answers_and_the_reference():
    msgs = judge.judge_messages(
        [{"role": "system", "content": "S"}, {"role": "user", "content": "Q?"}], "REF", "X", "Y"
    )
    assert msgs[0]["role"] == "system"
    text = msgs[1]["content"]
    assert "user: Q?" in text
    assert "REF" in text
    assert "[Answer A]\nX" in text
    assert "[Answer B]\nY" in text
    assert "S" not in text.split("[Reference answer]")[0].replace("user: Q?", "")


# --- rate limiter ---------------------------------------------------------------------------------


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_limiter_paces_requests_at_the_rpm_after_a_one_second_burst():
    clock = FakeClock()
    limiter = RateLimiter(600, 10**9, clock=clock, sleep=clock.sleep)
    for _ in range(110):
        limiter.acquire()
    # 10 from the full bucket, then 100 at 10 per second
    assert clock.now == pytest.approx(10.0, abs=0.01)


def test_limiter_paces_tokens_and_settle_gives_back_the_overestimate():
    clock = FakeClock()
    limiter = RateLimiter(10**6, 60_000, clock=clock, sleep=clock.sleep)  # 1,000 tokens per second
    limiter.acquire(1000)
    limiter.acquire(1000)
    assert clock.now == pytest.approx(1.0, abs=0.01)
    limiter.settle(estimated=1000, actual=200)  # 800 back
    start = clock.now
    limiter.acquire(800)
    assert clock.now - start == pytest.approx(0.0, abs=0.01)


def test_limiter_lets_an_oversized_request_through_then_waits_out_the_debt():
    clock = FakeClock()
    limiter = RateLimiter(10**6, 60_000, clock=clock, sleep=clock.sleep)
    limiter.acquire(5000)  # more than the 1,000-token bucket: allowed, leaves a 4,000 debt
    assert clock.now == pytest.approx(0.0, abs=0.01)
    limiter.acquire(1000)
    assert clock.now == pytest.approx(5.0, abs=0.01)


def test_limiter_rejects_non_positive_limits():
    with pytest.raises(ValueError, match="must be positive"):
        RateLimiter(0, 100)

"""Truncation gate: real cut-offs are caught, finished answers without a final period are not."""

from __future__ import annotations

import itertools
import time

import pytest

from ftflow.tasks.prepare.checks.truncation import (
    DEFAULT_TOKEN_LIMITS,
    TRUNCATION_SIGNALS,
    Vocabulary,
    detect_truncation,
    truncation_signal,
)
from ftflow.tasks.prepare.checks.vocabulary import _base_words

# A small medical / support Q&A corpus the way the pipeline sees it: mostly finished answers.
CORPUS = [
    "Statin therapy lowers LDL cholesterol and reduces the risk of heart attack.",
    "Take metformin with meals to reduce stomach upset.",
    "Your pharmacist can check for interactions with other medicines.",
    "Drink plenty of water and rest until the fever goes down.",
    "Call your doctor if the rash spreads or you develop a fever.",
]

CUT: dict[str, list[str]] = {
    "mid_word": [
        "If the rash spreads, please contact your pharm",
        "Metformin lowers blood sugar by reducing glucose produc",
        "Most patients tolerate it well, although some report dizz",
        "I recommend booking a follow-up with a well-kno",
    ],
    "dangling_word": [
        "Store the tablets in a cool, dry place and",
        "Take one tablet twice a day with the",
        "If the pain gets worse, you may need to",
        "Ibuprofen can irritate the stomach lining because of",
        "The maximum daily dose of acetaminophen for adults is",
        "- Avoid alcohol\n- Get enough sleep\n- Talk to your",
        "The notice period you must give depends on",
        "Interpreters are available free of charge in",
        "Unless we have told you otherwise, updates arrive by",
        "We updated this process in March to reduce waiting times.\n\nIn",
        "Refunds take five days. Our",
        "Good to know: The",
    ],
    "unbalanced_bracket": [
        "Take it with food (ideally a full meal",
        "See the [dosage guide](https://example.com/dosage-gui",
        'The API returns {"status": "ok", "items": [1, 2',
        "Options: 1) rest 2) fluids (at least two litres",
    ],
    "unbalanced_quote": [
        'The label clearly says "do not exceed four grams in',
        "Many patients describe it as “a complete game changer for",
        "Les patients l'appellent «un vrai",
    ],
    "open_code_fence": [
        "Install it with:\n\n```bash\npip install requests\npython -m",
        "```python\ndef add(a, b):\n    return a + b\n",
        "Here is the config:\n```yaml\nname: demo\n# see the docs.",
    ],
    "trailing_ellipsis": [
        "There are several ways to approach this...",
        "The main causes are stress, poor sleep, and…",
    ],
    "trailing_separator": [
        "Here are the steps you should follow:",
        "You will need flour, sugar, eggs,",
        "Preheat the oven to 180°C;",
        "The recommended age range is 5-",
        "The key difference is this —",
        "**Step 2:**",
    ],
}

# Finished answers that do not end on terminal punctuation. None of these may be flagged.
GOOD = [
    "Key benefits:\n- Lower blood pressure\n- Better sleep\n- More energy",
    "Try these:\n1. Rest\n2. Fluids\n3. Sleep",
    "What you can take for a headache:\n\n- Paracetamol\n- Ibuprofen",
    "- Vitamin D",
    "An apple a day keeps the doctor away\n\n— Mayo Clinic",
    "For more information, contact the NHS",
    "You can read more at https://www.nhs.uk/conditions/type-2-diabetes",
    "Write to us at support@example.com",
    "Call the helpline at +1 (800) 555-0199",
    "Use this snippet:\n\n```python\nprint('hello')\n```",
    "Run `pip install ftflow` and then `ftflow --help`",
    "Dose: 5 mg",
    "Hope you feel better soon 😊",
    "| Drug | Dose |\n|------|------|\n| Aspirin | 81 mg |",
    'Many people describe the new treatment as "life changing"',
    "Glad I could help :)",
    "Sorry to hear that :(",
    "Remember: 1) rest 2) fluids 3) sleep",
    'The screen is 15.6"',
    "That is exactly what the booster shot is for",
    "Your current version is 2.0.1",
    "Ask your doctor whether a statin is right for you",
    "Consultez votre médecin si les symptômes persistent",
    "请咨询您的医生",
    "Thanks for reaching out, and take care",
    "Everything went well (no side effects so far)",
    "Schedule a check-up every six months",
    "---",
    "Make sure you are signed in",
    "Try these:\n- Clear the cache\n- Sign out and back in",
    "Turn the router off, wait ten seconds and switch it back on",
    "If the app asks for a code, the helpline can talk you through logging in",
    "Keep your phone with you while you wait to be called in",
    "Open Settings and tap Log In",
    "Written by Dr. Ana Lopez, Head of Pharmacy\n\nSt Mary's Hospital",
    "Opening hours: Monday to Friday",
    "That is the form you will be asked about",
    "Questions? Ask the front desk which room your appointment is in",
]


def _cases() -> list[tuple[str, str]]:
    return [(sig, text) for sig, texts in CUT.items() for text in texts]


@pytest.mark.parametrize(("expected", "text"), _cases())
def test_each_signal_catches_real_cut_offs(expected: str, text: str) -> None:
    assert truncation_signal(text) == expected


@pytest.mark.parametrize(("expected", "text"), _cases())
def test_batch_agrees_with_single_text(expected: str, text: str) -> None:
    assert detect_truncation([*CORPUS, text])[-1] == expected


@pytest.mark.parametrize("text", GOOD)
def test_finished_answers_without_final_period_pass(text: str) -> None:
    assert truncation_signal(text) is None


def test_finished_answers_pass_in_batch() -> None:
    assert detect_truncation(CORPUS + GOOD) == [None] * (len(CORPUS) + len(GOOD))


def test_token_limit() -> None:
    text = "Drink plenty of water and rest."
    assert truncation_signal(text, 512) == "token_limit"
    assert truncation_signal(text, 511) is None
    assert truncation_signal(text, 300, token_limits=(300,)) == "token_limit"
    assert truncation_signal(text, 512, token_limits=(300,)) is None
    assert detect_truncation([text, text, text], [256, 257, 4096]) == [
        "token_limit",
        None,
        "token_limit",
    ]
    assert set(DEFAULT_TOKEN_LIMITS) == {256, 512, 1024, 2048, 4096}


def test_text_signal_wins_over_token_limit() -> None:
    assert truncation_signal("Take it with the", 1024) == "dangling_word"


def test_corpus_word_counts_as_known() -> None:
    text = "If your LDL is high, ask your doctor about a statin"
    # "statin" is rare in general English and begins "station", so alone it looks cut ...
    assert truncation_signal(text) == "mid_word"
    # ... but the corpus uses it mid-sentence, which makes it a known domain term.
    assert "statin" in Vocabulary.from_texts(CORPUS)
    assert truncation_signal(text, vocabulary=Vocabulary.from_texts(CORPUS)) is None
    assert detect_truncation([*CORPUS, text])[-1] is None


def test_fragment_seen_only_at_text_ends_stays_unknown() -> None:
    texts = ["Please contact your pharm", "Call your pharm", "Ask about a statin"]
    assert "pharm" not in Vocabulary.from_texts(texts)
    assert "statin" not in Vocabulary.from_texts(texts)
    assert detect_truncation(texts) == ["mid_word", "mid_word", "mid_word"]


def test_vocabulary_membership() -> None:
    vocab = Vocabulary(["Ozempic"])
    assert "ozempic" in vocab
    assert "pharmacy" in vocab
    assert "pharm" not in vocab
    assert vocab.looks_cut("pharm")
    assert not vocab.looks_cut("pharmacy")
    assert not vocab.looks_cut("toddle")  # a real (dictionary) word, though "toddler" is commoner


def test_base_word_list_is_cached() -> None:
    assert _base_words() is _base_words()


def test_signal_names_are_declared() -> None:
    assert set(CUT) | {"token_limit", "open_ending"} == set(TRUNCATION_SIGNALS)  # open_ending: truncation_corpus


def test_missing_content_is_not_flagged() -> None:
    assert detect_truncation([None, "Take it with the"], [512, 10]) == [None, "dangling_word"]  # type: ignore[list-item]


def test_mismatched_token_counts_rejected() -> None:
    with pytest.raises(ValueError, match="token counts"):
        detect_truncation(["a.", "b."], [1])


def test_fast_path_is_fast() -> None:
    texts = [f"Answer number {i} ends with a full stop." for i in range(200_000)]
    _base_words()
    start = time.perf_counter()
    assert detect_truncation(texts) == [None] * len(texts)
    assert time.perf_counter() - start < 2.0  # ~0.1 s on one core; generous for shared CI


def _seen_mid_text_by_scanning(texts: list[str], words: set[str]) -> set[str]:
    """The definition: a form of the word is some token of the chunk not followed by the sentinel."""
    from ftflow.tasks.prepare.checks.truncation import _GLUE_AFTER, _GLUE_BEFORE

    forms = {b + w + a: w for w in words for b in _GLUE_BEFORE for a in _GLUE_AFTER}
    toks = "\n\x00\n".join(texts).lower().split()
    return {forms[t] for t, nxt in itertools.pairwise(toks) if t in forms and nxt != "\x00"}


def test_mid_text_tokens_find_the_words_a_full_scan_finds() -> None:
    import random

    from ftflow.tasks.prepare.checks.truncation import _seen_mid_text

    rng = random.Random(5)
    vocab = ["pharm", "pharmacy", "(pharm", "pharm,", "dizz", "Dizz.", "produc", "\x00", "x\x00y", "ΣΑΣ", "the"]
    texts = [" ".join(rng.choice(vocab) for _ in range(rng.randint(0, 6))) + rng.choice(["", " ", "\n", "  "])
             for _ in range(3000)]  # fmt: skip
    for words in ({"pharm"}, {"dizz", "produc"}, {"pharm", "dizz", "produc", "σας"}):
        assert _seen_mid_text(texts, words) == _seen_mid_text_by_scanning(texts, words)

"""The corpus-learned truncation rules added for real text (tasks/prepare/checks/truncation_corpus.py,
truncation_text.py, lang_words.py): where the last segment starts, signatures, stray letters,
fragments of short and of the corpus's own words, templates, quotes weighed by the corpus, the
main language for undetected answers, English never-final words that the corpus ends on."""

from __future__ import annotations

import random

from ftflow.tasks.prepare.checks import language, truncation, truncation_corpus, truncation_text
from ftflow.tasks.prepare.checks.lang_words import words_for
from tests.helpers import EN, ES

ITEMS = ["Diagnostic tests", "Drug therapy", "Surgery and rehabilitation", "Genetic counseling", "Palliative care",
         "Support groups", "Clinical trials", "Home care services"]  # fmt: skip


def _corpus(sentences: list[str], n: int, seed: int, k: int = 3) -> list[str]:
    rnd = random.Random(seed)
    return [" ".join(rnd.sample(sentences, k)) for _ in range(n)]


def _lists(n: int, seed: int) -> list[str]:
    """Answers that end on a list without punctuation, the way MedQuAD's often do."""
    rnd = random.Random(seed)
    return [rnd.choice(EN) + " These resources may help:  - " + "  - ".join(rnd.sample(ITEMS, 4)) for _ in range(n)]


def test_segments_know_what_they_follow() -> None:
    segs, ctx = truncation_text.split_segments("First one. Then this: a list\n- item  - other")
    assert segs == ["First one.", "Then this:", "a list", "- item", "- other"]
    assert [truncation_text.CONTEXTS[c] for c in ctx] == ["start", "sentence", "clause", "line", "line"]
    assert truncation_text.last_segment("Intro.  - one  - two words") == (["two", "words"], 3)
    assert truncation_text.last_segment("It is. Treatment with topical") == (["treatment", "with", "topical"], 1)
    assert truncation_text.last_segment("just one") == (["just", "one"], 0)


def test_a_cut_inside_a_sentence_is_told_from_a_list_ending() -> None:
    """Open answers here end on list items; one cut inside a prose sentence is flagged, the
    lists (which end on many different items) are not."""
    texts = [*_corpus(EN, 120, seed=1), *_lists(90, seed=2)]
    texts.append("The clinic is open from Monday to Friday. Repeat prescriptions are renewed every six")
    result = truncation_corpus.detect(texts)
    assert result.signals[-1] is not None
    assert "end with . ! ?" in (result.details[-1] or "")
    assert sum(s is not None for s in result.signals[:-1]) <= 1


def test_signatures_and_attributions_are_not_cuts() -> None:
    assert truncation_text.is_signature("La violencia es el último recurso. Salvor Hardin", 2, {})
    assert truncation_text.is_signature("Tal es la ley del cielo. Tao-Te-Chin, IX", 2, {})
    assert truncation_text.is_signature("Support groups help.    Office on Women's Health", 4, {"on": 1})
    assert not truncation_text.is_signature("It was found. Treatment with topical plasminogen", 4, {})
    assert not truncation_text.is_signature("Yes. Por", 1, {})  # one capitalized word: a sentence's start
    texts = [*_corpus(ES, 80, seed=3), "Nadie sabe lo que tiene hasta que lo pierde. Salvor Hardin"]
    assert truncation_corpus.detect(texts).signals[-1] is None


def test_stray_letter_is_a_cut_but_a_letter_the_corpus_ends_on_is_not() -> None:
    texts = [*_corpus(ES, 80, seed=4), "Si los síntomas empeoran, acuda a urgencias. Recupere la versión original d"]
    result = truncation_corpus.detect(texts)
    assert result.signals[-1] == "mid_word"
    assert "single letter 'd'" in (result.details[-1] or "")
    hep = [f"{s} Vaccines protect against hepatitis B." for s in EN[:10]]
    texts = [*_corpus(EN, 80, seed=5), *hep, "Most adults were vaccinated against hepatitis B"]
    assert truncation_corpus.detect(texts).signals[-1] != "mid_word"  # 'b' ends sentences here: no stray letter
    es = words_for("es")
    assert es.letter_word("y")
    assert es.letter_word("a")
    assert not es.letter_word("d")


def test_short_known_fragments_count_only_when_asked() -> None:
    es = words_for("es")
    assert es.completion("pa") is None  # listed (chat writes it) ...
    assert es.completion("pa", known_too=True) is not None  # ... but ~100x rarer than what it begins
    texts = [
        *_corpus(ES, 80, seed=6),
        "Las vacunas de la gripe se ponen a partir de octubre. Lo que tiene alma se distingue po",
    ]
    assert truncation_corpus.detect(texts).signals[-1] == "mid_word"


def test_a_fragment_of_the_corpus_own_word_is_a_cut_but_an_inflection_is_not() -> None:
    tech = [f"{s} La multilingualization del sistema depende del paquete locales." for s in ES[:6]]
    cut = "Los resultados tardan tres días. Consulte la multilingualizatio"
    texts = [*_corpus(ES, 80, seed=7), *tech, cut]
    result = truncation_corpus.detect(texts)
    assert result.signals[-1] == "mid_word"
    assert "multilingualization" in (result.details[-1] or "")
    # "elefante" begins "elefantes" (used here), but it is a Spanish word: judged as a word, not a fragment.
    zoo = [f"{s} Los elefantes del zoo comen mucho." for s in ES[:6]]
    texts = [*_corpus(ES, 80, seed=7), *zoo, "Jinete chico en caballo grande, una pulga sobre un elefante"]
    assert truncation_corpus.detect(texts).signals[-1] != "mid_word"


def test_undetected_short_answers_are_judged_in_the_main_language() -> None:
    texts = [*_corpus(ES, 80, seed=8), "Lo que has de"]
    langs = [*language.detect_languages(texts[:-1]), language.UNKNOWN]
    result = truncation_corpus.detect(texts, languages=langs)
    assert result.signals[-1] == "dangling_word"
    assert truncation_corpus.dominant(result.profiles) == "es"
    mixed = {
        "en": truncation_corpus.LanguageProfile("en", answers=60),
        "es": truncation_corpus.LanguageProfile("es", answers=40),
    }
    assert truncation_corpus.dominant(mixed) is None  # no language dominates: neutral signals only


def test_a_quote_closed_after_the_last_sentence_is_finished() -> None:
    assert truncation.truncation_signal('He paused. "Would that all were as wise!"') is None
    assert truncation.truncation_signal('She said "this is not" what "we meant to say') == "unbalanced_quote"


def test_quotes_weighed_by_the_corpus() -> None:
    """Where finished answers often leave quotes unpaired (« used both ways), an unpaired quote
    alone is no cut; it only adds to the ending's evidence."""
    odd = [f"{s} Lea «Guía de usuario« de Larry Greenfield." for s in ES]
    texts = [*_corpus(ES, 60, seed=9), *odd, *odd, "Lea el «Manual del administrador« de Debian"]
    result = truncation_corpus.detect(texts)
    prof = result.profiles["es"]
    assert prof.quotes_unreliable
    assert result.signals[-1] != "unbalanced_quote"
    texts = [*_corpus(ES, 80, seed=9), "Lea el «Manual del administrador de Debian"]
    assert truncation_corpus.detect(texts).signals[-1] == "unbalanced_quote"  # paired quotes here: a cut


def test_templates_of_open_answers_vouch_for_themselves() -> None:
    """Captions ("Tabla 4.4. Relación de …") always end without a period, each on another word."""
    nouns = ["paquetes", "herramientas", "órdenes", "servicios", "archivos", "puertos", "programas", "grupos"]
    last = ["texto", "copias", "discos", "redes", "correo", "impresión", "sonido", "vídeo", "fuentes", "claves",
            "usuarios", "núcleo"]  # fmt: skip
    captions = [f"Tabla {i + 1}.{i % 5}. Relación de {nouns[i % 8]} para {w}" for i, w in enumerate(last)]
    texts = [*_corpus(ES, 80, seed=10), *captions]
    result = truncation_corpus.detect(texts)
    assert result.profiles["es"].template(captions[0]) == "tabla"
    assert result.signals[80:] == [None] * len(captions)
    assert result.profiles["es"].template(texts[0]) is None


def test_english_never_final_word_that_this_corpus_ends_on() -> None:
    """'with' ends no formal English sentence; where the corpus's own sentences end on it, the
    learned rules judge the answer instead of the fixed list."""
    chat = [f"{s} That is what we have to live with." for s in EN] + [f"{s} Who did you go with?" for s in EN]
    cut = "Parking at the hospital is free. That is the one thing we have to put up with"
    texts = [*_corpus(EN, 60, seed=11), *chat, cut]
    assert truncation.truncation_signal(cut) == "dangling_word"
    assert truncation_corpus.detect(texts).signals[-1] is None
    formal = [*_corpus(EN, 80, seed=11), "Parking at the hospital is free. The date is agreed with"]
    assert truncation_corpus.detect(formal).signals[-1] == "dangling_word"

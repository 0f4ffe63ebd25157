"""A decline in another language says so, instead of claiming the topic is missing."""

from __future__ import annotations

import pytest

from bot.core.language import LanguageGuess

# English words a knowledge base would use; the other languages' words are unknown to it.
ENGLISH = set(
    [
        "should",
        "i",
        "learn",
        "python",
        "or",
        "r",
        "im",
        "and",
        "work",
        "in",
        "logistics",
        "is",
        "it",
        "too",
        "late",
        "to",
        "switch",
        "into",
        "ml",
        "engineering",
        "what",
        "maths",
        "do",
        "need",
        "for",
        "my",
        "model",
        "the",
        "training",
        "data",
        "but",
        "on",
        "anything",
        "how",
        "make",
        "a",
        "portfolio",
        "if",
        "no",
        "experience",
    ]
)


@pytest.fixture(scope="module")
def guess() -> LanguageGuess:
    return LanguageGuess()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("q es mlops y tengo q aprenderlo ahora o despues", "Spanish"),
        ("quero aprender machine learning mas não sei por onde começar, alguém me ajuda?", "Portuguese"),
        ("est-ce que je dois apprendre les mathématiques avant de commencer le machine learning ?", "French"),
        ("wie lange dauert es, bis man als Quereinsteiger einen Job bekommt?", "German"),
        ("как стать инженером машинного обучения", "Russian"),
    ],
)
def test_recognises_other_languages(guess: LanguageGuess, text: str, language: str) -> None:
    assert guess.other_than_english(text, ENGLISH) == language


@pytest.mark.parametrize(
    "text",
    [
        "should I learn python or R?",
        "im 35 and work in logistics, is it too late to switch into ml engineering",
        "wat maths do i realy need for ML lol",
        "my model aces the training data but faceplants on anything fresh",
        "how do i make a portfolio if i got no experience",  # py3langid alone: Italian
        "pls",  # too short to tell
        "asdkjh qwpoeiru zmxncb",  # no language's function words
        "lorem ipsum dolor sit amet consectetur",
        "",
    ],
)
def test_leaves_english_and_short_texts_alone(guess: LanguageGuess, text: str) -> None:
    assert guess.other_than_english(text, ENGLISH) is None


def test_a_declined_question_in_spanish_is_told_why(small_advisor) -> None:  # type: ignore[no-untyped-def]
    answer = small_advisor.ask("q tipo de harina necesito pa hacer pan de masa madre en casa?")
    assert answer.abstained and answer.reason == "other_language"
    assert "only read questions in English" in answer.body and "Spanish" in answer.body
    assert "Did you mean:" not in answer.answer or answer.suggestions
    english = small_advisor.ask("what's the weather in Paris tomorrow?")  # the scope rule's reply stays
    assert english.reason == "out_of_scope" and english.scope == "off-topic"


def test_a_model_that_is_not_the_verified_one_leaves_declines_as_they_were(monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("bot.core.language.MODEL_SHA256", "0" * 64)
    guess = LanguageGuess()
    assert guess.other_than_english("q es mlops y tengo q aprenderlo ahora o despues", ENGLISH) is None
    assert not guess.load() and "not the verified one" in caplog.text

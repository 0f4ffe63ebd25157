"""Typo repair: only words nobody knows are repaired, and only towards the knowledge base's words."""

from __future__ import annotations

from collections import Counter

from bot.core.spelling import Speller


def speller() -> Speller:
    corpus = Counter(["which", "libraries", "should", "beginners", "learn", "first", "slips", "engineer", "ghost"])
    return Speller(corpus, ["flip", "ghost", "love", "try", "nuke", "should", "learn"])


def test_a_misspelt_word_is_repaired_towards_the_knowledge_base() -> None:
    assert speller().correct("wat libaries shuld i lern frist") == "wat libraries should i learn first"
    assert speller().correct("ml enginer") == "ml engineer"


def test_inflections_of_known_words_are_not_typos() -> None:
    """ "coin-flips" once became "coin-slips": a wrong repair is worse than none."""
    s = speller()
    assert s.correct("it basically coin-flips on anything new") == "it basically coin-flips on anything new"
    for word in ("flips", "ghosted", "loved", "tries", "nukes", "flipping"):
        assert s.repair(word) is None, word


def test_short_words_and_names_are_left_alone() -> None:
    assert speller().correct("tbh my GPU is slow") == "tbh my GPU is slow"


def test_shorthand_one_edit_from_another_word_is_not_a_typo() -> None:
    """ "do i need calc for ml" had become "do i need call for ml"."""
    s = Speller(Counter(["call", "pro", "biotech", "llama"]), [])
    assert s.correct("do i need calc or prob stuff for bigtech, or ollama") == (
        "do i need calc or prob stuff for bigtech, or ollama"
    )

"""Employers and programmes the knowledge never mentions get "nothing specific" first."""

from __future__ import annotations

import pytest

from bot.core.names import nothing_specific, unknown_names

KNOWN = {"google", "python", "pytorch", "andrew", "ng", "what", "it", "home", "kaggle", "one", "should", "i"}


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("what's the interview loop at Stripe like?", ["Stripe"]),
        ("I have an interview at Stripe. What should I prepare?", ["Stripe"]),
        ("got an offer from Shopify, is it a good first ML job?", ["Shopify"]),
        ("I am joining Two Sigma next month, any advice?", ["Two Sigma"]),
        ("how many rounds is Spotify's ML interview loop?", ["Spotify"]),
        ("interview at Stripe Monday, tips?", ["Stripe"]),
        ("interview at Stripe Christmas week, tips?", ["Stripe"]),
        ("Interview at Stripe and an onsite at Datadog, how do I prepare for both?", ["Stripe", "Datadog"]),
    ],
)
def test_an_employer_the_member_is_hired_by_or_joins_is_found(question: str, names: list[str]) -> None:
    assert unknown_names(question, KNOWN) == names


@pytest.mark.parametrize(
    "question",
    [
        "how do i get an ML job at Google?",
        "is Andrew Ng's course still worth it?",
        "is Karpathy's course worth it?",
        "What's the best way to learn PyTorch? It's hard",
        "I work at McDonald's, is it too late to learn ML?",
        "I'm a student at Stanford studying biology, can I switch?",
        "Hello, I am from Brazil and I want to change to machine learning",
        "He's 16 and doing Karpathy's zero to hero videos, what next?",
        "is an MLE job at AWS paid well?",
        "interview at stripe, any tips",
        "job at Capital One, is the ML team good?",
        "",
        "🙂" * 50,
    ],
)
def test_where_members_work_people_known_names_and_lowercase_words_are_not_asked_about(question: str) -> None:
    assert unknown_names(question, KNOWN) == [], question


def test_the_sentence_names_every_name() -> None:
    assert nothing_specific(["Stripe"]) == "*I have nothing specific about Stripe, so this is the general picture.*"
    assert "about Stripe, Shopify or Spotify," in nothing_specific(["Stripe", "Shopify", "Spotify"])

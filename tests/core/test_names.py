"""Names a member asks about that the knowledge never mentions get "nothing specific" first."""

from __future__ import annotations

from bot.core.names import nothing_specific, unknown_names

KNOWN = {"google", "python", "pytorch", "andrew", "ng", "what", "it", "home", "kaggle"}


def test_an_organisation_the_knowledge_never_mentions_is_found_after_a_preposition_or_before_s() -> None:
    assert unknown_names("what's the interview loop at Stripe like?", KNOWN) == ["Stripe"]
    assert unknown_names("is Springboard's bootcamp worth it, or should I join Le Wagon?", KNOWN) == [
        "Springboard",
        "Le Wagon",
    ]
    assert unknown_names("how many rounds is Shopify's ML interview loop?", KNOWN) == ["Shopify"]


def test_known_names_acronyms_sentence_starts_and_lowercase_words_are_not_names() -> None:
    for question in (
        "how do i get an ML job at Google?",
        "is Andrew Ng's course still worth it?",
        "What's the best way to learn PyTorch? It's hard",
        "I work at Home Depot as a cashier, can I switch?",
        "is an MLE at AWS paid well?",
        "interview at stripe, any tips",
        "Hello, I am from Brazil and I want to change to machine learning",
        "He's 16 and doing Karpathy's zero to hero videos, what next?",
        "",
    ):
        assert unknown_names(question, KNOWN) == [], question


def test_the_sentence_names_every_name() -> None:
    assert nothing_specific(["Stripe"]) == "*I have nothing specific about Stripe, so this is the general picture.*"
    assert "about Stripe, Shopify or Spotify," in nothing_specific(["Stripe", "Shopify", "Spotify"])

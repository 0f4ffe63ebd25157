"""The community core without Discord: which messages look like questions, what a follow-up searches,
rate limits, answers placed on the asking member's roadmap, and the moderators' digest per server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.core.advisor import Advisor
from bot.core.community.questions import RateLimits, follow_up_query, long_enough, looks_like_question
from bot.core.service import Services
from bot.core.store import make_engine, migrate

G1, G2 = 111111111111111111, 222222222222222222


@pytest.fixture
def services(small_advisor: Advisor) -> Iterator[Services]:
    """Services over the session's small advisor (never closed here) and a private in-memory store."""
    engine: Engine = make_engine("sqlite://")
    migrate(engine)
    yield Services(small_advisor, engine)
    engine.dispose()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How do I feed a sourdough starter?", True),
        ("my chain keeps slipping, any idea?", True),
        ("what flour for bread", True),
        ("thanks!", False),
        ("hi?", False),
        ("I baked a loaf today and it was great", False),
        ("<@123> <@456> <@789>?", False),  # mentions are not words
    ],
)
def test_question_looking_messages(text: str, expected: bool) -> None:
    assert looks_like_question(text) is expected


def test_short_posts_are_not_long_enough() -> None:
    assert not long_enough("help pls")
    assert long_enough("starter not rising")


def test_a_follow_up_is_read_with_the_earlier_question_only_when_it_needs_it() -> None:
    earlier = "How often should I feed my sourdough starter?"
    assert follow_up_query("and in winter?", earlier) == f"and in winter? {earlier}"
    assert follow_up_query("What temperature should the oven be for a Dutch oven loaf?", earlier) == (
        "What temperature should the oven be for a Dutch oven loaf?"
    )
    assert follow_up_query("Should I keep it in the fridge between feedings then?", earlier).endswith(earlier)
    assert follow_up_query("", earlier) == earlier


def test_rate_limits_per_thread_and_per_member_hour() -> None:
    now = [0.0]
    limits = RateLimits(per_thread=2, per_member_hour=3, clock=lambda: now[0])
    assert limits.allow(1, 7) and limits.allow(1, 7)
    assert not limits.allow(1, 7)  # the thread has had its two
    assert limits.allow(2, 7)
    assert not limits.allow(3, 7)  # the member has had three this hour
    assert limits.allow(3, 8)
    now[0] = 3601
    assert limits.allow(4, 7)


def test_a_follow_up_uses_the_earlier_question_for_retrieval(services: Services) -> None:
    earlier = "How often should I feed my sourdough starter?"
    follow = services.submit_follow_up("and how long does it take to double?", earlier).result()
    assert follow.question == "and how long does it take to double?"
    assert not follow.abstained and follow.citations[0].doc_id == "baking-bread"


def test_the_answer_names_the_step_and_its_open_prerequisites_for_a_member_with_a_goal(services: Services) -> None:
    question = "How do I proof and shape a sourdough loaf?"
    nobody, _ = services.ask_logged(question, "no-goal")
    assert not nobody.abstained and nobody.citations[0].doc_id == "baking-bread"
    assert nobody.roadmap_context is None  # no goal: nothing extra

    services.roadmaps.set_goal("baker", "home-skills")
    fresh, _ = services.ask_logged(question, "baker")
    assert fresh.roadmap_context is not None
    assert fresh.roadmap_context.step.id == "starter" and fresh.roadmap_context.missing == []

    services.roadmaps.set_status("baker", "starter", "done")
    later, _ = services.ask_logged(question, "baker")
    context = later.roadmap_context
    assert context is not None and context.step.title == "Bake a first loaf"
    assert [s.title for s in context.missing] == ["Gather basic tools"]
    services.roadmaps.set_status("baker", "tools", "done")
    done, _ = services.ask_logged(question, "baker")
    assert done.roadmap_context is not None and done.roadmap_context.missing == []


def test_a_source_tied_to_no_step_adds_nothing(services: Services) -> None:
    services.roadmaps.set_goal("baker", "home-skills")
    answer, _ = services.ask_logged("What tyre pressure should a road bike run?", "baker")
    assert not answer.abstained and answer.citations[0].doc_id == "tyre-pressure"
    assert answer.roadmap_context is None


def test_the_digest_is_per_server(services: Services, monkeypatch: Any) -> None:
    asked = [
        ("How do I feed a sourdough starter?", G1),
        ("How do I feed a sourdough starter?", G1),
        ("How do I launch a rocket into orbit?", G1),
        ("How do I launch a rocket into orbit?", G1),
        ("Which telescope should I buy to see Saturn?", G2),
    ]
    ids = []
    for n, (question, guild) in enumerate(asked):
        answer = services.advisor.ask(question)
        ids.append(services.finish_answer(answer, f"u{n}", guild_id=guild)[1])
    assert ids[0] is not None
    services.vote(ids[0], "voter", helpful=False)
    one = services.moderation.digest(G1, days=7)
    assert one.questions == 4 and one.declined == 2
    assert [g.representative for g in one.gaps] == ["How do I launch a rocket into orbit?"]
    assert [i.question for i in one.unhelpful] == ["How do I feed a sourdough starter?"]
    assert one.most_cited[0].path == "articles/baking-bread.md" and one.most_cited[0].count == 2
    assert "articles/telescope-astronomy.md" in one.never_cited
    two = services.moderation.digest(G2, days=7)
    assert two.questions == 1 and two.unhelpful == [] and two.gaps == []
    assert "articles/telescope-astronomy.md" not in two.never_cited
    assert services.moderation.gaps(7, guild_id=G2) == []
    assert len(services.moderation.feedback(7, guild_id=G1)) == 1 and services.moderation.feedback(7, guild_id=G2) == []


def test_a_chat_reply_becomes_plain_text_for_a_knowledge_entry() -> None:
    from bot.core.text import plain_text

    reply = (
        "<@123> **Feed it** daily, see [the guide](https://example.org/g) and `flour` <:yum:12345>\n"
        "> quoted\n# Title\n||spoiler|| @everyone __under__ snake_case_name\u200b"
    )
    assert plain_text(reply) == (
        "Feed it daily, see the guide (https://example.org/g) and flour :yum:\nquoted\nTitle\n"
        "spoiler everyone under snake_case_name"
    )

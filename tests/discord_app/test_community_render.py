"""The community replies' pure pieces: the handoff allows exactly the helper role, the digest fits
Discord's limits whatever it holds, a forum post's question, and the digest's weekly slot."""

from __future__ import annotations

from datetime import UTC, datetime

import discord

from bot.core.moderation import Digest, FeedbackItem, GapGroup, SourceCount
from bot.discord_app import limits
from bot.discord_app.cogs.community._digest import last_slot
from bot.discord_app.cogs.community._forum import post_question
from bot.discord_app.cogs.community._render import HANDOFF, digest_embed, handoff_mentions, handoff_text

NOW = datetime(2030, 1, 9, 12, 0, tzinfo=UTC)  # a Wednesday


def test_the_handoff_may_ping_the_helper_role_and_nothing_else() -> None:
    assert handoff_mentions(42).to_dict() == {"parse": [], "roles": [42]}
    assert handoff_mentions(None).to_dict() == {"parse": []}
    assert handoff_text(HANDOFF, 42).endswith(" <@&42>")
    assert "<@" not in handoff_text(HANDOFF, None)
    assert discord.AllowedMentions.none().to_dict()["parse"] == []  # the bot's default for every other message


def test_the_digest_fits_discords_limits_whatever_it_holds() -> None:
    long = "why " * 400 + "<@123> @everyone **bold**"
    group = GapGroup(
        representative=long,
        count=3,
        users=2,
        abstained=3,
        mean_score=0.1,
        last_asked=NOW,
        examples=[long],
        closest=None,
        suggestion="Nothing in the knowledge base is close: write a new FAQ entry or article.",
    )
    digest = Digest(
        guild_id=1,
        days=7,
        since=NOW,
        questions=90,
        declined=30,
        gaps=[group] * 30,
        unhelpful=[FeedbackItem(question=long, sources=["articles/x.md#y"] * 20, at=NOW)] * 30,
        most_cited=[SourceCount(path=f"articles/{n}-{'x' * 80}.md", count=n) for n in range(60)],
        never_cited=[f"faq/{n}-{'y' * 80}.md" for n in range(200)],
    )
    embed = digest_embed(digest)
    assert len(embed) <= limits.EMBED_TOTAL and len(embed.fields) <= limits.EMBED_FIELDS
    assert all(
        len(f.value or "") <= limits.FIELD_VALUE and len(f.name or "") <= limits.FIELD_NAME for f in embed.fields
    )
    assert "<@123>" not in str(embed.to_dict())  # members' text is shown, never as a mention
    empty = digest_embed(Digest(guild_id=1, days=7, since=NOW, questions=0, declined=0))
    assert empty.description is not None and empty.description.startswith("0 question(s) asked")


def test_a_posts_question_is_its_title_and_body() -> None:
    assert post_question("Starter not rising", "") == "Starter not rising"
    assert post_question("Starter not rising", "It is cold here.") == "Starter not rising. It is cold here."
    assert post_question("Why is my starter flat?", "It is cold.") == "Why is my starter flat? It is cold."
    assert post_question("Why flat?", "Why flat? Cold kitchen") == "Why flat? Cold kitchen"


def test_the_digest_slot_is_the_last_weekday_at_the_hour() -> None:
    assert last_slot(NOW, 0, 9) == datetime(2030, 1, 7, 9, 0, tzinfo=UTC)  # Monday 09:00 this week
    assert last_slot(NOW, 2, 13) == datetime(2030, 1, 2, 13, 0, tzinfo=UTC)  # today 13:00 is still ahead
    assert last_slot(NOW, 2, 12) == NOW

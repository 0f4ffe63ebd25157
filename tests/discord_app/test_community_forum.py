"""Forum auto-answers end to end through the loopback Discord: a new post answered in its thread with
sources, votes and Solved; what is skipped; the poster's follow-ups; the handoff to the helper role
(tag + that role's ping, nobody else's) on a decline or the poster's "Not helpful"; Solved by button
or 👍; and "Save as FAQ" for moderators only."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, cast

import discord
import pytest
from community_helpers import bot_messages_in, wait_for_bot_message
from discord_standin import MODAL, DiscordStandIn, RecordedRequest, running_bot

from bot.core.community import ChannelMode
from bot.core.service import Services
from bot.discord_app.client import RoadmapBot
from bot.discord_app.cogs.community._forum import Community
from bot.discord_app.cogs.community._render import AUTO_LABEL, HANDOFF, HANDOFF_NOT_HELPFUL, NOT_THE_POSTER
from bot.discord_app.cogs.community._save_faq import REFUSAL as FAQ_REFUSAL
from bot.settings import Settings

ButtonId = Callable[[RecordedRequest, str], str]
STARTER_POST = ("Sourdough starter feeding", "How often should I feed my sourdough starter, and how much flour?")
# Without the message content intent a post's body reaches the bot blank: its title is the question.
OFF_TOPIC = ("How do I launch a rocket into orbit from my backyard?", "Asking for a school project.")


@pytest.fixture
def settings(private_settings: Settings) -> Settings:
    """Save as FAQ writes to knowledge/: a private copy of the folder and its index."""
    return private_settings


@pytest.fixture
def standin(services: Services) -> DiscordStandIn:
    """The test guild's help forum answers by itself and hands over to its helper role."""
    world = DiscordStandIn()
    world.add_helper()
    services.community.set_channel_mode(world.guild.id, world.forum.id, ChannelMode.AUTO)
    services.community.update_guild(world.guild.id, helper_role=world.helper_role.id)
    return world


Env = tuple[RoadmapBot, DiscordStandIn]


async def reaches_bot(bot: RoadmapBot, channel_id: int) -> object:
    """The channel once the bot's cache holds it (the gateway event is handled in the bot's own time)."""
    for _ in range(100):
        if (found := bot.get_channel(channel_id)) is not None:
            return found
        await asyncio.sleep(0.02)
    raise AssertionError(f"channel {channel_id} never reached the bot")


def community(bot: RoadmapBot) -> Community:
    """The running cog (extensions are imported afresh by each bot, so no isinstance against ours)."""
    cog = bot.get_cog("Community")
    assert cog is not None and type(cog).__name__ == "Community"
    return cast(Community, cog)


async def test_a_new_post_is_answered_in_its_thread_with_sources_votes_and_solved(env: Env) -> None:
    _, standin = env
    post = await standin.create_forum_post(*STARTER_POST)
    answer = await wait_for_bot_message(standin, post.id)
    assert answer.content == AUTO_LABEL
    assert answer.embed["title"].startswith("Sourdough starter feeding")
    fields = {f["name"]: f["value"] for f in answer.embed["fields"]}
    assert "articles/baking-bread.md#keeping-a-starter" in fields["Sources"]
    assert [b["label"] for b in answer.buttons] == ["Helpful", "Not helpful", "Solved"]
    assert standin.pinged(answer).users == frozenset() and not standin.pinged(answer).roles
    assert post.thread.applied_tags == []


async def test_posts_that_should_not_be_answered_are_skipped(env: Env, services: Services) -> None:
    bot, standin = env
    robot = standin.add_user("webhook-bot", bot=True)
    skipped = [
        await standin.create_forum_post("help", "pls"),  # a few words only
        await standin.create_forum_post(*STARTER_POST, tags=["Solved"]),
        await standin.create_forum_post(*STARTER_POST, tags=["Needs human"]),
        await standin.create_forum_post(*STARTER_POST, user=robot),
    ]
    answered = await standin.create_forum_post(*STARTER_POST)
    await wait_for_bot_message(standin, answered.id)
    await asyncio.sleep(0.3)
    for post in skipped:
        assert bot_messages_in(standin, post.id) == [], post.thread.name

    # A helper already replied before the bot got to the post: the bot stays out of it.
    services.community.set_channel_mode(standin.guild.id, standin.forum.id, ChannelMode.MENTION)
    bot.channel_modes.remember(standin.guild.id, standin.forum.id, ChannelMode.MENTION)
    late = await standin.create_forum_post(*STARTER_POST)
    thread = await reaches_bot(bot, late.id)
    await standin.post_in_thread(late, "Feed it daily with equal weights of flour and water.", user=standin.helper)
    bot.channel_modes.remember(standin.guild.id, standin.forum.id, ChannelMode.AUTO)
    assert isinstance(thread, discord.Thread)
    await community(bot).answer_post(thread)
    assert bot_messages_in(standin, late.id) == []


async def test_the_posters_follow_up_is_answered_with_the_post_in_mind(run_bot: Any) -> None:
    async with run_bot(question_rate=(10, 30.0)) as (_, standin):
        post = await standin.create_forum_post(*STARTER_POST)
        first = await wait_for_bot_message(standin, post.id)
        mark = standin.mark()
        follow = await standin.post_in_thread(post, "and how long until it doubles?", reply_to=first.created_message)
        second = await wait_for_bot_message(standin, post.id, since=mark)
        assert second.content == AUTO_LABEL and second.reference_id == int(follow["id"])
        assert second.embed["title"] == "and how long until it doubles?"
        fields = {f["name"]: f["value"] for f in second.embed["fields"]}
        assert "articles/baking-bread.md" in fields["Sources"]
        # Someone else replying to the bot's answer talks to the poster, not to the bot.
        mark = standin.mark()
        await standin.post_in_thread(
            post, "Mine took a week to get going", user=standin.helper, reply_to=first.created_message
        )
        await asyncio.sleep(0.5)
        assert bot_messages_in(standin, post.id, since=mark) == []


async def test_a_decline_hands_over_with_the_tag_and_a_ping_of_the_helper_role_only(env: Env) -> None:
    _, standin = env
    post = await standin.create_forum_post(*OFF_TOPIC)
    handoff = await wait_for_bot_message(standin, post.id)
    assert handoff.content is not None and handoff.content.startswith(HANDOFF)
    assert handoff.embed["title"] == OFF_TOPIC[0]  # the decline, with what it may have meant
    await standin.wait_until(lambda: post.thread.applied_tags or None, description="the Needs human tag")
    assert post.thread.applied_tags == [standin.forum.tag("Needs human").id]
    pings = standin.pinged(handoff)
    assert pings.roles == frozenset({standin.helper_role.id}) and not pings.users and not pings.everyone
    # Even if every role were mentionable: the handoff's allowed_mentions name that role alone.
    assert standin.pinged(handoff, worst_case=True).roles == frozenset({standin.helper_role.id})
    # Nothing else the bot sent in this test can ping anyone.
    assert standin.all_pings(worst_case=True).roles == frozenset({standin.helper_role.id})
    assert not standin.all_pings(worst_case=True).users and not standin.all_pings(worst_case=True).everyone


async def test_not_helpful_from_the_poster_hands_over_and_solved_marks_the_post(env: Env, button_id: ButtonId) -> None:
    _, standin = env
    post = await standin.create_forum_post(*STARTER_POST)
    answer = await wait_for_bot_message(standin, post.id)

    # Another member's vote is only a vote.
    other = await standin.interact(
        standin.button(button_id(answer, "Not helpful"), message=answer, user=standin.helper)
    )
    await other.followup()
    solved_by_other = await standin.interact(
        standin.button(button_id(answer, "Solved"), message=answer, user=standin.helper)
    )
    assert (await solved_by_other.response()).content == NOT_THE_POSTER
    await asyncio.sleep(0.2)
    assert [m.content for m in bot_messages_in(standin, post.id)] == [AUTO_LABEL]

    mark = standin.mark()
    vote = await standin.interact(standin.button(button_id(answer, "Not helpful"), message=answer))
    await vote.followup()
    handoff = await wait_for_bot_message(standin, post.id, since=mark)
    assert handoff.content == f"{HANDOFF_NOT_HELPFUL} <@&{standin.helper_role.id}>"
    assert standin.pinged(handoff).roles == frozenset({standin.helper_role.id}) and not standin.pinged(handoff).users
    await standin.wait_until(lambda: post.thread.applied_tags or None, description="the Needs human tag")
    assert post.thread.applied_tags == [standin.forum.tag("Needs human").id]

    press = await standin.interact(standin.button(button_id(answer, "Solved"), message=answer))
    await press.followup()
    assert post.thread.applied_tags == [standin.forum.tag("Solved").id]  # Needs human is taken off
    assert not standin.all_pings(worst_case=True).users


async def test_the_posters_thumbs_up_marks_the_post_solved(env: Env) -> None:
    _, standin = env
    post = await standin.create_forum_post(*STARTER_POST)
    answer = await wait_for_bot_message(standin, post.id)
    await standin.add_reaction(answer.created_message, "👍", user=standin.helper)  # not the poster
    await asyncio.sleep(0.2)
    assert post.thread.applied_tags == []
    await standin.add_reaction(answer.created_message, "👍")
    await standin.wait_until(lambda: post.thread.applied_tags or None, description="the Solved tag")
    assert post.thread.applied_tags == [standin.forum.tag("Solved").id]


async def test_save_as_faq_turns_a_helpers_reply_into_an_entry_for_moderators_only(
    env: Env, settings: Settings, services: Services
) -> None:
    _, standin = env
    post = await standin.create_forum_post("How warm should dough proof?", "My kitchen is cold in winter.")
    await wait_for_bot_message(standin, post.id)
    reply = await standin.post_in_thread(
        post,
        f"<@{standin.member.id}> **Proof it** at about 24 °C — _a warm oven with the light on_ works. @everyone",
        user=standin.helper,
    )

    refused = await (await standin.interact(standin.message_command("Save as FAQ", reply))).response()
    assert refused.result_ephemeral and refused.content == FAQ_REFUSAL
    refused = await (
        await standin.interact(standin.message_command("Save as FAQ", reply, user=standin.helper))
    ).response()
    assert refused.content == FAQ_REFUSAL
    # The server's moderator role (set with /config moderator-role) is enough.
    services.community.update_guild(standin.guild.id, moderator_role=standin.helper_role.id)
    by_role = await (
        await standin.interact(standin.message_command("Save as FAQ", reply, user=standin.helper))
    ).response()
    assert by_role.callback_type == MODAL

    opened = await (
        await standin.interact(standin.message_command("Save as FAQ", reply, user=standin.moderator))
    ).response()
    assert opened.callback_type == MODAL
    defaults = {c["custom_id"]: c.get("value") for c in _inputs(opened.modal)}
    assert defaults["kb-faq-question"] == "How warm should dough proof?"
    assert defaults["kb-faq-answer"] == "Proof it at about 24 °C — a warm oven with the light on works. everyone"

    before = set((settings.knowledge_dir / "faq").iterdir())
    ix = await standin.interact(standin.modal_submit(opened, {"kb-faq-answer": defaults["kb-faq-answer"]}))
    added = await ix.followup(timeout=30)
    assert added.embed["title"] == "FAQ entry added", added.embed
    [created] = set((settings.knowledge_dir / "faq").iterdir()) - before
    text = created.read_text(encoding="utf-8")
    assert "question: How warm should dough proof?" in text and "<@" not in text and "@everyone" not in text


def _inputs(modal: dict[str, Any] | None) -> list[dict[str, Any]]:
    assert modal is not None
    found: list[dict[str, Any]] = []
    for row in modal["components"]:
        for item in row.get("components", [row.get("component", row)]):
            if item.get("type") == 4:
                found.append(item)
    return found


async def test_automatic_answers_stop_at_the_limit_per_thread(
    settings: Settings, services: Services, standin: DiscordStandIn
) -> None:
    limited = settings.model_copy(update={"discord_guild_id": standin.guild.id, "auto_answers_per_thread": 2})
    async with running_bot(lambda s: RoadmapBot(limited, services), standin, capture_loggers=("discord", "bot")):
        post = await standin.create_forum_post(*STARTER_POST)
        first = await wait_for_bot_message(standin, post.id)
        mark = standin.mark()
        await standin.post_in_thread(post, "and how long until it doubles?", reply_to=first.created_message)
        second = await wait_for_bot_message(standin, post.id, since=mark)
        mark = standin.mark()
        await standin.post_in_thread(post, "and should it smell sour?", reply_to=second.created_message)
        await asyncio.sleep(0.5)
        assert bot_messages_in(standin, post.id, since=mark) == []  # the third would pass the limit of 2


async def test_a_forum_without_tags_still_hands_over(settings: Settings, services: Services) -> None:
    standin = DiscordStandIn(forum=False)
    bare = standin.add_forum("bare-forum")
    standin.add_helper()
    services.community.set_channel_mode(standin.guild.id, bare.id, ChannelMode.AUTO)
    services.community.update_guild(standin.guild.id, helper_role=standin.helper_role.id)
    configured = settings.model_copy(update={"discord_guild_id": standin.guild.id})
    async with running_bot(lambda s: RoadmapBot(configured, services), standin, capture_loggers=("discord", "bot")):
        post = await standin.create_forum_post(*OFF_TOPIC, forum=bare)
        handoff = await wait_for_bot_message(standin, post.id)
        assert standin.pinged(handoff).roles == frozenset({standin.helper_role.id})
        await asyncio.sleep(0.2)
        assert standin.thread_edits() == [] and post.thread.applied_tags == []

"""Server settings end to end: /config for Manage Server only (checked by the bot, not just hidden),
roles and channels of the server itself, two servers with separate settings and reports, channel
modes in text channels (with the message content intent), progress-aware answers, the weekly digest."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest
from community_helpers import bot_messages_in, wait_for_bot_message
from discord_standin import DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, DiscordStandIn, RecordedRequest, running_bot
from discord_standin.payloads import FakeGuild

from bot.core.community import ChannelMode
from bot.core.service import Services
from bot.discord_app.client import RoadmapBot
from bot.discord_app.cogs.community._config import REFUSAL
from bot.discord_app.cogs.community._render import AUTO_LABEL
from bot.discord_app.failures import CHANNEL_NOT_HERE
from bot.settings import Settings

LOGGERS = ("discord", "bot")
RunBot = Callable[..., AbstractAsyncContextManager[tuple[RoadmapBot, DiscordStandIn]]]


@pytest.fixture
def standin() -> DiscordStandIn:
    world = DiscordStandIn(extra_guilds=1)
    world.add_helper()
    return world


@pytest.fixture
def run_bot(settings: Settings, services: Services, standin: DiscordStandIn) -> RunBot:
    """Commands synced globally, so both servers have them; `intent` asks for message content."""

    def start(*, intent: bool = False) -> AbstractAsyncContextManager[tuple[RoadmapBot, DiscordStandIn]]:
        configured = settings.model_copy(update={"discord_guild_id": None, "message_content_intent": intent})
        return running_bot(
            lambda s: RoadmapBot(configured, services, question_rate=(20, 30.0)), standin, capture_loggers=LOGGERS
        )

    return start


def second(standin: DiscordStandIn) -> FakeGuild:
    return next(g for g in standin.guilds.values() if g is not standin.guild)


async def config(
    standin: DiscordStandIn, sub: str, options: dict[str, Any] | None = None, **kw: Any
) -> RecordedRequest:
    """/config <sub> as the moderator (Manage Server) by default; its private follow-up."""
    kw.setdefault("user", standin.moderator)
    ix = await standin.interact(standin.slash("config", options or {}, subcommand=sub, **kw))
    deferred = await ix.response()
    assert deferred.callback_type == DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE and deferred.ephemeral, deferred.content
    return await ix.followup()


def fields(message: RecordedRequest) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message.embed["fields"]}


async def test_config_is_refused_to_members_even_if_discord_shows_it(run_bot: RunBot, services: Services) -> None:
    async with run_bot() as (_, standin):
        assert not standin.command_visible_to("config", standin.member)
        attempts: list[tuple[str, dict[str, Any]]] = [
            ("show", {}),
            ("channel", {"mode": "off"}),
            ("helper-role", {"role": standin.helper_role}),
        ]
        for sub, options in attempts:  # as if an admin had let members see /config in Integrations
            refused = await (
                await standin.interact(standin.slash("config", options, subcommand=sub, user=standin.member))
            ).response()
            assert refused.result_ephemeral and refused.content == REFUSAL, sub
        assert services.community.channel_mode(standin.guild.id, standin.channel.id) is ChannelMode.MENTION
        assert services.community.guild(standin.guild.id).helper_role_id is None


async def test_two_servers_keep_separate_settings_and_reports(
    run_bot: RunBot, services: Services, button_id: Callable[[RecordedRequest, str], str]
) -> None:
    async with run_bot() as (_bot, standin):
        other = second(standin)
        shown = await config(standin, "channel", {"mode": "auto", "channel": standin.forum})
        assert (
            shown.content
            == f"<#{standin.forum.id}> is now `auto`: the bot answers every new forum post, or every question-looking message. Without the Message Content intent, posts are answered from their titles."
        )
        await config(standin, "helper-role", {"role": standin.helper_role})
        here = fields(await config(standin, "show"))
        assert here["Helper role (pinged on handoffs)"] == f"<@&{standin.helper_role.id}>"
        assert f"<#{standin.forum.id}> — `auto`" in here["Channels (others: `mention`)"]
        there = fields(await config(standin, "show", guild=other))
        assert there["Helper role (pinged on handoffs)"] == "not set"
        assert there["Channels (others: `mention`)"].startswith("None")

        # A role or a channel of another server is refused in one line, and nothing changes.
        ix = await standin.interact(
            standin.slash(
                "config", {"role": standin.helper_role}, subcommand="helper-role", guild=other, user=standin.moderator
            )
        )
        refused = await ix.response()
        assert refused.content == "That role is not part of this server." and refused.result_ephemeral
        assert services.community.guild(other.id).helper_role_id is None
        ix = await standin.interact(
            standin.slash(
                "config", {"mode": "off", "channel": other.forum}, subcommand="channel", user=standin.moderator
            )
        )
        refused = await ix.response()
        assert refused.result_ephemeral and refused.content is not None and "\n" not in refused.content
        assert refused.content == CHANNEL_NOT_HERE
        assert services.community.channel_mode(standin.guild.id, other.forum.id) is ChannelMode.MENTION

        # The forum answers by itself in the first server only.
        post = await standin.create_forum_post("How often should I feed a sourdough starter?", "Thanks!")
        answer = await wait_for_bot_message(standin, post.id)
        assert answer.content == AUTO_LABEL
        quiet = await standin.create_forum_post("How often should I feed a sourdough starter?", "x", forum=other.forum)
        await standin.create_forum_post("How do I build a rocket engine at home?", "x")  # a gap in server one
        await wait_for_bot_message(standin, standin.threads_in(standin.forum)[-1].id)
        assert bot_messages_in(standin, quiet.id) == []

        # Each server's moderators see their own gaps and votes.
        vote = await standin.interact(
            standin.button(button_id(answer, "Not helpful"), message=answer, user=standin.helper)
        )
        await vote.followup()
        gaps_here = await kb(standin, "gaps", {"period": "week"})
        assert gaps_here.embed["title"] == "Knowledge gaps — last 7 day(s)"
        assert "rocket" in " ".join(f["name"] for f in gaps_here.embed["fields"])
        assert (
            (await kb(standin, "gaps", {"period": "month"}, guild=other))
            .embed["description"]
            .startswith("No unanswered")
        )
        assert len((await kb(standin, "feedback", {"period": "week"})).embed["fields"]) == 1
        assert (await kb(standin, "feedback", guild=other)).embed["description"].startswith("No answers voted")


async def kb(standin: DiscordStandIn, sub: str, options: dict[str, Any] | None = None, **kw: Any) -> RecordedRequest:
    kw.setdefault("user", standin.moderator)
    ix = await standin.interact(standin.slash("kb", options or {}, subcommand=sub, **kw))
    await ix.response()
    return await ix.followup(timeout=15)


async def test_channel_modes_in_text_channels_with_the_message_content_intent(
    run_bot: RunBot, services: Services
) -> None:
    async with run_bot(intent=True) as (_bot, standin):
        assert discord.Intents._from_value(standin.connection.intents).message_content
        await config(standin, "channel", {"mode": "auto", "channel": standin.channel})
        await config(standin, "channel", {"mode": "threads", "channel": standin.other_channel})

        # auto: a question-looking message is answered inline, labelled; chatter is left alone.
        mark = standin.mark()
        await standin.send_user_message("nice weather today", channel=standin.channel)
        asked = await standin.send_user_message("How often should I feed a sourdough starter?", channel=standin.channel)
        inline = await standin.wait_for_message(standin.channel, reply_to=asked, since=mark)
        assert inline.content == AUTO_LABEL and "baking-bread" in fields(inline)["Sources"]
        assert len(bot_messages_in(standin, standin.channel.id, since=mark)) == 1

        # threads: the answer goes to a new thread started from the question.
        mark = standin.mark()
        await standin.send_user_message("What tyre pressure should a road bike run?", channel=standin.other_channel)
        thread = await standin.wait_for_request(
            lambda r: r.kind == "thread_create" or "/threads" in r.route, since=mark
        )
        answer = await standin.wait_for_message(
            predicate=lambda r: r.channel_id not in (standin.other_channel.id,), since=mark
        )
        assert thread.status in (200, 201) and answer.content == AUTO_LABEL

        # off: not even a mention is answered.
        await config(standin, "channel", {"mode": "off", "channel": standin.channel})
        mark = standin.mark()
        await standin.send_user_message(
            "How often should I feed a sourdough starter?", channel=standin.channel, mention_bot=True
        )
        chatter = await standin.send_user_message("where do I start?", channel=standin.other_channel, mention_bot=True)
        await standin.wait_for_request(lambda r: r.kind == "channel_message" or "/threads" in r.route, since=mark)
        assert bot_messages_in(standin, standin.channel.id, since=mark) == []
        assert chatter
        assert not standin.all_pings(worst_case=True).users and not standin.all_pings(worst_case=True).roles


async def test_answers_name_the_roadmap_step_only_for_members_with_a_goal(run_bot: RunBot, services: Services) -> None:
    async with run_bot() as (_, standin):
        question = {"question": "How do I proof and shape a sourdough loaf?"}
        services.roadmaps.set_goal(str(standin.member.id), "home-skills")
        services.roadmaps.set_status(str(standin.member.id), "starter", "done")
        ix = await standin.interact(standin.slash("ask", question, user=standin.member))
        await ix.response()
        with_goal = fields(await ix.followup())
        assert with_goal["On your roadmap"] == (
            "This is part of **Bake a first loaf**. This builds on Gather basic tools, which you have not marked "
            "done (`/roadmap done`)."
        )
        ix = await standin.interact(standin.slash("ask", question, user=standin.helper))
        await ix.response()
        assert "On your roadmap" not in fields(await ix.followup())


async def test_the_weekly_digest_is_posted_once_to_the_digest_channel(run_bot: RunBot, services: Services) -> None:
    async with run_bot() as (bot, standin):
        await config(standin, "digest-channel", {"channel": standin.other_channel})
        for question in ("How do I build a rocket engine at home?", "How often should I feed a sourdough starter?"):
            ix = await standin.interact(standin.slash("ask", {"question": question}))
            await ix.response()
            await ix.followup()
        poster = bot.get_cog("Community").digest  # type: ignore[union-attr]
        now = datetime.now(UTC)
        poster.clock = lambda: now
        assert await poster.run_once() == 1  # never sent: the first check posts it
        [digest] = bot_messages_in(standin, standin.other_channel.id)
        assert digest.embed["title"] == "Knowledge digest — last 7 days"
        assert digest.embed["description"].startswith("2 question(s) asked, 1 declined.")
        found = fields(digest)
        assert any("rocket" in name for name in found)
        assert "`articles/baking-bread.md` — 1×" in found["Most cited"]
        assert "`articles/telescope-astronomy.md`" in found["Never cited"]
        assert await poster.run_once() == 0  # once a week, whatever polls
        poster.clock = lambda: now + timedelta(days=7)  # past next week's slot
        assert await poster.run_once() == 1
        assert not standin.all_pings(worst_case=True).roles

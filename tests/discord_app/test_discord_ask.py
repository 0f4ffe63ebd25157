"""Questions end to end: /ask, feedback votes, abstentions, mentions (in a thread) and DMs, failures."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import discord
import pytest
from discord_standin import (
    CHANNEL_MESSAGE_WITH_SOURCE,
    DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
    DiscordStandIn,
    RecordedRequest,
)

from bot.core.errors import InvalidInput
from bot.core.service import Services
from bot.discord_app.client import RoadmapBot

ButtonId = Callable[[RecordedRequest, str], str]


async def test_ask_defers_then_answers_with_citations_and_stores_a_vote(
    env: tuple[RoadmapBot, DiscordStandIn], services: Services, button_id: ButtonId
) -> None:
    _, standin = env
    ix = await standin.interact(standin.slash("ask", {"question": "How often do I feed a sourdough starter?"}))
    deferred = await ix.response()
    assert deferred.callback_type == DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE and not deferred.ephemeral
    answer = await ix.followup()
    embed = answer.embed
    assert embed["title"] == "How often do I feed a sourdough starter?"
    assert "Feed the starter every day" in embed["description"] and "[1]" in embed["description"]
    sources = embed["fields"][0]
    assert sources["name"] == "Sources"
    assert (
        "[1] Baking sourdough bread › Keeping a starter — `articles/baking-bread.md#keeping-a-starter`"
        in (sources["value"])
    )
    # The follow-up replaced the "thinking…" message, publicly.
    assert answer.created_message is not None and int(answer.created_message["id"]) == ix.original_message_id
    assert not answer.result_ephemeral
    assert [b["emoji"]["name"] for b in answer.buttons] == ["👍", "👎"]

    vote = await standin.interact(standin.button(button_id(answer, "Helpful"), message=answer))
    assert (await vote.response()).callback_type == DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    thanks = await vote.followup()
    assert thanks.result_ephemeral and "glad it helped" in (thanks.content or "")
    again = await standin.interact(standin.button(button_id(answer, "Not helpful"), message=answer))
    assert "already voted" in ((await again.response()).content or "")
    other = await standin.interact(
        standin.button(button_id(answer, "Not helpful"), message=answer, user=standin.moderator)
    )
    await other.followup()

    mine = services.export(str(standin.member.id))
    assert mine["feedback"] == [
        {
            "question": "How often do I feed a sourdough starter?",
            "sources": ["articles/baking-bread.md#keeping-a-starter"],
            "helpful": True,
            "created_at": mine["feedback"][0]["created_at"],
        }
    ]
    assert [q["question"] for q in mine["questions"]] == ["How often do I feed a sourdough starter?"]
    assert [f["helpful"] for f in services.export(str(standin.moderator.id))["feedback"]] == [False]


async def test_abstaining_answer_is_kind_and_suggests_topics(env: tuple[RoadmapBot, DiscordStandIn]) -> None:
    _, standin = env
    ix = await standin.interact(standin.slash("ask", {"question": "What is the capital of Peru?"}))
    answer = await ix.followup()
    embed = answer.embed
    assert embed["description"].startswith("I only know about bread, bicycles and stargazing")  # the scope reply
    assert not any(f["name"] in ("Sources", "Related") for f in embed.get("fields", []))
    assert answer.buttons == []  # nothing to vote on
    question = "which shop sells the cheapest bike tyres this week"
    embed = (await (await standin.interact(standin.slash("ask", {"question": question}))).followup()).embed
    assert embed["description"].startswith("I can't check prices or stock")
    meant = {f["name"]: f["value"] for f in embed["fields"]}["Did you mean"]
    assert meant == "• How much air should my bicycle tyres have?"


async def test_private_ask_is_ephemeral_and_echoed_text_cannot_ping(env: tuple[RoadmapBot, DiscordStandIn]) -> None:
    _, standin = env
    question = f"@everyone {standin.moderator.mention} which flour for sourdough?"
    ix = await standin.interact(standin.slash("ask", {"question": question, "private": True}))
    assert (await ix.response()).ephemeral
    answer = await ix.followup()
    assert answer.result_ephemeral
    assert "strong white bread flour" in answer.embed["description"]
    assert answer.message_data.get("allowed_mentions") == {"parse": []}


async def test_cooldown_says_when_to_try_again(run_bot: Callable[..., Any]) -> None:
    async with run_bot(question_rate=(1, 60.0)) as (_, standin):
        first = await standin.interact(standin.slash("ask", {"question": "which flour?"}))
        await first.followup()
        second = await standin.interact(standin.slash("ask", {"question": "which flour again?"}))
        refused = await second.response()
        assert refused.callback_type == CHANNEL_MESSAGE_WITH_SOURCE and refused.ephemeral
        wait = re.search(r"try again in (\d+) s", refused.content or "")
        assert wait is not None and 50 <= int(wait[1]) <= 60  # a busy machine may take seconds between the two
        mention = await standin.send_user_message("and what about rye?", mention_bot=True)
        reply = await standin.wait_for_message(standin.channel, reply_to=mention)
        assert "try again in" in (reply.content or "")


async def test_mention_without_message_content_intent_is_answered_in_a_thread(
    env: tuple[RoadmapBot, DiscordStandIn],
) -> None:
    _, standin = env
    assert not discord.Intents._from_value(standin.connection.intents).message_content
    mention = await standin.send_user_message("when is the best night to look at the stars?", mention_bot=True)
    thread = await standin.wait_for_request(lambda r: r.kind == "thread_create")
    assert thread.route == f"/channels/{standin.channel.id}/messages/{mention['id']}/threads"
    assert thread.json["name"] == "when is the best night to look at the stars?"
    answer = await standin.wait_for_message(int(thread.response["id"]))
    assert "Moonless nights" in answer.embed["description"]
    assert answer.embed["title"] == "when is the best night to look at the stars?"  # the mention is stripped
    assert [b["emoji"]["name"] for b in answer.buttons] == ["👍", "👎"]

    # A mention inside the thread is answered right there, as a reply.
    follow = await standin.send_user_message(
        "and how much air for bicycle tyres?", mention_bot=True, channel=int(thread.response["id"])
    )
    reply = await standin.wait_for_message(int(thread.response["id"]), reply_to=follow)
    assert "tyre" in reply.embed["description"]
    assert len(standin.requests_of("thread_create")) == 1

    # Without the intent, a guild message that does not mention the bot arrives blank: no reply.
    mark = standin.mark()
    await standin.send_user_message("which flour should I use?")
    dm = await standin.send_dm("how much air should my bicycle tyres have?")
    dm_reply = await standin.wait_for_message(int(dm["channel_id"]), since=mark)
    assert [r for r in standin.requests[mark:] if r.kind == "channel_message"] == [dm_reply]


async def test_dm_is_answered_as_a_reply(env: tuple[RoadmapBot, DiscordStandIn]) -> None:
    _, standin = env
    dm = await standin.send_dm("which flour should I use for sourdough?")
    reply = await standin.wait_for_message(int(dm["channel_id"]), reply_to=dm)
    assert "strong white bread flour" in reply.embed["description"]
    assert reply.embed["fields"][0]["value"].startswith("[1] Which flour should I use for sourdough?")
    assert not standin.requests_of("thread_create")


async def test_empty_mention_gets_a_hint(env: tuple[RoadmapBot, DiscordStandIn]) -> None:
    _, standin = env
    mention = await standin.send_user_message("", mention_bot=True)
    reply = await standin.wait_for_message(standin.channel, reply_to=mention)
    assert "Ask me a question" in (reply.content or "")


async def test_failures_become_friendly_messages(
    run_bot: Callable[..., Any], services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(question: str, *_: Any, **__: Any) -> Future[Any]:
        failed: Future[Any] = Future()
        failed.set_exception(
            InvalidInput("That question cannot be used.") if "domain" in question else RuntimeError("index exploded")
        )
        return failed

    monkeypatch.setattr(services, "submit", broken)  # what the cog calls: the advisor's batch queue
    async with run_bot(strict=False) as (_, standin):
        ix = await standin.interact(standin.slash("ask", {"question": "anything"}))
        failed = await ix.followup()
        assert failed.content == "Something went wrong on my side. It has been logged; please try again later."
        await standin.wait_until(lambda: standin.bot_errors, description="the traceback to be logged")
        assert "RuntimeError: index exploded" in standin.bot_errors[0]

        ix = await standin.interact(standin.slash("ask", {"question": "a domain error", "private": True}))
        assert (await ix.followup()).content == "That question cannot be used."

        mention = await standin.send_user_message("anything at all", mention_bot=True)
        thread = await standin.wait_for_request(lambda r: r.kind == "thread_create")
        reply = await standin.wait_for_message(standin.channel, reply_to=mention)
        assert reply.content is not None and reply.content.startswith("Something went wrong")
        assert thread.ok
        assert len(standin.bot_errors) == 2
    assert not standin.unknown_routes and not standin.blocked_urls


async def test_mention_is_answered_inline_where_threads_are_not_allowed(
    run_bot: Callable[..., Any], standin: DiscordStandIn
) -> None:
    no_threads = discord.Permissions(
        view_channel=True,
        send_messages=True,
        embed_links=True,
        read_message_history=True,
        use_application_commands=True,
    )
    standin.set_permissions("@everyone", no_threads)
    standin.set_permissions(standin.bot_role, no_threads)
    async with run_bot():
        mention = await standin.send_user_message("which flour should I use?", mention_bot=True)
        reply = await standin.wait_for_message(standin.channel, reply_to=mention)
        assert "strong white bread flour" in reply.embed["description"]
        assert not standin.requests_of("thread_create")

"""Vote and step buttons outlive the bot: pressed after a restart (a new RoadmapBot on the same store and
stand-in), on messages the old process sent, they still work, refuse a second vote or another member,
and say so kindly when the answer's question is gone.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import timedelta

import pytest
from discord_standin import (
    CHANNEL_MESSAGE_WITH_SOURCE,
    DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
    DEFERRED_UPDATE_MESSAGE,
    DiscordStandIn,
    FakeUser,
    RecordedRequest,
)

from bot.core.service import Services
from bot.core.store import purge_questions_older_than, transaction, utcnow
from bot.core.store.models import StepStatus
from bot.discord_app.client import RoadmapBot
from bot.discord_app.failures import UNEXPECTED
from bot.discord_app.views import StepButton, VoteButton, fits, step_custom_id, vote_custom_id

ButtonId = Callable[[RecordedRequest, str], str]
RunBot = Callable[..., AbstractAsyncContextManager[tuple[RoadmapBot, DiscordStandIn]]]

VOTE_ID = re.compile(r"rb:vote:([01]):([0-9]+)")


@asynccontextmanager
async def kept_standin(standin: DiscordStandIn) -> AsyncIterator[DiscordStandIn]:
    """The stand-in outlives each bot run (it keeps the messages sent), as Discord outlives a deploy."""
    await standin.start()
    try:
        yield standin
    finally:
        await standin.stop()


async def ask(standin: DiscordStandIn, question: str, user: FakeUser | None = None) -> RecordedRequest:
    ix = await standin.interact(standin.slash("ask", {"question": question}, user=user))
    return await ix.followup()


async def press(standin: DiscordStandIn, custom_id: str, message: RecordedRequest, user: FakeUser) -> RecordedRequest:
    """Press a vote button; returns the reply the member sees (immediate, or after deferring)."""
    ix = await standin.interact(standin.button(custom_id, message=message, user=user))
    first = await ix.response()
    if first.callback_type == CHANNEL_MESSAGE_WITH_SOURCE:
        return first
    assert first.callback_type == DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE and first.ephemeral
    return await ix.followup()


async def test_votes_survive_a_restart_and_count_once_per_member(
    run_bot: RunBot, standin: DiscordStandIn, services: Services, button_id: ButtonId
) -> None:
    async with kept_standin(standin):
        async with run_bot() as (first_bot, _):
            answer = await ask(standin, "How often do I feed a sourdough starter?")
            helpful, unhelpful = button_id(answer, "Helpful"), button_id(answer, "Not helpful")
            found = VOTE_ID.fullmatch(helpful)
            assert found is not None and found[1] == "1" and unhelpful == f"rb:vote:0:{found[2]}"
            thanks = await press(standin, helpful, answer, standin.member)
            assert "glad it helped" in (thanks.content or "")

        async with run_bot() as (second_bot, _):  # a deploy: new process, same database, old messages
            assert second_bot is not first_bot and not second_bot.recent_votes._keys
            late = await press(standin, unhelpful, answer, standin.moderator)
            assert late.result_ephemeral and "improve the knowledge base" in (late.content or "")
            # The member voted before the restart: the store remembers, not the process.
            again = await press(standin, unhelpful, answer, standin.member)
            assert again.result_ephemeral and "already voted" in (again.content or "")
            # A repeat within this process is refused at once, without deferring.
            quick = await press(standin, helpful, answer, standin.moderator)
            assert quick.callback_type == CHANNEL_MESSAGE_WITH_SOURCE and "already voted" in (quick.content or "")

    sources = ["articles/baking-bread.md#keeping-a-starter"]
    member = services.export(str(standin.member.id))["feedback"]
    assert [(f["question"], f["sources"], f["helpful"]) for f in member] == [
        ("How often do I feed a sourdough starter?", sources, True)
    ]
    moderator = services.export(str(standin.moderator.id))["feedback"]
    assert [(f["question"], f["sources"], f["helpful"]) for f in moderator] == [
        ("How often do I feed a sourdough starter?", sources, False)
    ]
    assert not standin.bot_errors


async def test_votes_on_forgotten_or_purged_questions_are_declined_kindly(
    run_bot: RunBot, standin: DiscordStandIn, services: Services, button_id: ButtonId
) -> None:
    async with kept_standin(standin):
        async with run_bot():
            forgotten = await ask(standin, "Which flour should I use for sourdough?", user=standin.moderator)
            services.forget(str(standin.moderator.id))  # the asker used /privacy forget
        async with run_bot():
            declined = await press(standin, button_id(forgotten, "Helpful"), forgotten, standin.member)
            assert "this answer is too old to rate" in (declined.content or "") and declined.result_ephemeral
            # Not remembered as a vote: pressing again gets the same kind answer, not "already voted".
            again = await press(standin, button_id(forgotten, "Not helpful"), forgotten, standin.member)
            assert "too old to rate" in (again.content or "")

            purged = await ask(standin, "How much air should my bicycle tyres have?", user=standin.moderator)
            with transaction(services.engine) as session:  # the retention period passed
                assert purge_questions_older_than(0, session=session, now=utcnow() + timedelta(seconds=1)) == 1
            declined = await press(standin, button_id(purged, "Not helpful"), purged, standin.member)
            assert "too old to rate" in (declined.content or "")
    assert services.export(str(standin.member.id))["feedback"] == []


async def test_step_buttons_survive_a_restart_and_answer_only_their_owner(
    run_bot: RunBot, standin: DiscordStandIn, services: Services, button_id: ButtonId
) -> None:
    services.roadmaps.set_goal(str(standin.member.id), "home-skills")
    async with kept_standin(standin):
        async with run_bot():
            ix = await standin.interact(standin.slash("roadmap", {"share": True}, subcommand="next"))
            shown = await ix.followup()
            done = button_id(shown, "Done: Gather")
            assert done == f"rb:step:done:{standin.member.id}:tools"
            assert button_id(shown, "Start: Gather") == f"rb:step:start:{standin.member.id}:tools"

        async with run_bot():
            intruder = await standin.interact(standin.button(done, message=shown, user=standin.moderator))
            refusal = await intruder.response()
            assert refusal.ephemeral and "belong to the member who asked" in (refusal.content or "")
            assert services.export(str(standin.moderator.id))["progress"] == []

            pressed = await standin.interact(standin.button(done, message=shown, user=standin.member))
            assert (await pressed.response()).callback_type == DEFERRED_UPDATE_MESSAGE
            edited = await pressed.original_edit()
            assert (edited.content or "").startswith("**Gather basic tools** (`tools`): to do → done.")
            assert "Done: Gather basic tools" not in [b["label"] for b in edited.buttons]
            progress = services.export(str(standin.member.id))["progress"]
            assert [(p["step"], p["status"]) for p in progress] == [("tools", "done")]

            # The new buttons on the edited message are persistent too.
            start = button_id(edited, "Start: Grow")
            assert start == f"rb:step:start:{standin.member.id}:starter"
            again = await standin.interact(standin.button(start, message=edited))
            assert "(`starter`): to do → in progress." in ((await again.original_edit()).content or "")
    assert not standin.bot_errors


async def test_a_failing_vote_is_reported_and_can_be_retried(
    run_bot: RunBot, services: Services, button_id: ButtonId, monkeypatch: pytest.MonkeyPatch
) -> None:
    """discord.py only logs a dynamic item's exceptions; the member must still hear that it failed."""
    real_vote = services.vote

    def broken(*_: object) -> object:
        raise RuntimeError("database on fire")

    async with run_bot(strict=False) as (_, standin):
        answer = await ask(standin, "Which flour should I use for sourdough?")
        monkeypatch.setattr(services, "vote", broken)
        failed = await press(standin, button_id(answer, "Helpful"), answer, standin.member)
        assert failed.content == UNEXPECTED and failed.result_ephemeral
        await standin.wait_until(lambda: standin.bot_errors, description="the traceback to be logged")
        assert "RuntimeError: database on fire" in standin.bot_errors[0]
        monkeypatch.setattr(services, "vote", real_vote)
        retried = await press(standin, button_id(answer, "Helpful"), answer, standin.member)
        assert "glad it helped" in (retried.content or "")
    assert [f["helpful"] for f in services.export(str(standin.member.id))["feedback"]] == [True]


def test_custom_ids_fit_discord_and_parse_back() -> None:
    """Snowflakes have at most 20 digits and step ids at most 64 characters: every step button fits in 100."""
    longest = step_custom_id(2**64 - 1, "a" * 64, StepStatus.IN_PROGRESS)
    assert len(longest) <= 100 and fits(longest, StepButton)
    assert fits(step_custom_id(7, "first-loaf", StepStatus.DONE), StepButton)
    assert not fits(step_custom_id(7, "a" * 90, StepStatus.DONE), StepButton)  # too long: no button
    assert not fits(step_custom_id(7, "Not A Slug", StepStatus.DONE), StepButton)
    assert fits(vote_custom_id(2**63 - 1, True), VoteButton) and vote_custom_id(12, False) == "rb:vote:0:12"
    assert not fits("rb:vote:2:12", VoteButton)

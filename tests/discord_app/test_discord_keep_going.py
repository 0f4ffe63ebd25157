"""Keeping members going, end to end through the loopback Discord: a reminder DM at the due time (the
clock is the test's), sent once however many bots check, closed DMs turning reminders off with a note
at the member's next command; today, streak, notes, the card as an attachment, review reminders, and
the leaderboard and peers showing only members who opted in."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from discord_standin import (
    DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
    DEFERRED_UPDATE_MESSAGE,
    DiscordStandIn,
    FakeUser,
    RecordedRequest,
    running_bot,
)
from PIL import Image

from bot.core.service import Services
from bot.core.store import open_store
from bot.discord_app.client import RoadmapBot
from bot.discord_app.engagement_render import DM_NOTICE
from bot.settings import Settings
from bot.wiring import make_advisor

ButtonId = Callable[[RecordedRequest, str], str]
RunBot = Callable[..., Any]
START = datetime(2030, 1, 9, 12, 0, tzinfo=UTC)  # a Wednesday; 13:00 in Paris


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def clocked_services(settings: Settings, embedder: Any, clock: Clock) -> Services:
    return Services(
        make_advisor(settings, embedder),
        open_store(settings.database_url),
        default_timezone=settings.default_timezone,
        clock=clock,
    )


@pytest.fixture
def services(settings: Settings, embedder: Any, clock: Clock) -> Iterator[Services]:
    """The bot's services, on the test's clock (overrides the shared fixture for this module)."""
    built = clocked_services(settings, embedder, clock)
    yield built
    built.close()


async def roadmap(
    standin: DiscordStandIn, sub: str, options: dict[str, object] | None = None, **kw: Any
) -> RecordedRequest:
    """Run `/roadmap sub`, check it deferred, return its follow-up."""
    ix = await standin.interact(standin.slash("roadmap", options or {}, subcommand=sub, **kw))
    assert (await ix.response()).callback_type == DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    return await ix.followup()


async def sent_dms(standin: DiscordStandIn, user: FakeUser, count: int = 1) -> list[RecordedRequest]:
    return await standin.wait_until(
        lambda: standin.dm_messages(user) if len(standin.dm_messages(user)) >= count else None,
        description=f"{count} DM(s) to {user.username}",
    )


async def test_a_reminder_dm_arrives_at_the_due_time_with_buttons(
    run_bot: RunBot, clock: Clock, services: Services, button_id: ButtonId
) -> None:
    async with run_bot(reminder_seconds=3600, reminder_spacing=0) as (bot, standin):
        member = standin.member
        zones = await (
            await standin.interact(standin.autocomplete("roadmap", "timezone", "paris", subcommand="remind"))
        ).response()
        assert zones.choices == [{"name": "Europe/Paris", "value": "Europe/Paris"}]
        await roadmap(standin, "goal", {"roadmap": "home-skills", "target_date": "2030-03-10"})
        settings = await roadmap(standin, "remind", {"cadence": "daily", "time": "18:30", "timezone": "Europe/Paris"})
        assert settings.result_ephemeral and settings.content is not None
        assert "every day at 18:30 (Europe/Paris)" in settings.content
        assert "Next one: Wednesday 2030-01-09 18:30" in settings.content

        assert await bot.reminders.run_once() == 0  # 13:00 in Paris: not yet
        assert standin.dm_messages(member) == []
        clock.now = datetime(2030, 1, 9, 17, 30, tzinfo=UTC)  # 18:30 in Paris
        await bot.reminders.run_once()
        [dm] = await sent_dms(standin, member)
        assert dm.status == 200 and dm.content is not None
        assert dm.content.startswith("⏰ **Your roadmap reminder**")
        assert "60 days left until your target date 2030-03-10" in dm.content
        assert "**Next steps: Home skills**" in dm.content and "`/roadmap remind`" in dm.content
        assert [b["label"] for b in dm.buttons][:2] == ["Start: Gather basic tools", "Done: Gather basic tools"]

        press = await standin.interact(standin.button(button_id(dm, "Done: Gather"), message=dm, user=member))
        assert (await press.response()).callback_type == DEFERRED_UPDATE_MESSAGE
        edited = await press.original_edit()
        assert "**Gather basic tools** (`tools`): to do → done." in (edited.content or "")
        assert [(p["step"], p["status"]) for p in services.export(str(member.id))["progress"]] == [("tools", "done")]

        assert await bot.reminders.run_once() == 0  # the next one is tomorrow
        clock.now += timedelta(days=1)
        await bot.reminders.run_once()
        await sent_dms(standin, member, 2)


async def test_two_bots_checking_at_once_send_a_due_reminder_once(
    run_bot: RunBot, make_bot: Callable[..., RoadmapBot], settings: Settings, embedder: Any, clock: Clock
) -> None:
    """Two bot processes (own services and engine each) on one database and one Discord."""
    second_services = clocked_services(settings, embedder, clock)
    try:
        async with run_bot(reminder_seconds=3600, reminder_spacing=0) as (first, standin):
            configured = settings.model_copy(update={"discord_guild_id": standin.guild.id})

            def second_bot() -> RoadmapBot:
                return RoadmapBot(configured, second_services, reminder_seconds=3600, reminder_spacing=0)

            async with running_bot(second_bot, standin, capture_loggers=("discord", "bot")) as (second, _):
                members = [standin.member, standin.moderator, standin.owner]
                for user in members:
                    first.services.roadmaps.set_goal(str(user.id), "home-skills")
                    first.services.engagement.set_reminders(str(user.id), "daily", "12:30", "UTC")
                clock.now = datetime(2030, 1, 9, 12, 30, tzinfo=UTC)
                claimed = await asyncio.gather(first.reminders.run_once(), second.reminders.run_once())
                assert sum(claimed) == len(members)
                for user in members:
                    await sent_dms(standin, user)
                assert await first.reminders.run_once() + await second.reminders.run_once() == 0
                assert [len(standin.dm_messages(u)) for u in members] == [1, 1, 1]
    finally:
        second_services.close()


async def test_closed_dms_turn_reminders_off_and_the_member_is_told_next_time(
    run_bot: RunBot, clock: Clock, services: Services
) -> None:
    async with run_bot(reminder_seconds=3600, reminder_spacing=0) as (bot, standin):
        member = standin.member
        standin.close_dms(member)
        await roadmap(standin, "goal", {"roadmap": "home-skills"})
        await roadmap(standin, "remind", {"cadence": "weekly", "time": "08:00", "timezone": "UTC", "day": "friday"})
        clock.now = datetime(2030, 1, 11, 8, 0, tzinfo=UTC)
        await bot.reminders.run_once()
        [failed] = await sent_dms(standin, member)
        assert failed.status == 403 and failed.response["code"] == 50007
        assert services.engagement.reminder_settings(str(member.id)).cadence.value == "off"

        ix = await standin.interact(standin.slash("roadmap", {}, subcommand="next"))
        await ix.followup()
        notice = await ix.followup(1)
        assert notice.ephemeral and notice.content == DM_NOTICE
        assert services.engagement.take_dm_notice(str(member.id)) is False  # told once: the flag is gone
        again = await standin.interact(standin.slash("roadmap", {}, subcommand="next"))
        await again.followup()

        clock.now += timedelta(days=7)
        assert await bot.reminders.run_once() == 0
        status = await roadmap(standin, "remind")
        assert "Reminders are off" in (status.content or "") and "couldn't DM you" in (status.content or "")
    assert [r.content for r in standin.requests_of("followup")].count(DM_NOTICE) == 1


async def test_review_marks_done_and_sends_a_spaced_reminder(
    run_bot: RunBot, clock: Clock, button_id: ButtonId
) -> None:
    async with run_bot(reminder_seconds=3600, reminder_spacing=0) as (bot, standin):
        reply = await roadmap(standin, "review", {"step": "tools", "days": 3})
        assert reply.content is not None and "to do → done, to review." in reply.content
        assert "A review reminder is set for 2030-01-12." in reply.content
        clock.now += timedelta(days=3)
        await bot.reminders.run_once()
        [dm] = await sent_dms(standin, standin.member)
        assert "Time to review Gather basic tools" in (dm.content or "") and "in 6 days" in (dm.content or "")
        assert [b["label"] for b in dm.buttons] == ["Done: Gather basic tools"]


async def test_today_streak_notes_and_the_card(
    env: tuple[RoadmapBot, DiscordStandIn], services: Services, clock: Clock
) -> None:
    _, standin = env
    member = str(standin.member.id)
    await roadmap(standin, "goal", {"roadmap": "home-skills", "target_date": "2030-02-06"})
    today = await roadmap(standin, "today")
    assert today.result_ephemeral and today.content is not None
    assert today.content.startswith("📌 **Today: 35 min** on **Gather basic tools** (`tools`)")
    assert "Start: Which tools you need" in today.content and "pace your target date 2030-02-06 needs" in today.content

    saved = await roadmap(standin, "note", {"step": "tools", "text": "Borrow from <@1> https://example.org **x**"})
    assert saved.result_ephemeral and saved.content is not None
    assert saved.content.startswith("Saved your note on **Gather basic tools** (`tools`)")
    assert "\\*\\*x\\*\\*" in saved.content and "<@1>" not in saved.content
    shown = await roadmap(standin, "note", {"step": "tools"})
    assert "https://example.org" in (shown.content or "")
    nxt = await roadmap(standin, "next")
    assert "📝 Your note: Borrow from" in (nxt.content or "")
    assert [n["text"] for n in services.export(member)["notes"]] == ["Borrow from <@1> https://example.org **x**"]

    await roadmap(standin, "start", {"step": "tools"})
    clock.now += timedelta(days=1)
    await roadmap(standin, "done", {"step": "tools"})
    streak = await roadmap(standin, "streak")
    assert streak.content is not None and streak.content.startswith("🔥 **Streak: 2 days** · best 2 days")
    assert "🟩" in streak.content and streak.result_ephemeral

    card = await roadmap(standin, "card")
    assert card.result_ephemeral and [f.filename for f in card.files] == ["roadmap-card.png"]
    image = Image.open(io.BytesIO(card.files[0].data))
    assert image.format == "PNG" and image.size == (1200, 630)
    shared = await roadmap(standin, "card", {"share": True})
    assert not shared.result_ephemeral and shared.files

    cleared = await roadmap(standin, "note", {"step": "tools", "clear": True})
    assert cleared.content == "Your note on **Gather basic tools** (`tools`) is removed."
    services.forget(member)
    data = services.export(member)
    assert data["notes"] == [] and data["activity"] == [] and data["settings"] is None


async def test_the_leaderboard_shows_only_members_who_opted_in(
    env: tuple[RoadmapBot, DiscordStandIn], services: Services
) -> None:
    _, standin = env
    member, moderator, owner = standin.member, standin.moderator, standin.owner
    services.roadmaps.set_status(str(member.id), "tools", "done")
    for step in ("tools", "starter"):
        services.roadmaps.set_status(str(moderator.id), step, "done")
    services.roadmaps.set_status(str(owner.id), "starter", "done")  # never opts in

    empty = await roadmap(standin, "leaderboard")
    assert "Nobody has joined yet" in (empty.content or "") and "You're not on it" in (empty.content or "")
    joined = await roadmap(standin, "leaderboard", {"join": True})
    assert joined.content is not None and joined.content.startswith("You're on the leaderboard of this server.")
    assert f"1. <@{member.id}> · 2 h · 1 steps" in joined.content
    assert str(moderator.id) not in joined.content and str(owner.id) not in joined.content

    await roadmap(standin, "leaderboard", {"join": True}, user=moderator)
    board = await roadmap(standin, "leaderboard", {"share": True})
    assert not board.result_ephemeral and board.content is not None
    assert board.content.index(str(moderator.id)) < board.content.index(str(member.id))  # 7 h before 2 h
    assert str(owner.id) not in board.content
    left = await roadmap(standin, "leaderboard", {"join": False}, user=moderator)
    assert str(moderator.id) not in (left.content or "").split("\n", 1)[1]

    # In a DM (as with globally synced commands) there is no server whose leaderboard it could be.
    dm = standin.slash("roadmap", {}, subcommand="leaderboard", guild=False, require_synced=False)
    refused = await (await standin.interact(dm)).response()
    assert refused.ephemeral and refused.content is not None and "belong to a server" in refused.content


async def test_peers_lists_opted_in_members_on_the_same_step_and_opens_a_study_thread(
    env: tuple[RoadmapBot, DiscordStandIn], services: Services, button_id: ButtonId
) -> None:
    _, standin = env
    member, moderator, owner = standin.member, standin.moderator, standin.owner
    for user in (member, moderator, owner):
        services.roadmaps.set_status(str(user.id), "starter", "start")
    hidden = await roadmap(standin, "peers")
    assert "Join with `/roadmap peers join:True`" in (hidden.content or "") and hidden.buttons == []
    await roadmap(standin, "peers", {"join": True}, user=moderator)
    found = await roadmap(standin, "peers", {"join": True})
    assert found.result_ephemeral and found.content is not None
    assert f"Working on **Grow a sourdough starter** (`starter`) too: <@{moderator.id}>." in found.content
    assert str(owner.id) not in found.content  # started too, but never opted in

    press = await standin.interact(standin.button(button_id(found, "Open a study thread"), message=found))
    edited = await press.original_edit()
    [created] = standin.requests_of("thread_create")
    thread_id = int(created.response["id"])
    assert created.json["name"] == "Study: Grow a sourdough starter"
    intro = await standin.wait_for_message(thread_id)
    assert f"<@{moderator.id}>" in (intro.content or "") and f"opened by <@{member.id}>" in (intro.content or "")
    assert intro.json.get("allowed_mentions", {}).get("parse") == []  # listed, never pinged
    assert f"Opened <#{thread_id}>." in (edited.content or "") and edited.buttons == []


async def test_asking_a_question_counts_as_a_day_of_activity(env: tuple[RoadmapBot, DiscordStandIn]) -> None:
    _, standin = env
    ix = await standin.interact(standin.slash("ask", {"question": "How often do I feed a sourdough starter?"}))
    await ix.followup()
    streak = await roadmap(standin, "streak")
    assert streak.content is not None and "**Streak: 1 day**" in streak.content and "active today" in streak.content


async def test_after_downtime_the_missed_reminder_is_sent_once_when_the_bot_starts(
    run_bot: RunBot, standin: DiscordStandIn, clock: Clock, services: Services
) -> None:
    """Due times live in the database: a new process finds them, and its start-up check sends what
    was missed once (not once per missed day), without anyone calling it."""
    member = str(standin.member.id)
    await standin.start()  # Discord outlives the deploy; it keeps the DMs sent
    try:
        async with run_bot(reminder_seconds=3600, reminder_spacing=0):
            services.roadmaps.set_goal(member, "home-skills")
            services.engagement.set_reminders(member, "daily", "12:30", "UTC")
        clock.now += timedelta(days=4)  # down for four days: four reminders were missed
        async with run_bot(reminder_seconds=3600, reminder_spacing=0) as (bot, _):
            [dm] = await sent_dms(standin, standin.member)
            assert (dm.content or "").startswith("(Sent late: I was offline when this was due.)")
            assert await bot.reminders.run_once() == 0
        assert len(standin.dm_messages(standin.member)) == 1
        assert services.engagement.reminder_settings(member).next_at == datetime(2030, 1, 13, 12, 30, tzinfo=UTC)
    finally:
        await standin.stop()

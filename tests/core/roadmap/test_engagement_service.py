"""The engagement service over a real store, on SQLite and PostgreSQL: reminders scheduled, claimed,
delivered and moved on (missed ones sent once), closed DMs turning reminders off with one notice,
spaced reviews, activity days from progress and questions, notes, and opt-in-only community lists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bot.core.engagement.schemas import Cadence, Feature
from bot.core.engagement.service import EngagementService
from bot.core.errors import InvalidInput, NotFound
from bot.core.knowledge.models import Roadmap
from bot.core.roadmap.errors import NoGoal
from bot.core.roadmap.service import RoadmapService
from bot.core.store import export_user, forget_user, reading, transaction
from bot.core.store.models import StepStatus

START = datetime(2030, 1, 9, 12, 0, tzinfo=UTC)  # a Wednesday, 13:00 in Paris


class Clock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def services(engine: Engine, build: Callable[..., Roadmap], clock: Clock) -> tuple[RoadmapService, EngagementService]:
    roadmap = build("road", [("basics", []), ("tools", []), ("project", ["basics", "tools"])], hours=6)
    roadmaps = RoadmapService(engine, lambda: [roadmap], clock=clock, default_timezone="Europe/Paris")
    return roadmaps, EngagementService(engine, roadmaps, clock=clock, default_timezone="Europe/Paris")


def test_a_daily_reminder_is_due_at_local_time_and_then_moves_to_the_next_day(
    services: tuple[RoadmapService, EngagementService], clock: Clock
) -> None:
    roadmaps, engagement = services
    roadmaps.set_goal("ann", "road", target_date=date(2030, 2, 8))
    settings = engagement.set_reminders("ann", "daily", "18:30", "Europe/Paris")
    assert settings.cadence is Cadence.DAILY and settings.time == "18:30" and settings.timezone == "Europe/Paris"
    assert settings.next_at == datetime(2030, 1, 9, 17, 30, tzinfo=UTC)
    assert engagement.claim_due("w1") == []  # not yet
    clock.now = datetime(2030, 1, 9, 17, 30, tzinfo=UTC)
    [due] = engagement.claim_due("w1")
    assert engagement.claim_due("w2") == []  # claimed: nobody else gets it
    message = engagement.message(due)
    assert message is not None and not message.late and message.next_steps is not None
    assert [s.id for s in message.next_steps.steps] == ["basics", "tools"]
    assert message.days_left == 30 and message.hours_per_week is not None
    engagement.delivered(due, "w1")
    assert engagement.reminder_settings("ann").next_at == datetime(2030, 1, 10, 17, 30, tzinfo=UTC)
    assert engagement.claim_due("w1") == []


def test_reminders_missed_during_downtime_are_sent_once_at_start(
    services: tuple[RoadmapService, EngagementService], clock: Clock
) -> None:
    roadmaps, engagement = services
    for member in ("ann", "bob"):
        roadmaps.set_goal(member, "road")
        engagement.set_reminders(member, "daily", "09:00")
    clock.advance(days=5)  # the bot was off for five days: five reminders each were missed
    due = engagement.claim_due("w1")
    assert sorted(d.user_id for d in due) == ["ann", "bob"] and all(d.late for d in due)
    for item in due:
        engagement.delivered(item, "w1")
    assert engagement.claim_due("w1") == []  # once, not five times
    assert engagement.reminder_settings("ann").next_at == datetime(2030, 1, 15, 8, tzinfo=UTC)


def test_a_weekly_reminder_and_turning_reminders_off(
    services: tuple[RoadmapService, EngagementService], clock: Clock
) -> None:
    _, engagement = services
    weekly = engagement.set_reminders("ann", "weekly", "08:00", "America/New_York", "monday")
    assert weekly.weekday == 0 and weekly.next_local is not None
    assert weekly.next_local.isoformat() == "2030-01-14T08:00:00-05:00"
    off = engagement.set_reminders("ann", "off")
    assert off.cadence is Cadence.OFF and off.next_at is None and off.timezone == "America/New_York"
    clock.advance(days=30)
    assert engagement.claim_due("w1") == []
    for bad in (("hourly",), ("daily", "7pm"), ("daily", "18:00", "Mars/Base"), ("weekly", None, None, "someday")):
        with pytest.raises(InvalidInput):
            engagement.set_reminders("ann", *bad)  # type: ignore[arg-type]


def test_a_member_with_no_goal_gets_no_reminder_text_but_keeps_the_schedule(
    services: tuple[RoadmapService, EngagementService], clock: Clock
) -> None:
    _, engagement = services
    engagement.set_reminders("cat", "daily", "13:30")
    clock.advance(hours=1)
    [due] = engagement.claim_due("w1")
    assert engagement.message(due) is None
    engagement.delivered(due, "w1")
    assert engagement.reminder_settings("cat").next_at == datetime(2030, 1, 10, 12, 30, tzinfo=UTC)


def test_closed_dms_turn_reminders_off_and_leave_one_notice(
    services: tuple[RoadmapService, EngagementService], clock: Clock
) -> None:
    roadmaps, engagement = services
    roadmaps.set_goal("ann", "road")
    engagement.set_reminders("ann", "daily", "13:30")
    roadmaps.set_status("ann", "basics", "review", review_days=3)
    clock.advance(hours=1)
    [due] = engagement.claim_due("w1")
    engagement.undeliverable(due, "w1")
    settings = engagement.reminder_settings("ann")
    assert settings.cadence is Cadence.OFF and settings.dm_failed_at == clock.now and settings.reviews == 0
    assert engagement.take_dm_notice("ann") is True
    assert engagement.take_dm_notice("ann") is False  # told once
    clock.advance(days=10)
    assert engagement.claim_due("w1") == []
    engagement.set_reminders("ann", "daily")  # back on: the failure is forgotten
    assert engagement.reminder_settings("ann").dm_failed_at is None


def test_an_abandoned_claim_is_taken_over_after_its_lease(
    services: tuple[RoadmapService, EngagementService], clock: Clock
) -> None:
    _, engagement = services
    engagement.set_reminders("ann", "daily", "13:30")
    clock.advance(hours=1)
    [first] = engagement.claim_due("crashed")
    assert engagement.claim_due("w2") == []
    clock.advance(minutes=11)
    [again] = engagement.claim_due("w2")
    assert again.id == first.id
    engagement.delivered(first, "crashed")  # the old holder finishing late changes nothing
    engagement.delivered(again, "w2")
    assert engagement.reminder_settings("ann").next_at == datetime(2030, 1, 10, 12, 30, tzinfo=UTC)


def test_review_schedules_a_spaced_reminder_and_other_statuses_cancel_it(
    services: tuple[RoadmapService, EngagementService], clock: Clock
) -> None:
    roadmaps, engagement = services
    change = roadmaps.set_status("ann", "basics", "review", review_days=3)
    assert change.status is StepStatus.REVIEW and change.review_at == START + timedelta(days=3)
    assert roadmaps.progress("ann").done == 1  # a step to review is done: it unblocks what builds on it
    clock.advance(days=3)
    [due] = engagement.claim_due("w1")
    message = engagement.message(due)
    assert message is not None and message.review is not None and message.review.id == "basics"
    engagement.delivered(due, "w1")
    assert engagement.claim_due("w1") == []
    clock.advance(days=6)  # spaced: twice the interval
    [again] = engagement.claim_due("w1")
    assert again.interval_days == 6
    engagement.delivered(again, "w1")
    roadmaps.set_status("ann", "basics", "done")
    clock.advance(days=100)
    assert engagement.claim_due("w1") == []
    with pytest.raises(InvalidInput):
        roadmaps.set_status("ann", "tools", "review", review_days=0)


def test_activity_days_come_from_progress_changes_in_the_members_time_zone(
    services: tuple[RoadmapService, EngagementService], clock: Clock
) -> None:
    roadmaps, engagement = services
    roadmaps.set_status("ann", "basics", "start")
    clock.now = datetime(2030, 1, 9, 23, 30, tzinfo=UTC)  # already Thursday in Paris
    roadmaps.set_status("ann", "basics", "done")
    roadmaps.set_status("ann", "basics", "done")  # no change, no activity
    report = engagement.streak("ann")
    assert report.today == date(2030, 1, 10) and report.current == 2 and report.active_today
    engagement.set_reminders("ann", "off", timezone="America/Los_Angeles")
    assert engagement.streak("ann").today == date(2030, 1, 9)


def test_today_picks_one_thing_and_needs_a_goal(services: tuple[RoadmapService, EngagementService]) -> None:
    roadmaps, engagement = services
    with pytest.raises(NoGoal):
        engagement.today("ann")
    roadmaps.set_goal("ann", "road", target_date=date(2030, 2, 6))
    plan = engagement.today("ann")
    assert plan.step is not None and plan.step.id == "basics" and plan.item == "basics things"
    assert plan.paced_by_target and plan.hours_per_week == 4.5 and plan.minutes == 40
    for step in ("basics", "tools", "project"):
        roadmaps.set_status("ann", step, "done")
    assert engagement.today("ann").complete


def test_notes_are_private_shown_with_the_step_exported_and_forgotten(
    services: tuple[RoadmapService, EngagementService], engine: Engine
) -> None:
    roadmaps, engagement = services
    roadmaps.set_goal("ann", "road")
    saved = engagement.note("ann", "tools", "  see https://example.org/tools \u202e \n and the book  ")
    assert saved.saved and saved.text == "see https://example.org/tools  \n and the book"
    assert engagement.note("ann", "Tools").text == saved.text  # by title too
    assert next(s for s in roadmaps.next_steps("ann").steps if s.id == "tools").note == saved.text
    assert engagement.today("ann").note is None  # today is about basics
    roadmaps.set_goal("bob", "road")
    assert engagement.note("bob", "tools").text is None
    with pytest.raises(InvalidInput):
        engagement.note("ann", "tools", "x" * 1001)
    with pytest.raises(InvalidInput):
        engagement.note("ann", "tools", "bell \x07")
    with pytest.raises(NotFound):
        engagement.note("ann", "nope", "text")
    with reading(engine) as session:
        exported = export_user("ann", session=session)
    assert [(n["step"], n["text"]) for n in exported["notes"]] == [("tools", saved.text)]
    assert exported["activity"] and exported["activity"][0]["events"] == 1
    with transaction(engine) as session:
        counts = forget_user("ann", session=session)
    assert counts.step_notes == 1 and counts.activity_days == 1
    with reading(engine) as session:
        gone = export_user("ann", session=session)
    assert gone["notes"] == [] and gone["activity"] == [] and gone["settings"] is None
    assert engagement.note("bob", "tools", clear=True).cleared is False


def test_the_leaderboard_lists_only_members_who_opted_in_on_that_server(
    services: tuple[RoadmapService, EngagementService],
) -> None:
    roadmaps, engagement = services
    for member, steps in (("ann", ["basics"]), ("bob", ["basics", "tools", "project"]), ("cat", ["tools"])):
        for step in steps:
            roadmaps.set_status(member, step, "done")
    roadmaps.set_status("cat", "basics", "skip")  # skipping is not learning: no points
    assert engagement.leaderboard("guild-1", "ann").entries == []
    assert engagement.set_opt_in("ann", "guild-1", Feature.LEADERBOARD, True).changed
    assert not engagement.set_opt_in("ann", "guild-1", "leaderboard", True).changed
    engagement.set_opt_in("cat", "guild-1", Feature.LEADERBOARD, True)
    engagement.set_opt_in("bob", "guild-2", Feature.LEADERBOARD, True)  # another server
    board = engagement.leaderboard("guild-1", "ann")
    assert [(e.user_id, e.points, e.steps, e.rank) for e in board.entries] == [("ann", 6, 1, 1), ("cat", 6, 1, 2)]
    assert board.you_opted_in and board.your_rank == 1 and board.members == 2
    assert not engagement.leaderboard("guild-1", "bob").you_opted_in
    assert [e.user_id for e in engagement.leaderboard("guild-2", "bob").entries] == ["bob"]
    engagement.set_opt_in("ann", "guild-1", Feature.LEADERBOARD, False)
    assert [e.user_id for e in engagement.leaderboard("guild-1", "ann").entries] == ["cat"]


def test_peers_are_opted_in_members_with_the_step_in_progress(
    services: tuple[RoadmapService, EngagementService],
) -> None:
    roadmaps, engagement = services
    for member in ("ann", "bob", "cat", "dan"):
        roadmaps.set_status(member, "tools", "start")
    roadmaps.set_status("dan", "tools", "done")
    hidden = engagement.peers("ann", "g")
    assert not hidden.opted_in and hidden.peers == []  # only those who opted in see (and are seen)
    for member in ("ann", "bob", "dan"):
        engagement.set_opt_in(member, "g", Feature.PEERS, True)
    found = engagement.peers("ann", "g")
    assert found.step is not None and found.step.id == "tools" and found.peers == ["bob"]  # cat never opted in
    assert engagement.peers("ann", "g", "basics").peers == []
    assert engagement.peers("ann", "other-server").opted_in is False

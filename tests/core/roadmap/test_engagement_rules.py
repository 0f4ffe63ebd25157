"""The pure rules behind keeping members going: streaks and the weekly freeze, reminder times in
members' time zones (DST included), parsing what members type, and today's step sized to the pace."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.engagement.schedule import next_occurrence, parse_time, parse_weekday, zone
from bot.core.engagement.schemas import Cadence
from bot.core.engagement.streaks import report
from bot.core.engagement.today import plan, session_minutes
from bot.core.errors import InvalidInput
from bot.core.roadmap.schemas import NextStep, NextSteps, Progress, StepState
from bot.core.store.models import StepStatus

WEDNESDAY = date(2030, 1, 9)  # 2030-01-07 is a Monday


def active(*days: date) -> dict[date, int]:
    return dict.fromkeys(days, 1)


def back(n: int, today: date = WEDNESDAY) -> date:
    return today - timedelta(days=n)


def test_a_streak_counts_days_in_a_row_and_today_does_not_break_it_before_it_ends() -> None:
    days = active(back(0), back(1), back(2))
    assert (report("u", days, WEDNESDAY).current, report("u", days, WEDNESDAY).best) == (3, 3)
    yesterday_only = report("u", active(back(1), back(2)), WEDNESDAY)
    assert yesterday_only.current == 2 and not yesterday_only.active_today
    assert report("u", {}, WEDNESDAY).current == 0


def test_one_missed_day_a_week_is_frozen_over_two_are_not() -> None:
    # Mon and Wed active, Tue missed: this week's freeze bridges Tuesday.
    bridged = report("u", active(back(2), back(0)), WEDNESDAY)
    assert bridged.current == 2 and bridged.frozen_days == [back(1)] and bridged.freeze_used_this_week
    # Two missed days in a row end it.
    broken = report("u", active(back(3), back(0)), WEDNESDAY)
    assert broken.current == 1 and broken.best == 1 and broken.frozen_days == []
    # A second single gap in the same week is not bridged: the freeze is spent.
    sunday = date(2030, 1, 13)
    week = active(date(2030, 1, 7), date(2030, 1, 9), date(2030, 1, 11), date(2030, 1, 12), sunday)
    second = report("u", week, sunday)
    assert second.current == 3 and second.best == 3  # Fri-Sun; Thursday's gap could not be frozen
    # Gaps in different weeks each get their week's freeze.
    two_weeks = active(date(2030, 1, 5), date(2030, 1, 7), date(2030, 1, 8), date(2030, 1, 10))
    spread = report("u", two_weeks, date(2030, 1, 10))
    assert spread.current == 4 and spread.frozen_days == [date(2030, 1, 6), date(2030, 1, 9)]


def test_a_missed_yesterday_is_held_by_the_freeze_until_today_ends() -> None:
    held = report("u", active(back(3), back(2)), WEDNESDAY)  # Mon, Tue active; nothing yet today
    assert held.current == 2 and held.frozen_days == [back(1)]
    gone = report("u", active(date(2030, 1, 6), date(2030, 1, 8)), date(2030, 1, 10))
    assert gone.current == 0 and gone.best == 2  # Sunday and Tuesday bridged Monday; Wed and Thu missed


def test_best_streak_and_the_twelve_week_heatmap() -> None:
    old_run = [date(2029, 8, 1) + timedelta(days=n) for n in range(10)]
    days = active(*old_run, back(0))
    days[back(0)] = 4
    result = report("u", days, WEDNESDAY)
    assert result.best == 10 and result.current == 1 and result.active_days == 11
    assert len(result.weeks) == 12 and all(len(w) == 7 for w in result.weeks)
    assert result.weeks[0][0].day.weekday() == 0 and result.weeks[-1][2].day == WEDNESDAY
    assert result.weeks[-1][2].events == 4 and result.weeks[-1][3].future
    assert sum(d.events for w in result.weeks for d in w) == 4  # the old run is older than 12 weeks


def test_times_zones_and_weekdays_as_members_type_them() -> None:
    assert parse_time("18:30") == 18 * 60 + 30 and parse_time(" 7:05 ") == 7 * 60 + 5 and parse_time("07h00") == 420
    for bad in ("25:00", "7pm", "", "18:60", "x" * 500):
        with pytest.raises(InvalidInput):
            parse_time(bad)
    assert zone("Europe/Paris").key == "Europe/Paris" and zone("UTC").key == "UTC"
    for bad in ("Mars/Olympus", "../../etc/passwd", "/etc/localtime", "Europe/Paris\x00", "", "x" * 100):
        with pytest.raises(InvalidInput):
            zone(bad)
    assert parse_weekday("Monday") == 0 and parse_weekday("sun") == 6
    with pytest.raises(InvalidInput):
        parse_weekday("someday")


def test_next_occurrence_is_local_time_through_daylight_saving() -> None:
    paris = ZoneInfo("Europe/Paris")
    winter = next_occurrence(Cadence.DAILY, 18 * 60, None, paris, datetime(2030, 1, 9, 12, tzinfo=UTC))
    assert winter == datetime(2030, 1, 9, 17, tzinfo=UTC)  # 18:00 CET
    later = next_occurrence(Cadence.DAILY, 18 * 60, None, paris, winter)
    assert later == datetime(2030, 1, 10, 17, tzinfo=UTC)  # strictly after: the next day
    summer = next_occurrence(Cadence.DAILY, 18 * 60, None, paris, datetime(2030, 3, 31, 0, tzinfo=UTC))
    assert summer == datetime(2030, 3, 31, 16, tzinfo=UTC)  # 18:00 CEST, the day clocks went forward
    weekly = next_occurrence(Cadence.WEEKLY, 9 * 60, 0, paris, datetime(2030, 1, 9, 12, tzinfo=UTC))
    assert weekly == datetime(2030, 1, 14, 8, tzinfo=UTC)  # the next Monday, 09:00 local
    # Only the next one, however long ago the last was due: missed reminders are never queued up.
    after_downtime = next_occurrence(Cadence.DAILY, 60, None, paris, datetime(2030, 5, 1, 12, tzinfo=UTC))
    assert after_downtime == datetime(2030, 5, 1, 23, tzinfo=UTC)


def _step(status: StepStatus, learn: list[str]) -> NextStep:
    return NextStep(
        id="python",
        title="Python",
        summary="Learn Python.",
        stage="s",
        stage_title="S",
        status=status,
        prerequisites=[],
        builds_on=[],
        why="",
        learn=learn,
        done_when=["You wrote a script"],
        articles=[],
        effort_hours=21,
    )


def _progress(started: datetime | None, hours_per_week: float | None, status: StepStatus) -> Progress:
    state = StepState(
        id="python",
        title="Python",
        stage="s",
        status=status,
        prerequisites=[],
        open_prerequisites=[],
        effort_hours=21,
        ready=True,
        started_at=started,
    )
    return Progress(
        roadmap_id="r",
        roadmap_title="R",
        done=0,
        skipped=0,
        in_progress=1,
        total=1,
        percent=0,
        remaining_hours=21,
        target_date=date(2030, 3, 1) if hours_per_week else None,
        days_left=51 if hours_per_week else None,
        hours_per_week=hours_per_week,
        overdue=False,
        stages=[],
        steps=[state],
    )


def test_today_is_the_next_learn_item_sized_to_the_pace() -> None:
    learn = ["syntax", "functions", "files"]  # 7 h each
    steps = NextSteps(
        roadmap_id="r",
        roadmap_title="R",
        steps=[_step(StepStatus.TODO, learn)],
        complete=False,
        remaining=1,
        other_roadmaps=[],
    )
    fresh = plan(steps, _progress(None, 14.0, StepStatus.TODO), WEDNESDAY, {})
    assert (fresh.item, fresh.item_number, fresh.minutes, fresh.paced_by_target) == ("syntax", 1, 120, True)
    started = NextSteps(
        roadmap_id="r",
        roadmap_title="R",
        steps=[_step(StepStatus.IN_PROGRESS, learn)],
        complete=False,
        remaining=1,
        other_roadmaps=[],
    )
    # Started 4 days ago at 14 h/week: 8 h studied, past the first 7-hour item.
    since = datetime(2030, 1, 5, 9, tzinfo=UTC)
    going = plan(started, _progress(since, 14.0, StepStatus.IN_PROGRESS), WEDNESDAY, {"python": "use pyenv"})
    assert (going.item, going.item_number, going.note) == ("functions", 2, "use pyenv")
    # Without a target date: the gentle default pace, and never past the last item.
    slow = plan(started, _progress(since - timedelta(days=300), None, StepStatus.IN_PROGRESS), WEDNESDAY, {})
    assert (slow.item, slow.hours_per_week, slow.paced_by_target, slow.minutes) == ("files", 5.0, False, 45)
    assert session_minutes(0.1) == 15 and session_minutes(100) == 240

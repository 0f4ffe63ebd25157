"""Streaks from activity days: pure, so the rules are tested directly.

A streak is a run of days with activity. Each calendar week (Monday to Sunday) has one freeze: a
single missed day in that week is bridged instead of ending the streak (it does not count as a day of
the streak). Two missed days in a row always end it. Today does not break a streak before it is over.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.core.engagement.schemas import HeatDay, StreakReport

HEATMAP_WEEKS = 12


def week_of(day: date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso.year, iso.week


@dataclass
class Run:
    start: date
    end: date
    length: int = 1
    frozen: list[date] = field(default_factory=list)


def runs(days: list[date]) -> tuple[list[Run], set[tuple[int, int]]]:
    """The streak runs in `days` (sorted, unique) and the weeks whose freeze was spent."""
    found: list[Run] = []
    spent: set[tuple[int, int]] = set()
    for day in days:
        last = found[-1] if found else None
        if last is not None and (day - last.end).days == 1:
            last.end, last.length = day, last.length + 1
            continue
        gap = day - timedelta(days=1)
        if last is not None and (day - last.end).days == 2 and week_of(gap) not in spent:
            spent.add(week_of(gap))
            last.end, last.length = day, last.length + 1
            last.frozen.append(gap)
            continue
        found.append(Run(start=day, end=day))
    return found, spent


def report(user_id: str, activity: Mapping[date, int], today: date, weeks: int = HEATMAP_WEEKS) -> StreakReport:
    days = sorted(d for d, events in activity.items() if events > 0 and d <= today)
    found, spent = runs(days)
    current, frozen = 0, []
    yesterday = today - timedelta(days=1)
    if found:
        last = found[-1]
        if last.end >= yesterday:
            current, frozen = last.length, list(last.frozen)
        elif last.end == yesterday - timedelta(days=1) and week_of(yesterday) not in spent:
            # Yesterday was missed; this week's freeze holds the streak for today.
            spent.add(week_of(yesterday))
            current, frozen = last.length, [*last.frozen, yesterday]
    best = max([current, *(r.length for r in found)])
    frozen_all = {d for r in found for d in r.frozen} | set(frozen)
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    grid = [
        [
            HeatDay(
                day=day,
                events=activity.get(day, 0) if day <= today else 0,
                frozen=day in frozen_all,
                future=day > today,
            )
            for day in (monday + timedelta(weeks=w, days=d) for d in range(7))
        ]
        for w in range(weeks)
    ]
    return StreakReport(
        user_id=user_id,
        today=today,
        current=current,
        best=best,
        active_today=today in activity and activity[today] > 0,
        freeze_used_this_week=week_of(today) in spent,
        frozen_days=frozen,
        active_days=len(days),
        weeks=grid,
    )

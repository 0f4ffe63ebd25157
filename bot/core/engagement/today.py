"""Today's step: one concrete thing to do now, from the member's next step and the pace they need.

Pure. The pace is what the target date needs (Progress.hours_per_week), else a gentle default; the
item is the in-progress step's next 'what to learn' entry, estimated from the days since it was
started at that pace (nothing records which items a member has finished).
"""

from __future__ import annotations

import math
from datetime import date

from bot.core.engagement.schemas import TodayPlan
from bot.core.roadmap.schemas import NextSteps, Progress, StepRef
from bot.core.store.models import StepStatus

DEFAULT_HOURS_PER_WEEK = 5.0
MIN_MINUTES = 15
MAX_MINUTES = 240


def session_minutes(hours_per_week: float) -> int:
    """A day's share of the weekly pace, rounded up to 5 minutes, within 15 minutes and 4 hours."""
    minutes = math.ceil(hours_per_week * 60 / 7 / 5) * 5
    return max(MIN_MINUTES, min(MAX_MINUTES, minutes))


def plan(next_steps: NextSteps, progress: Progress, today: date, notes: dict[str, str]) -> TodayPlan:
    paced = progress.hours_per_week is not None and not progress.overdue and progress.hours_per_week > 0
    pace = progress.hours_per_week if paced and progress.hours_per_week is not None else DEFAULT_HOURS_PER_WEEK
    base = {
        "roadmap_id": next_steps.roadmap_id,
        "roadmap_title": next_steps.roadmap_title,
        "hours_per_week": pace,
        "paced_by_target": paced,
        "target_date": progress.target_date,
        "days_left": progress.days_left,
        "overdue": progress.overdue,
    }
    if next_steps.complete or not next_steps.steps:
        return TodayPlan(complete=next_steps.complete, **base)
    step = next_steps.steps[0]
    index = 0
    if step.status is StepStatus.IN_PROGRESS and step.learn:
        state = next((s for s in progress.steps if s.id == step.id), None)
        started = state.started_at.date() if state and state.started_at else today
        studied = max(0, (today - started).days) * pace / 7
        per_item = step.effort_hours / len(step.learn)
        index = min(int(studied / per_item) if per_item else 0, len(step.learn) - 1)
    return TodayPlan(
        complete=False,
        step=StepRef(id=step.id, title=step.title),
        status=step.status,
        item=step.learn[index] if step.learn else step.summary,
        item_number=index + 1,
        items_total=len(step.learn),
        minutes=session_minutes(pace),
        done_when=list(step.done_when),
        note=notes.get(step.id),
        **base,
    )

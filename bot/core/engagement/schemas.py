"""What the engagement service returns: plain pydantic models every adapter renders its own way."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from bot.core.roadmap.schemas import NextSteps, StepRef
from bot.core.store.models import StepStatus

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Cadence(StrEnum):
    OFF = "off"
    DAILY = "daily"
    WEEKLY = "weekly"


class Feature(StrEnum):
    """Community features a member appears in only after opting in, per community."""

    LEADERBOARD = "leaderboard"
    PEERS = "peers"


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ReminderSettings(_Out):
    user_id: str
    cadence: Cadence
    time: str = Field(description="Local time of day, HH:MM.")
    timezone: str
    weekday: int | None = Field(description="0 = Monday; weekly reminders only.")
    next_at: datetime | None = Field(description="The next routine reminder, UTC.")
    next_local: datetime | None = Field(description="The same moment in the member's time zone.")
    dm_failed_at: datetime | None = Field(description="When a DM could not be delivered (reminders were turned off).")
    reviews: int = Field(description="Spaced review reminders scheduled.")


class DueReminder(_Out):
    """A reminder a process has claimed and must now deliver (or give back)."""

    id: int
    user_id: str
    kind: str
    roadmap_id: str | None
    step_id: str | None
    interval_days: int | None
    due_at: datetime
    late: bool = Field(description="Due well before it was claimed: the bot was offline at the time.")


class ReminderMessage(_Out):
    """What a reminder says: the next steps and the time left, or the step to review."""

    user_id: str
    kind: str
    late: bool
    next_steps: NextSteps | None = None
    review: StepRef | None = None
    review_interval_days: int | None = None
    target_date: date | None = None
    days_left: int | None = None
    hours_per_week: float | None = None
    overdue: bool = False
    cadence: Cadence = Cadence.OFF


class TodayPlan(_Out):
    """One concrete thing to do now, sized to the pace the target date needs."""

    roadmap_id: str
    roadmap_title: str
    complete: bool
    step: StepRef | None = None
    status: StepStatus | None = None
    item: str | None = Field(default=None, description="The 'what to learn' item to work on now.")
    item_number: int = 0
    items_total: int = 0
    minutes: int = 0
    hours_per_week: float = 0.0
    paced_by_target: bool = Field(default=False, description="The pace comes from the target date.")
    target_date: date | None = None
    days_left: int | None = None
    overdue: bool = False
    done_when: list[str] = Field(default_factory=list)
    note: str | None = None


class HeatDay(_Out):
    day: date
    events: int
    frozen: bool = Field(description="A missed day the weekly freeze covered.")
    future: bool


class StreakReport(_Out):
    """Current and best streak (days in a row with activity; one missed day a week is frozen over)."""

    user_id: str
    today: date
    current: int
    best: int
    active_today: bool
    freeze_used_this_week: bool
    frozen_days: list[date] = Field(description="Missed days the freeze covered in the current streak.")
    active_days: int
    weeks: list[list[HeatDay]] = Field(description="The last 12 weeks, oldest first, Monday to Sunday.")


class LeaderEntry(_Out):
    rank: int
    user_id: str
    points: int = Field(description="Effort hours of the steps completed (done or under review).")
    steps: int
    streak: int


class Leaderboard(_Out):
    scope: str
    entries: list[LeaderEntry]
    members: int = Field(description="How many members of this community opted in.")
    you_opted_in: bool
    your_rank: int | None


class OptInChange(_Out):
    scope: str
    feature: Feature
    on: bool
    changed: bool


class StepNoteView(_Out):
    roadmap_id: str
    step: StepRef
    text: str | None
    updated_at: datetime | None
    saved: bool = False
    cleared: bool = False


class Peers(_Out):
    scope: str
    roadmap_id: str
    step: StepRef | None
    peers: list[str] = Field(description="Ids of opted-in members working on the step (in progress).")
    opted_in: bool

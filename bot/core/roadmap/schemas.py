"""What the roadmap service returns: plain pydantic models, so every adapter renders the same facts."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from bot.core.store.models import StepStatus

STATUS_VERBS: dict[str, StepStatus] = {
    "start": StepStatus.IN_PROGRESS,
    "done": StepStatus.DONE,
    "skip": StepStatus.SKIPPED,
    "undo": StepStatus.TODO,
    "review": StepStatus.REVIEW,
}
"""The verbs members use on every adapter (commands, buttons) and the status each one sets."""

STATUS_WORDS: dict[StepStatus, str] = {
    StepStatus.DONE: "done",
    StepStatus.IN_PROGRESS: "in progress",
    StepStatus.SKIPPED: "skipped",
    StepStatus.TODO: "to do",
    StepStatus.REVIEW: "done, to review",
}
"""How a status reads in a sentence."""


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class StepRef(_Out):
    id: str
    title: str


class RoadmapRef(_Out):
    id: str
    title: str


class StepOutline(_Out):
    id: str
    title: str
    stage: str
    prerequisites: list[str]
    effort_hours: int


class RoadmapInfo(_Out):
    """A roadmap as listed to members choosing one."""

    id: str
    title: str
    summary: str
    stages: list[StepRef]
    steps: list[StepOutline]
    total_hours: int


class GoalInfo(_Out):
    user_id: str
    roadmap_id: str
    roadmap_title: str
    target_date: date | None = None
    note: str | None = None
    active: bool
    available: bool = Field(description="False when the roadmap left the knowledge folder; its data is kept.")
    created_at: datetime | None = None
    updated_at: datetime | None = None


class GoalChange(_Out):
    goal: GoalInfo
    created: bool
    previous_active: str | None = Field(description="Roadmap id of the goal that was active before, if another.")


class StatusChange(_Out):
    """The result of marking a step; `open_prerequisites` explains what the member skipped over."""

    roadmap_id: str
    step: StepRef
    status: StepStatus
    previous: StepStatus
    changed: bool
    open_prerequisites: list[StepRef] = Field(description="Prerequisites (transitively) still open after the change.")
    also_done: list[StepRef] = Field(description="Prerequisites marked done along with the step.")
    goal_created: bool = Field(description="True when the only roadmap became the member's goal on the way.")
    review_at: datetime | None = Field(default=None, description="When the spaced review reminder is due (review).")


class NextStep(_Out):
    id: str
    title: str
    summary: str
    stage: str
    stage_title: str
    status: StepStatus
    prerequisites: list[str]
    builds_on: list[StepRef]
    why: str
    learn: list[str]
    done_when: list[str]
    articles: list[str]
    effort_hours: int
    note: str | None = Field(default=None, description="The member's own note on the step.")


class NextSteps(_Out):
    roadmap_id: str
    roadmap_title: str
    steps: list[NextStep]
    complete: bool
    remaining: int = Field(description="Open steps left in the roadmap.")
    other_roadmaps: list[RoadmapRef] = Field(description="Suggested next roadmaps once this one is complete.")


class StepState(_Out):
    id: str
    title: str
    stage: str
    status: StepStatus
    prerequisites: list[str]
    open_prerequisites: list[str]
    effort_hours: int
    ready: bool = Field(description="Open, and every prerequisite done or skipped.")
    started_at: datetime | None = None
    completed_at: datetime | None = None


class StageProgress(_Out):
    id: str
    title: str
    done: int
    total: int
    percent: float


class Progress(_Out):
    """`done` counts steps done or skipped: both close a step. `skipped` says how many of them were skipped."""

    roadmap_id: str
    roadmap_title: str
    done: int
    skipped: int
    in_progress: int
    total: int
    percent: float
    remaining_hours: int
    target_date: date | None
    days_left: int | None
    hours_per_week: float | None = Field(description="Pace needed to finish by the target date.")
    overdue: bool
    stages: list[StageProgress]
    steps: list[StepState]


class StageView(_Out):
    id: str
    title: str
    steps: list[StepState]


class RoadmapView(_Out):
    """The whole roadmap with the member's statuses, for `show`."""

    roadmap_id: str
    title: str
    summary: str
    goal: GoalInfo | None
    stages: list[StageView]
    progress: Progress
    next_ids: list[str]


class StepChoice(_Out):
    """One autocomplete choice: a step and the member's status on it."""

    roadmap_id: str
    id: str
    title: str
    status: StepStatus


class StepContext(_Out):
    """Where an answer sits on the asking member's roadmap: the step its best source explains and
    that step's prerequisites the member has not closed (done, to review or skipped). Adapters word it."""

    roadmap_id: str
    roadmap_title: str
    step: StepRef
    status: StepStatus
    missing: list[StepRef] = Field(default_factory=list, description="Direct prerequisites still open.")

"""The roadmap facade adapters call: goals, statuses, next steps and progress, over the store.

Methods are synchronous (adapters run them in a thread) and each change is one transaction.
Roadmaps are fetched through a callable on every call, because the knowledge can be reloaded live.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from enum import Enum
from typing import TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.engagement import activity
from bot.core.errors import InvalidInput, NotFound
from bot.core.knowledge.models import Roadmap, RoadmapStep
from bot.core.roadmap import views
from bot.core.roadmap.errors import NoGoal, NoRoadmaps, RoadmapGone, StepOnOtherRoadmap
from bot.core.roadmap.graph import RoadmapGraph, StoredStatus
from bot.core.roadmap.matching import by_title, normalise, rank_candidates, suggest
from bot.core.roadmap.schemas import (
    STATUS_VERBS,
    GoalChange,
    GoalInfo,
    NextSteps,
    Progress,
    RoadmapInfo,
    RoadmapRef,
    RoadmapView,
    StatusChange,
    StepChoice,
    StepContext,
)
from bot.core.store import engagement as engagement_store
from bot.core.store import goals as store
from bot.core.store.db import reading, transaction, utcnow
from bot.core.store.models import Goal, StepStatus
from bot.core.store.validation import clean_note, validate_user_id
from bot.core.text import shown

MAX_TARGET_YEARS = 20
REVIEW_DAYS = 7
MAX_REVIEW_DAYS = 365
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_target_date(text: str) -> date:
    """A target date as members type it: YYYY-MM-DD, nothing looser."""
    cleaned = text.strip()
    try:
        if not _DATE.match(cleaned):
            raise ValueError(cleaned)
        return date.fromisoformat(cleaned)
    except ValueError:
        raise InvalidInput(f"'{shown(cleaned, 40)}' is not a date; use YYYY-MM-DD, e.g. 2030-06-30.") from None


class Keep(Enum):
    """Leave a goal's field as it is (distinct from None, which clears it)."""

    KEEP = "keep"


KEEP = Keep.KEEP
T = TypeVar("T")


def _given(value: T | Keep, current: T) -> T:
    return current if isinstance(value, Keep) else value


class RoadmapService:
    """Roadmap engine over a store; construct once per process with the engine and a roadmap source."""

    def __init__(
        self,
        engine: Engine,
        roadmaps: Callable[[], list[Roadmap]],
        *,
        clock: Callable[[], datetime] = utcnow,
        default_timezone: str = "UTC",
    ) -> None:
        self._engine = engine
        self._roadmaps = roadmaps
        self._clock = clock
        self.default_timezone = default_timezone

    # Roadmaps and goals

    def roadmap_list(self) -> list[Roadmap]:
        """The roadmaps served now (the knowledge can be reloaded live)."""
        return list(self._roadmaps())

    def list_roadmaps(self) -> list[RoadmapInfo]:
        return [views.roadmap_info(r) for r in self._roadmaps()]

    def roadmap(self, roadmap_id: str) -> Roadmap:
        """The roadmap named by id or exact title; NotFound with the closest ones otherwise."""
        roadmaps = self._roadmaps()
        if not roadmaps:
            raise NoRoadmaps()
        titles = {r.id: r.title for r in roadmaps}
        wanted = normalise(roadmap_id)
        if not wanted:
            raise InvalidInput("Which roadmap? Give its id, e.g. " + (next(iter(titles), "ml-engineer")) + ".")
        found = wanted if wanted in titles else by_title(roadmap_id, titles)
        if found is None:
            raise NotFound("roadmap", roadmap_id.strip(), suggest(roadmap_id, titles))
        return next(r for r in roadmaps if r.id == found)

    def set_goal(
        self,
        user: str,
        roadmap_id: str,
        target_date: date | str | Keep | None = KEEP,
        note: str | Keep | None = KEEP,
    ) -> GoalChange:
        """Make the roadmap the member's active goal, the same on every adapter: a goal they had before
        comes back with its progress, target date and note; only what is given changes (None clears).
        A string date is parsed as YYYY-MM-DD, as adapters receive it."""
        user = validate_user_id(user)
        if isinstance(target_date, str):
            target_date = parse_target_date(target_date) if target_date.strip() else KEEP
        roadmap = self.roadmap(roadmap_id)
        if isinstance(note, str) or note is None:
            note = clean_note(note)
        if isinstance(target_date, date):
            self._check_target(target_date)
        now = self._clock()
        with transaction(self._engine) as session:
            before = store.get_active_goal(user, session=session)
            existing = store.get_goal(user, roadmap.id, session=session)
            goal, created = store.save_goal(
                user,
                roadmap.id,
                target_date=_given(target_date, existing.target_date if existing else None),
                note=_given(note, existing.note if existing else None),
                session=session,
                now=now,
            )
            return GoalChange(
                goal=self._goal_info(goal),
                created=created,
                previous_active=before.roadmap_id if before and before.roadmap_id != roadmap.id else None,
            )

    def switch_goal(self, user: str, roadmap_id: str) -> GoalChange:
        """Make another goal active, keeping its date and note (a new roadmap gets a plain goal)."""
        return self.set_goal(user, roadmap_id)

    def list_goals(self, user: str) -> list[GoalInfo]:
        user = validate_user_id(user)
        with reading(self._engine) as session:
            return [self._goal_info(g) for g in store.list_goals(user, session=session)]

    def active_goal(self, user: str) -> GoalInfo | None:
        user = validate_user_id(user)
        with reading(self._engine) as session:
            goal = store.get_active_goal(user, session=session)
            return self._goal_info(goal) if goal else None

    # Statuses

    def set_status(
        self,
        user: str,
        step_id: str,
        status: StepStatus | str,
        with_prerequisites: bool = False,
        review_days: int | None = None,
    ) -> StatusChange:
        """Mark a step. Open prerequisites do not block it; they are reported, or marked done on request.

        `review` marks it done and schedules a spaced review reminder `review_days` from now (default 7);
        any other status cancels the step's review. A change counts as a day of activity (streaks).
        """
        user = validate_user_id(user)
        status = self._status(status)
        if review_days is not None and not 1 <= review_days <= MAX_REVIEW_DAYS:
            raise InvalidInput(f"Review after 1 to {MAX_REVIEW_DAYS} days.")
        now = self._clock()
        with transaction(self._engine) as session:
            goal, roadmap, goal_created = self._goal_for_write(session, user)
            graph = RoadmapGraph(roadmap)
            target = self._find_step(graph, step_id)
            assert goal.id is not None
            statuses = graph.status_map(self._rows(session, graph, goal))
            previous = graph.status(statuses, target)
            also_done: list[str] = []
            if with_prerequisites and status is not StepStatus.TODO:
                for pre in graph.open_ancestors(target, statuses):
                    store.write_status(
                        goal.id, pre, StepStatus.DONE, aliases=graph.by_id[pre].aliases, session=session, now=now
                    )
                    statuses[pre] = StepStatus.DONE
                    also_done.append(pre)
            store.write_status(goal.id, target, status, aliases=graph.by_id[target].aliases, session=session, now=now)
            statuses[target] = status
            still_open = graph.open_ancestors(target, statuses) if status is not StepStatus.TODO else []
            review_at = self._review(session, user, roadmap.id, target, status, review_days, now)
            if previous is not status or also_done:
                activity.record(user, self.default_timezone, now, session=session)
            return StatusChange(
                roadmap_id=roadmap.id,
                step=views.step_ref(graph.by_id[target]),
                status=status,
                previous=previous,
                changed=previous is not status,
                open_prerequisites=[views.step_ref(graph.by_id[i]) for i in still_open],
                also_done=[views.step_ref(graph.by_id[i]) for i in also_done],
                goal_created=goal_created,
                review_at=review_at,
            )

    @staticmethod
    def _review(
        session: Session, user: str, roadmap_id: str, step_id: str, status: StepStatus, days: int | None, now: datetime
    ) -> datetime | None:
        """Schedule the step's review reminder for `review`; cancel it for any other status."""
        key = engagement_store.review_key(roadmap_id, step_id)
        if status is not StepStatus.REVIEW:
            engagement_store.cancel(user, key, session=session)
            return None
        interval = days or REVIEW_DAYS
        due = now + timedelta(days=interval)
        engagement_store.schedule(
            user,
            key,
            engagement_store.REVIEW,
            due,
            session=session,
            now=now,
            roadmap_id=roadmap_id,
            step_id=step_id,
            interval_days=interval,
        )
        return due

    def undo(self, user: str, step_id: str) -> StatusChange:
        """Put a step back to todo, whatever it was."""
        return self.set_status(user, step_id, StepStatus.TODO)

    # Views

    def next_steps(self, user: str, limit: int = 3) -> NextSteps:
        user = validate_user_id(user)
        if not 1 <= limit <= 25:
            raise InvalidInput("Ask for between 1 and 25 next steps.")
        with reading(self._engine) as session:
            goal, roadmap = self._active(session, user)
            graph = RoadmapGraph(roadmap)
            statuses = graph.status_map(self._rows(session, graph, goal))
            others = self._other_roadmaps(session, user, roadmap.id) if graph.is_complete(statuses) else []
            notes = engagement_store.notes_for(user, roadmap.id, session=session)
            return views.next_steps(graph, statuses, limit, others, notes)

    def progress(self, user: str) -> Progress:
        user = validate_user_id(user)
        with reading(self._engine) as session:
            goal, roadmap = self._active(session, user)
            graph = RoadmapGraph(roadmap)
            rows = self._rows(session, graph, goal)
            return views.progress(graph, rows, goal.target_date, self._clock().date())

    def show(self, user: str) -> RoadmapView:
        """The whole active roadmap, stage by stage, with the member's statuses and what comes next."""
        user = validate_user_id(user)
        with reading(self._engine) as session:
            goal, roadmap = self._active(session, user)
            graph = RoadmapGraph(roadmap)
            rows = self._rows(session, graph, goal)
            report = views.progress(graph, rows, goal.target_date, self._clock().date())
            return RoadmapView(
                roadmap_id=roadmap.id,
                title=roadmap.title,
                summary=roadmap.summary,
                goal=self._goal_info(goal),
                stages=views.stage_groups(graph, report.steps),
                progress=report,
                next_ids=[s.id for s in graph.next_steps(graph.status_map(rows), 3)],
            )

    def search_steps(self, user: str, query: str, limit: int = 25) -> list[StepChoice]:
        """Autocomplete: steps matching id or title, the member's open steps first. Never raises on no goal."""
        try:
            user = validate_user_id(user)
        except InvalidInput:
            return []
        with reading(self._engine) as session:
            try:
                goal, roadmap = self._active(session, user)
                scope = [(roadmap, self._rows(session, RoadmapGraph(roadmap), goal))]
            except (NoGoal, NoRoadmaps, RoadmapGone):
                scope = [(r, {}) for r in self._roadmaps()]
        choices: list[tuple[int, int, StepChoice]] = []
        for roadmap, rows in scope:
            graph = RoadmapGraph(roadmap)
            statuses = graph.status_map(rows)
            candidates = [(s.id, s.title, self._group(graph.status(statuses, s.id))) for s in graph.steps]
            for group, rank, step_id in rank_candidates(query[:100], candidates):
                step, status = graph.by_id[step_id], graph.status(statuses, step_id)
                choice = StepChoice(roadmap_id=roadmap.id, id=step.id, title=step.title, status=status)
                choices.append((group, rank, choice))
        choices.sort(key=lambda c: (c[0], c[1]))  # stable: roadmap order within a rank
        return [c for _, _, c in choices][: max(0, min(limit, 25))]

    def find_step(self, user: str, wanted: str) -> tuple[Roadmap, RoadmapStep]:
        """A step of the member's active roadmap by id, former id or title (NotFound with suggestions)."""
        user = validate_user_id(user)
        with reading(self._engine) as session:
            _, roadmap = self._active(session, user)
        graph = RoadmapGraph(roadmap)
        return roadmap, graph.by_id[self._find_step(graph, wanted)]

    def step_context(self, user: str, step_ids: set[str]) -> StepContext | None:
        """Which of `step_ids` (the steps an answer's source explains) the member is at on their active
        roadmap, and its open prerequisites; None without a goal or when none of the steps is on it.

        The step chosen is the one in progress, else the first still open, else the first: the one the
        member most likely asks about.
        """
        try:
            user = validate_user_id(user)
        except InvalidInput:
            return None
        with reading(self._engine) as session:
            try:
                goal, roadmap = self._active(session, user)
            except (NoGoal, NoRoadmaps, RoadmapGone):
                return None
            graph = RoadmapGraph(roadmap)
            statuses = graph.status_map(self._rows(session, graph, goal))
        linked = [s for s in graph.steps if s.id in step_ids]
        if not linked:
            return None
        chosen = next(
            (s for s in linked if graph.status(statuses, s.id) is StepStatus.IN_PROGRESS),
            next((s for s in linked if not graph.status(statuses, s.id).closed), linked[0]),
        )
        missing = graph.open_prerequisites(chosen.id, statuses)
        return StepContext(
            roadmap_id=roadmap.id,
            roadmap_title=roadmap.title,
            step=views.step_ref(chosen),
            status=graph.status(statuses, chosen.id),
            missing=[views.step_ref(graph.by_id[m]) for m in missing],
        )

    # Helpers

    def _refs(self) -> list[RoadmapRef]:
        return [views.roadmap_ref(r) for r in self._roadmaps()]

    def _goal_info(self, goal: Goal) -> GoalInfo:
        known = {r.id: r for r in self._roadmaps()}
        roadmap = known.get(goal.roadmap_id)
        return GoalInfo(
            user_id=goal.user_id,
            roadmap_id=goal.roadmap_id,
            roadmap_title=roadmap.title if roadmap else goal.roadmap_id,
            target_date=goal.target_date,
            note=goal.note,
            active=goal.active,
            available=roadmap is not None,
            created_at=goal.created_at,
            updated_at=goal.updated_at,
        )

    def _active(self, session: Session, user: str) -> tuple[Goal, Roadmap]:
        """The member's active goal and its roadmap; NoGoal for a member who has none (reads never
        pretend one: an empty 0% roadmap answers nothing)."""
        roadmaps = self._roadmaps()
        if not roadmaps:
            raise NoRoadmaps()
        goal = store.get_active_goal(user, session=session)
        if goal is None:
            raise NoGoal(self._refs())
        roadmap = next((r for r in roadmaps if r.id == goal.roadmap_id), None)
        if roadmap is None:
            raise RoadmapGone(goal.roadmap_id, self._refs())
        return goal, roadmap

    def _goal_for_write(self, session: Session, user: str) -> tuple[Goal, Roadmap, bool]:
        """Marking a step with no goal yet makes the only roadmap the goal (with several, NoGoal)."""
        try:
            goal, roadmap = self._active(session, user)
            return goal, roadmap, False
        except NoGoal:
            roadmaps = self._roadmaps()
            if len(roadmaps) > 1:
                raise
        roadmap = roadmaps[0]
        goal, _ = store.save_goal(user, roadmap.id, target_date=None, note=None, session=session, now=self._clock())
        return goal, roadmap, True

    @staticmethod
    def _rows(session: Session, graph: RoadmapGraph, goal: Goal | None) -> dict[str, StoredStatus]:
        if goal is None or goal.id is None:
            return {}
        stored = [
            StoredStatus(
                step_id=r.step_id,
                status=StepStatus(r.status),
                updated_at=r.updated_at,
                started_at=r.started_at,
                completed_at=r.completed_at,
            )
            for r in store.progress_rows(goal.id, session=session)
        ]
        return graph.current_statuses(stored)

    def _other_roadmaps(self, session: Session, user: str, current: str) -> list[RoadmapRef]:
        """Roadmaps to suggest after finishing one: those not yet started first, finished ones left out."""
        started = {g.roadmap_id: g for g in store.list_goals(user, session=session)}
        fresh: list[RoadmapRef] = []
        begun: list[RoadmapRef] = []
        for roadmap in self._roadmaps():
            if roadmap.id == current:
                continue
            goal = started.get(roadmap.id)
            if goal is None:
                fresh.append(views.roadmap_ref(roadmap))
                continue
            graph = RoadmapGraph(roadmap)
            if not graph.is_complete(graph.status_map(self._rows(session, graph, goal))):
                begun.append(views.roadmap_ref(roadmap))
        return fresh + begun

    def _find_step(self, graph: RoadmapGraph, wanted: str) -> str:
        """A step by id, former id or exact title; NotFound with the closest steps otherwise."""
        key = normalise(wanted)
        if not key:
            raise InvalidInput(f"Which step? Give its id, e.g. '{graph.steps[0].id}'.")
        titles = {s.id: s.title for s in graph.steps}
        found = graph.resolve(key) or graph.resolve(key.replace(" ", "-")) or by_title(wanted, titles)
        if found is not None:
            return found
        for other in self._roadmaps():
            if other.id != graph.roadmap.id and (found := RoadmapGraph(other).resolve(key)):
                raise StepOnOtherRoadmap(found, other.id, graph.roadmap.id)
        raise NotFound("step", wanted.strip(), suggest(wanted, titles, graph.alias_of))

    @staticmethod
    def _status(status: StepStatus | str) -> StepStatus:
        """A status, or the verb that sets it (start, done, skip, undo)."""
        try:
            return STATUS_VERBS.get(str(status)) or StepStatus(status)
        except ValueError:
            allowed = ", ".join(s.value for s in StepStatus)
            raise InvalidInput(f"Unknown status; use one of: {allowed}.") from None

    @staticmethod
    def _group(status: StepStatus) -> int:
        return {StepStatus.IN_PROGRESS: 0, StepStatus.TODO: 1}.get(status, 2)

    def _check_target(self, target: date) -> None:
        today = self._clock().date()
        if target < today:
            raise InvalidInput(f"The target date {target.isoformat()} is in the past.")
        if target.year > today.year + MAX_TARGET_YEARS:
            raise InvalidInput(f"The target date {target.isoformat()} is more than {MAX_TARGET_YEARS} years away.")

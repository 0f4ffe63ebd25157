"""Goals and step statuses: the store side of the roadmap engine. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlmodel import Session, col, select, update

from bot.core.errors import NotFound
from bot.core.store.db import lock_member
from bot.core.store.models import Goal, StepProgress, StepStatus


def list_goals(user_id: str, *, session: Session) -> list[Goal]:
    return list(session.exec(select(Goal).where(Goal.user_id == user_id).order_by(col(Goal.created_at))))


def get_goal(user_id: str, roadmap_id: str, *, session: Session) -> Goal | None:
    return session.exec(select(Goal).where(Goal.user_id == user_id, Goal.roadmap_id == roadmap_id)).first()


def get_active_goal(user_id: str, *, session: Session) -> Goal | None:
    return session.exec(select(Goal).where(Goal.user_id == user_id, col(Goal.active).is_(True))).first()


def activate(goal: Goal, *, session: Session, now: datetime) -> Goal:
    """Make `goal` the member's only active goal (others are switched off first: a unique index watches).

    The member is locked and the goal read again first, so a concurrent change of goals (another
    process) is seen rather than overwritten.
    """
    lock_member(goal.user_id, session=session)
    if goal.id is None:
        session.flush()
    fresh = session.get(Goal, goal.id, populate_existing=True)
    if fresh is None:  # forgotten meanwhile
        raise NotFound("goal", goal.roadmap_id)
    session.exec(update(Goal).where(col(Goal.user_id) == fresh.user_id, col(Goal.id) != fresh.id).values(active=False))
    if not fresh.active:
        fresh.active = True
        fresh.updated_at = now
        session.add(fresh)
    session.flush()
    return fresh


def save_goal(
    user_id: str,
    roadmap_id: str,
    *,
    target_date: date | None,
    note: str | None,
    session: Session,
    now: datetime,
) -> tuple[Goal, bool]:
    """Create or replace the member's goal on a roadmap and make it active; returns (goal, created).

    The member is locked first, so two processes setting the same goal create it once.
    """
    lock_member(user_id, session=session)
    goal = session.exec(
        select(Goal)
        .where(Goal.user_id == user_id, Goal.roadmap_id == roadmap_id)
        .execution_options(populate_existing=True)
    ).first()
    created = goal is None
    if goal is None:
        goal = Goal(user_id=user_id, roadmap_id=roadmap_id, created_at=now, updated_at=now)
    goal.target_date = target_date
    goal.note = note
    goal.updated_at = now
    session.add(goal)
    session.flush()
    return activate(goal, session=session, now=now), created


def progress_rows(goal_id: int, *, session: Session) -> list[StepProgress]:
    return list(session.exec(select(StepProgress).where(StepProgress.goal_id == goal_id)))


def write_status(
    goal_id: int,
    step_id: str,
    status: StepStatus,
    *,
    aliases: Sequence[str] = (),
    session: Session,
    now: datetime,
) -> tuple[StepProgress, StepStatus]:
    """Set one step's status; returns (row, previous status).

    A row stored under one of the step's former ids is carried over to the current id, so a renamed
    step keeps its history.
    """
    # The goal's row lock queues writers of the same goal (PostgreSQL; SQLite has one writer anyway),
    # and the rows are then read afresh: a status another process just wrote is built on, not lost.
    if session.exec(select(Goal.id).where(col(Goal.id) == goal_id).with_for_update()).first() is None:
        raise NotFound("goal", str(goal_id))
    rows = {
        r.step_id: r
        for r in session.exec(
            select(StepProgress)
            .where(StepProgress.goal_id == goal_id, col(StepProgress.step_id).in_([step_id, *aliases]))
            .execution_options(populate_existing=True)
        )
    }
    row = rows.get(step_id)
    if row is None:
        former = [rows[a] for a in aliases if a in rows]
        if former:
            row = max(former, key=lambda r: r.updated_at)
            row.step_id = step_id
    if row is None:
        row = StepProgress(goal_id=goal_id, step_id=step_id, status=StepStatus.TODO.value, updated_at=now)
    previous = StepStatus(row.status)
    row.status = status.value
    if status is StepStatus.TODO:
        row.started_at = None
        row.completed_at = None
    elif status is StepStatus.IN_PROGRESS:
        row.started_at = row.started_at or now
        row.completed_at = None
    elif row.completed_at is None or (previous != status and not (previous.completed and status.completed)):
        # Done and review are both "completed": moving between them keeps the day it was finished.
        row.completed_at = now
    if status != previous:
        row.updated_at = now
    session.add(row)
    session.flush()
    return row, previous

"""Engagement rows: members' reminder settings, scheduled reminders, activity days, step notes and
opt-ins. Callers own the transaction.

Reminders are claimed before they are sent, in one statement that only succeeds on a row nobody
holds (or whose holder's lease ran out), so two processes never send the same reminder: on SQLite
the write transaction is the database's only writer; on PostgreSQL the rows are read with
FOR UPDATE SKIP LOCKED and claimed with the same guarded UPDATE.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, delete, or_, select, update

from bot.core.store.db import backend_of, lock_member
from bot.core.store.models import ActivityDay, MemberPrefs, OptIn, Reminder, StepNote

ROUTINE = "routine"
REVIEW = "review"


def review_key(roadmap_id: str, step_id: str) -> str:
    return f"{REVIEW}:{roadmap_id}:{step_id}"


# -- settings ------------------------------------------------------------------------------------


def get_prefs(user_id: str, *, session: Session) -> MemberPrefs | None:
    return session.exec(select(MemberPrefs).where(MemberPrefs.user_id == user_id)).first()


def save_prefs(user_id: str, *, session: Session, now: datetime, **changes: Any) -> MemberPrefs:
    """Create or change a member's settings (the member is locked first: one row per member)."""
    lock_member(user_id, session=session)
    prefs = session.exec(
        select(MemberPrefs).where(MemberPrefs.user_id == user_id).execution_options(populate_existing=True)
    ).first()
    if prefs is None:
        prefs = MemberPrefs(user_id=user_id, created_at=now, updated_at=now)
    for name, value in changes.items():
        setattr(prefs, name, value)
    prefs.updated_at = now
    session.add(prefs)
    session.flush()
    return prefs


def take_dm_notice(user_id: str, *, session: Session) -> bool:
    """True once after a failed DM turned the member's reminders off (then the flag is cleared)."""
    result = session.exec(
        update(MemberPrefs)
        .where(col(MemberPrefs.user_id) == user_id, col(MemberPrefs.dm_notice_pending).is_(True))
        .values(dm_notice_pending=False)
    )
    return bool(result.rowcount)


# -- activity --------------------------------------------------------------------------------------


def record_activity(user_id: str, day: date, *, session: Session) -> None:
    """Count one event on the member's `day`; concurrent writers of the same day add up (an upsert)."""
    insert = postgresql.insert if backend_of(session) == "postgresql" else sqlite.insert
    statement = insert(ActivityDay).values(user_id=user_id, day=day, events=1)
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "day"],
        set_={"events": ActivityDay.__table__.c.events + 1},  # type: ignore[attr-defined]
    )
    session.exec(statement)


def activity_days(user_id: str, *, session: Session) -> dict[date, int]:
    rows = session.exec(select(ActivityDay).where(ActivityDay.user_id == user_id))
    return {r.day: r.events for r in rows}


def activity_by_member(user_ids: Sequence[str], *, session: Session) -> dict[str, dict[date, int]]:
    found: dict[str, dict[date, int]] = {u: {} for u in user_ids}
    for row in session.exec(select(ActivityDay).where(col(ActivityDay.user_id).in_(list(user_ids)))):
        found[row.user_id][row.day] = row.events
    return found


# -- reminders -------------------------------------------------------------------------------------


def get_reminder(user_id: str, key: str, *, session: Session) -> Reminder | None:
    return session.exec(select(Reminder).where(Reminder.user_id == user_id, Reminder.key == key)).first()


def reminders_of(user_id: str, *, session: Session) -> list[Reminder]:
    return list(session.exec(select(Reminder).where(Reminder.user_id == user_id).order_by(col(Reminder.due_at))))


def schedule(
    user_id: str,
    key: str,
    kind: str,
    due_at: datetime,
    *,
    session: Session,
    now: datetime,
    roadmap_id: str | None = None,
    step_id: str | None = None,
    interval_days: int | None = None,
) -> None:
    """Create or move a reminder; any claim on it is dropped (a sender finishing late changes nothing).

    One upsert, with no member lock: it runs inside status changes that already hold the goal's row.
    """
    fields: dict[str, Any] = {
        "kind": kind,
        "due_at": due_at,
        "roadmap_id": roadmap_id,
        "step_id": step_id,
        "interval_days": interval_days,
        "claimed_by": None,
        "claimed_at": None,
    }
    insert = postgresql.insert if backend_of(session) == "postgresql" else sqlite.insert
    statement = insert(Reminder).values(user_id=user_id, key=key, created_at=now, **fields)
    session.exec(statement.on_conflict_do_update(index_elements=["user_id", "key"], set_=fields))


def cancel(user_id: str, key: str, *, session: Session) -> bool:
    result = session.exec(delete(Reminder).where(col(Reminder.user_id) == user_id, col(Reminder.key) == key))
    return bool(result.rowcount)


def _claimable(now: datetime, lease: timedelta) -> Any:
    return or_(col(Reminder.claimed_by).is_(None), col(Reminder.claimed_at) < now - lease)


def claim_due(worker: str, *, session: Session, now: datetime, limit: int, lease: timedelta) -> list[Reminder]:
    """Claim up to `limit` reminders due at `now`, oldest first, for `worker`; returns those it got.

    A claim older than `lease` counts as abandoned (its process died mid-send) and may be taken over.
    """
    query = (
        select(Reminder)
        .where(col(Reminder.due_at) <= now, _claimable(now, lease))
        .order_by(col(Reminder.due_at), col(Reminder.id))
        .limit(limit)
    )
    if backend_of(session) == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed: list[Reminder] = []
    for row in list(session.exec(query)):
        result = session.exec(
            update(Reminder)
            .where(col(Reminder.id) == row.id, _claimable(now, lease))
            .values(claimed_by=worker, claimed_at=now)
        )
        if result.rowcount == 1:
            session.refresh(row)
            claimed.append(row)
    return claimed


def finish(
    reminder_id: int, worker: str, *, session: Session, next_due: datetime | None, interval_days: int | None = None
) -> bool:
    """After a send: the next due time (claim released), or the row removed (`next_due` None).

    Only the claim's holder may finish it; a member who changed or cancelled the reminder meanwhile wins.
    """
    mine = (col(Reminder.id) == reminder_id, col(Reminder.claimed_by) == worker)
    if next_due is None:
        return bool(session.exec(delete(Reminder).where(*mine)).rowcount)
    values: dict[str, Any] = {"due_at": next_due, "claimed_by": None, "claimed_at": None}
    if interval_days is not None:
        values["interval_days"] = interval_days
    return bool(session.exec(update(Reminder).where(*mine).values(**values)).rowcount)


def release(reminder_id: int, worker: str, *, session: Session) -> None:
    """Give a claim back unsent (a temporary failure): the next check tries again."""
    session.exec(
        update(Reminder)
        .where(col(Reminder.id) == reminder_id, col(Reminder.claimed_by) == worker)
        .values(claimed_by=None, claimed_at=None)
    )


# -- notes -----------------------------------------------------------------------------------------


def get_note(user_id: str, roadmap_id: str, step_id: str, *, session: Session) -> StepNote | None:
    return session.exec(
        select(StepNote).where(
            StepNote.user_id == user_id, StepNote.roadmap_id == roadmap_id, StepNote.step_id == step_id
        )
    ).first()


def notes_for(user_id: str, roadmap_id: str, *, session: Session) -> dict[str, str]:
    rows = session.exec(select(StepNote).where(StepNote.user_id == user_id, StepNote.roadmap_id == roadmap_id))
    return {r.step_id: r.text for r in rows}


def save_note(user_id: str, roadmap_id: str, step_id: str, text: str, *, session: Session, now: datetime) -> StepNote:
    lock_member(user_id, session=session)
    row = session.exec(
        select(StepNote)
        .where(StepNote.user_id == user_id, StepNote.roadmap_id == roadmap_id, StepNote.step_id == step_id)
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        row = StepNote(
            user_id=user_id, roadmap_id=roadmap_id, step_id=step_id, text=text, created_at=now, updated_at=now
        )
    row.text = text
    row.updated_at = now
    session.add(row)
    session.flush()
    return row


def delete_note(user_id: str, roadmap_id: str, step_id: str, *, session: Session) -> bool:
    result = session.exec(
        delete(StepNote).where(
            col(StepNote.user_id) == user_id, col(StepNote.roadmap_id) == roadmap_id, col(StepNote.step_id) == step_id
        )
    )
    return bool(result.rowcount)


# -- opt-ins ---------------------------------------------------------------------------------------


def set_opt_in(user_id: str, scope: str, feature: str, on: bool, *, session: Session, now: datetime) -> bool:
    """Join (`on`) or leave a community feature; returns whether anything changed."""
    lock_member(user_id, session=session)
    where = (col(OptIn.user_id) == user_id, col(OptIn.scope) == scope, col(OptIn.feature) == feature)
    present = session.exec(select(OptIn.id).where(*where)).first() is not None
    if on and not present:
        session.add(OptIn(user_id=user_id, scope=scope, feature=feature, created_at=now))
        session.flush()
    elif not on and present:
        session.exec(delete(OptIn).where(*where))
    return on != present


def is_opted_in(user_id: str, scope: str, feature: str, *, session: Session) -> bool:
    found = select(OptIn.id).where(OptIn.user_id == user_id, OptIn.scope == scope, OptIn.feature == feature)
    return session.exec(found).first() is not None


def opted_in(scope: str, feature: str, *, session: Session) -> list[str]:
    query = select(OptIn.user_id).where(OptIn.scope == scope, OptIn.feature == feature).order_by(col(OptIn.id))
    return list(session.exec(query))

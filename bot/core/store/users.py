"""A member's own data: everything the store holds about them, to export or to erase."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, delete, select, update

from bot.core.store.activity import feedback_sources, question_sources
from bot.core.store.db import lock_member, scrub_after_commit, utcnow
from bot.core.store.models import (
    ActivityDay,
    AnswerFeedback,
    Goal,
    KbAudit,
    MemberPrefs,
    OptIn,
    QuestionLog,
    Reminder,
    StepNote,
    StepProgress,
)

FORGOTTEN_ACTOR = "(forgotten)"


class ForgetCounts(BaseModel):
    """How many rows `forget` removed per table (audit rows are kept, with the actor erased)."""

    goals: int = 0
    step_progress: int = 0
    answer_feedback: int = 0
    question_log: int = 0
    kb_audit_anonymized: int = 0
    votes_by_others_cleared: int = 0
    member_prefs: int = 0
    reminders: int = 0
    activity_days: int = 0
    step_notes: int = 0
    opt_ins: int = 0

    @property
    def total(self) -> int:
        return sum(self.model_dump().values())


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_user(user_id: str, *, session: Session) -> dict[str, Any]:
    """Every row about `user_id`, as JSON-ready data (including progress on steps that vanished)."""
    goals = list(session.exec(select(Goal).where(Goal.user_id == user_id).order_by(col(Goal.id))))
    goal_ids = [g.id for g in goals]
    progress = list(
        session.exec(
            select(StepProgress)
            .where(col(StepProgress.goal_id).in_(goal_ids))
            .order_by(col(StepProgress.goal_id), col(StepProgress.id))
        )
    )
    roadmap_of = {g.id: g.roadmap_id for g in goals}
    feedback = session.exec(
        select(AnswerFeedback).where(AnswerFeedback.user_id == user_id).order_by(col(AnswerFeedback.id))
    )
    questions = session.exec(select(QuestionLog).where(QuestionLog.user_id == user_id).order_by(col(QuestionLog.id)))
    audit = session.exec(select(KbAudit).where(KbAudit.actor == user_id).order_by(col(KbAudit.id)))
    data: dict[str, Any] = {
        "user_id": user_id,
        "exported_at": utcnow().isoformat(),
        "goals": [
            {
                "roadmap": g.roadmap_id,
                "active": g.active,
                "target_date": _iso(g.target_date),
                "note": g.note,
                "created_at": _iso(g.created_at),
                "updated_at": _iso(g.updated_at),
            }
            for g in goals
        ],
        "progress": [
            {
                "roadmap": roadmap_of[p.goal_id],
                "step": p.step_id,
                "status": p.status,
                "started_at": _iso(p.started_at),
                "completed_at": _iso(p.completed_at),
                "updated_at": _iso(p.updated_at),
            }
            for p in progress
        ],
        "feedback": [
            {
                "question": f.question,
                "sources": feedback_sources(f),
                "helpful": f.helpful,
                "created_at": _iso(f.created_at),
            }
            for f in feedback
        ],
        "questions": [
            {
                "question": q.question,
                "top_score": q.top_score,
                "abstained": q.abstained,
                "sources": question_sources(q),
                "server": q.guild_id,
                "created_at": _iso(q.created_at),
            }
            for q in questions
        ],
        "audit": [{"action": a.action, "detail": a.detail, "created_at": _iso(a.created_at)} for a in audit],
    }
    data.update(_engagement(user_id, session))
    return data


def _engagement(user_id: str, session: Session) -> dict[str, Any]:
    """Reminder settings, scheduled reminders, activity days, step notes and opt-ins."""
    prefs = session.exec(select(MemberPrefs).where(MemberPrefs.user_id == user_id)).first()
    reminders = session.exec(select(Reminder).where(Reminder.user_id == user_id).order_by(col(Reminder.id)))
    days = session.exec(select(ActivityDay).where(ActivityDay.user_id == user_id).order_by(col(ActivityDay.day)))
    notes = session.exec(select(StepNote).where(StepNote.user_id == user_id).order_by(col(StepNote.id)))
    opt_ins = session.exec(select(OptIn).where(OptIn.user_id == user_id).order_by(col(OptIn.id)))
    return {
        "settings": None
        if prefs is None
        else {
            "timezone": prefs.timezone,
            "reminders": prefs.remind_cadence,
            "reminder_minute": prefs.remind_minute,
            "reminder_weekday": prefs.remind_weekday,
            "dm_failed_at": _iso(prefs.dm_failed_at),
            "created_at": _iso(prefs.created_at),
            "updated_at": _iso(prefs.updated_at),
        },
        "reminders": [
            {
                "kind": r.kind,
                "roadmap": r.roadmap_id,
                "step": r.step_id,
                "interval_days": r.interval_days,
                "due_at": _iso(r.due_at),
            }
            for r in reminders
        ],
        "activity": [{"day": _iso(d.day), "events": d.events} for d in days],
        "notes": [
            {
                "roadmap": n.roadmap_id,
                "step": n.step_id,
                "text": n.text,
                "created_at": _iso(n.created_at),
                "updated_at": _iso(n.updated_at),
            }
            for n in notes
        ],
        "opt_ins": [{"scope": o.scope, "feature": o.feature, "created_at": _iso(o.created_at)} for o in opt_ins],
    }


def forget_user(user_id: str, *, session: Session) -> ForgetCounts:
    """Erase everything about `user_id`.

    Audit entries stay so moderators' edits remain accountable, but no longer name the member.
    """
    lock_member(user_id, session=session)
    # Status changes and votes in flight on the member's goals and questions finish first, or wait and
    # find them gone (row locks; SQLite has one writer anyway).
    asked = select(QuestionLog.id).where(col(QuestionLog.user_id) == user_id)
    session.exec(asked.with_for_update()).all()
    goal_ids = list(session.exec(select(Goal.id).where(Goal.user_id == user_id).with_for_update()))
    counts = ForgetCounts()
    counts.step_progress = _deleted(session, delete(StepProgress).where(col(StepProgress.goal_id).in_(goal_ids)))
    counts.goals = _deleted(session, delete(Goal).where(col(Goal.user_id) == user_id))
    counts.answer_feedback = _deleted(session, delete(AnswerFeedback).where(col(AnswerFeedback.user_id) == user_id))
    # Other members' votes on this member's answers keep the vote and its sources, not their words.
    counts.votes_by_others_cleared = _deleted(
        session,
        update(AnswerFeedback)
        .where(col(AnswerFeedback.question_id).in_(asked))
        .values(question=FORGOTTEN_ACTOR, question_id=None),
    )
    counts.question_log = _deleted(session, delete(QuestionLog).where(col(QuestionLog.user_id) == user_id))
    counts.kb_audit_anonymized = _deleted(
        session, update(KbAudit).where(col(KbAudit.actor) == user_id).values(actor=FORGOTTEN_ACTOR)
    )
    # Reminders in flight are deleted under their sender: its `finish` then finds nothing to reschedule.
    counts.reminders = _deleted(session, delete(Reminder).where(col(Reminder.user_id) == user_id))
    counts.member_prefs = _deleted(session, delete(MemberPrefs).where(col(MemberPrefs.user_id) == user_id))
    counts.activity_days = _deleted(session, delete(ActivityDay).where(col(ActivityDay.user_id) == user_id))
    counts.step_notes = _deleted(session, delete(StepNote).where(col(StepNote.user_id) == user_id))
    counts.opt_ins = _deleted(session, delete(OptIn).where(col(OptIn.user_id) == user_id))
    scrub_after_commit(session)
    return counts


def _deleted(session: Session, statement: Any) -> int:
    return int(session.exec(statement).rowcount or 0)

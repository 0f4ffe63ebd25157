"""A member's own data: everything the store holds about them, to export or to erase."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, delete, select, update

from bot.core.store.activity import feedback_sources, question_sources
from bot.core.store.db import lock_member, scrub_after_commit, utcnow
from bot.core.store.models import AnswerFeedback, Goal, KbAudit, QuestionLog, StepProgress

FORGOTTEN_ACTOR = "(forgotten)"


class ForgetCounts(BaseModel):
    """How many rows `forget` removed per table (audit rows are kept, with the actor erased)."""

    goals: int = 0
    step_progress: int = 0
    answer_feedback: int = 0
    question_log: int = 0
    kb_audit_anonymized: int = 0
    votes_by_others_cleared: int = 0

    @property
    def total(self) -> int:
        return (
            self.goals
            + self.step_progress
            + self.answer_feedback
            + self.question_log
            + self.kb_audit_anonymized
            + self.votes_by_others_cleared
        )


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
    return {
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
                "created_at": _iso(q.created_at),
            }
            for q in questions
        ],
        "audit": [{"action": a.action, "detail": a.detail, "created_at": _iso(a.created_at)} for a in audit],
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
    scrub_after_commit(session)
    return counts


def _deleted(session: Session, statement: Any) -> int:
    return int(session.exec(statement).rowcount or 0)

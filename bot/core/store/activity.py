"""Answer feedback, the question log and the knowledge-base audit trail. Callers own the transaction."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, delete, select

from bot.core.store.db import utcnow
from bot.core.store.models import QUESTION_MAX, AnswerFeedback, KbAudit, QuestionLog
from bot.core.store.validation import clip, validate_user_id

DETAIL_MAX = 4000


def _aware(moment: datetime) -> datetime:
    """Callers may pass naive datetimes; they mean UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def record_feedback(
    user_id: str,
    question: str,
    sources: Sequence[str],
    helpful: bool,
    *,
    session: Session,
    now: datetime | None = None,
) -> AnswerFeedback:
    """Keep a member's verdict on an answer, with the source ids it cited."""
    row = AnswerFeedback(
        user_id=validate_user_id(user_id),
        question=clip(question, QUESTION_MAX),
        sources=json.dumps([str(s) for s in sources], ensure_ascii=False),
        helpful=bool(helpful),
        created_at=_aware(now) if now else utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def feedback_sources(row: AnswerFeedback) -> list[str]:
    """The cited source ids of a feedback row (stored as JSON text)."""
    try:
        value = json.loads(row.sources)
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def log_question(
    user_id: str,
    question: str,
    top_score: float,
    abstained: bool,
    *,
    session: Session,
    now: datetime | None = None,
) -> QuestionLog:
    """Log a question and how well the knowledge covered it (a NaN score is logged as 0)."""
    score = float(top_score)
    row = QuestionLog(
        user_id=validate_user_id(user_id),
        question=clip(question, QUESTION_MAX),
        top_score=score if math.isfinite(score) else 0.0,
        abstained=bool(abstained),
        created_at=_aware(now) if now else utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def list_questions(since: datetime, *, session: Session) -> list[QuestionLog]:
    """Questions asked at or after `since`, oldest first."""
    query = select(QuestionLog).where(col(QuestionLog.created_at) >= _aware(since))
    return list(session.exec(query.order_by(col(QuestionLog.created_at), col(QuestionLog.id))))


def list_feedback(since: datetime, helpful: bool | None = False, *, session: Session) -> list[AnswerFeedback]:
    """Feedback given at or after `since`; by default only the unhelpful verdicts (None: all)."""
    query = select(AnswerFeedback).where(col(AnswerFeedback.created_at) >= _aware(since))
    if helpful is not None:
        query = query.where(col(AnswerFeedback.helpful).is_(helpful))
    return list(session.exec(query.order_by(col(AnswerFeedback.created_at), col(AnswerFeedback.id))))


def purge_questions_older_than(days: int, *, session: Session, now: datetime | None = None) -> int:
    """Delete logged questions older than `days` (the retention period); returns how many went."""
    if days < 0:
        raise ValueError("days must not be negative")
    cutoff = (_aware(now) if now else utcnow()) - timedelta(days=days)
    result = session.exec(delete(QuestionLog).where(col(QuestionLog.created_at) < cutoff))
    return int(result.rowcount or 0)


def add_audit(actor: str, action: str, detail: str = "", *, session: Session, now: datetime | None = None) -> KbAudit:
    """Record a moderator's change to the knowledge base."""
    row = KbAudit(
        actor=validate_user_id(actor),
        action=clip(action, 64),
        detail=clip(detail, DETAIL_MAX),
        created_at=_aware(now) if now else utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def list_audit(limit: int = 50, *, session: Session) -> list[KbAudit]:
    """The newest audit entries first."""
    query = select(KbAudit).order_by(col(KbAudit.created_at).desc(), col(KbAudit.id).desc())
    return list(session.exec(query.limit(max(0, limit))))

"""Answer feedback, the question log and the knowledge-base audit trail. Callers own the transaction."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlmodel import Session, col, delete, select

from bot.core.store.db import utcnow
from bot.core.store.models import QUESTION_MAX, AnswerFeedback, KbAudit, QuestionLog
from bot.core.store.validation import clip, validate_user_id

DETAIL_MAX = 4000


class VoteResult(StrEnum):
    """What became of a vote cast on a logged question."""

    RECORDED = "recorded"
    ALREADY_VOTED = "already_voted"
    TOO_OLD = "too_old"  # the question is gone: purged by retention, or forgotten by its asker


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
    question_id: int | None = None,
    guild_id: str | None = None,
) -> AnswerFeedback:
    """Keep a member's verdict on an answer, with the source ids it cited (and its logged question and
    server, if known)."""
    row = AnswerFeedback(
        user_id=validate_user_id(user_id),
        question=clip(question, QUESTION_MAX),
        sources=_sources_json(sources),
        helpful=bool(helpful),
        created_at=_aware(now) if now else utcnow(),
        question_id=question_id,
        guild_id=guild_id,
    )
    session.add(row)
    session.flush()
    return row


def record_vote(
    question_id: int, user_id: str, helpful: bool, *, session: Session, now: datetime | None = None
) -> VoteResult:
    """A vote on the answer to logged question `question_id`: stored with that question and its sources.

    Needs nothing but the id, so a vote button works long after the answer was sent. One vote per
    member per answer; run it in a write transaction so two quick presses cannot both pass the check.
    """
    user_id = validate_user_id(user_id)
    # The question's row lock queues votes on one answer (and a `forget` of its asker) across processes.
    logged = session.get(QuestionLog, question_id, with_for_update=True, populate_existing=True)
    if logged is None:
        return VoteResult.TOO_OLD
    earlier = select(AnswerFeedback.id).where(
        col(AnswerFeedback.question_id) == question_id, col(AnswerFeedback.user_id) == user_id
    )
    if session.exec(earlier).first() is not None:
        return VoteResult.ALREADY_VOTED
    sources = _parse_sources(logged.sources)
    record_feedback(
        user_id,
        logged.question,
        sources,
        helpful,
        session=session,
        now=now,
        question_id=question_id,
        guild_id=logged.guild_id,
    )
    return VoteResult.RECORDED


def _sources_json(sources: Sequence[str]) -> str:
    return json.dumps([str(s) for s in sources], ensure_ascii=False)


def _parse_sources(stored: str | None) -> list[str]:
    try:
        value = json.loads(stored or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def feedback_sources(row: AnswerFeedback) -> list[str]:
    """The cited source ids of a feedback row (stored as JSON text)."""
    return _parse_sources(row.sources)


def question_sources(row: QuestionLog) -> list[str]:
    """The source ids the logged answer cited ([] when none, or logged before sources were kept)."""
    return _parse_sources(row.sources)


def log_question(
    user_id: str,
    question: str,
    top_score: float,
    abstained: bool,
    *,
    session: Session,
    now: datetime | None = None,
    sources: Sequence[str] | None = None,
    guild_id: str | None = None,
) -> QuestionLog:
    """Log a question and how well the knowledge covered it (a NaN score is logged as 0).

    `sources` are the ids the answer cited; votes on the answer are stored with them. `guild_id` is
    the server it was asked in (None for DMs and the command line), so reports can be per server.
    """
    score = float(top_score)
    row = QuestionLog(
        user_id=validate_user_id(user_id),
        question=clip(question, QUESTION_MAX),
        top_score=score if math.isfinite(score) else 0.0,
        abstained=bool(abstained),
        created_at=_aware(now) if now else utcnow(),
        sources=None if sources is None else _sources_json(sources),
        guild_id=guild_id,
    )
    session.add(row)
    session.flush()
    return row


def list_questions(since: datetime, *, session: Session, guild_id: str | None = None) -> list[QuestionLog]:
    """Questions asked at or after `since`, oldest first; only those of one server when `guild_id` is given."""
    query = select(QuestionLog).where(col(QuestionLog.created_at) >= _aware(since))
    if guild_id is not None:
        query = query.where(col(QuestionLog.guild_id) == guild_id)
    return list(session.exec(query.order_by(col(QuestionLog.created_at), col(QuestionLog.id))))


def list_feedback(
    since: datetime, helpful: bool | None = False, *, session: Session, guild_id: str | None = None
) -> list[AnswerFeedback]:
    """Feedback given at or after `since`; by default only the unhelpful verdicts (None: all); only one
    server's when `guild_id` is given."""
    query = select(AnswerFeedback).where(col(AnswerFeedback.created_at) >= _aware(since))
    if guild_id is not None:
        query = query.where(col(AnswerFeedback.guild_id) == guild_id)
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

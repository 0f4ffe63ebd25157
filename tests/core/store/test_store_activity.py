"""Answer feedback, the question log and the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bot.core.errors import InvalidInput
from bot.core.store import (
    VoteResult,
    add_audit,
    feedback_sources,
    list_audit,
    list_feedback,
    list_questions,
    log_question,
    purge_questions_older_than,
    question_sources,
    reading,
    record_feedback,
    record_vote,
    transaction,
)
from bot.core.store.models import QUESTION_MAX

T0 = datetime(2030, 1, 1, tzinfo=UTC)


def test_feedback_round_trip_and_filters(engine: Engine) -> None:
    with transaction(engine) as session:
        record_feedback("u1", "What is ML?", ["ml-engineer-role", "faq-1"], True, session=session, now=T0)
        record_feedback("u2", "Bad answer?", [], False, session=session, now=T0 + timedelta(days=1))
        record_feedback("u3", "Old", ["x"], False, session=session, now=T0 - timedelta(days=30))
    with reading(engine) as session:
        unhelpful = list_feedback(T0 - timedelta(days=1), session=session)
        assert [f.question for f in unhelpful] == ["Bad answer?"]
        helpful = list_feedback(T0, helpful=True, session=session)
        assert [feedback_sources(f) for f in helpful] == [["ml-engineer-role", "faq-1"]]
        assert len(list_feedback(T0 - timedelta(days=60), helpful=None, session=session)) == 3
        # A naive `since` means UTC.
        assert len(list_feedback(datetime(2029, 12, 1), helpful=None, session=session)) == 3
        assert unhelpful[0].created_at == T0 + timedelta(days=1)


def test_question_log_clips_and_purges(engine: Engine) -> None:
    with transaction(engine) as session:
        log_question("u1", "q" * 10_000, 0.91, False, session=session, now=T0)
        log_question("u1", "what\x00 now", float("nan"), True, session=session, now=T0 - timedelta(days=100))
        log_question("u2", "recent", 0.2, True, session=session, now=T0 - timedelta(days=89))
    with reading(engine) as session:
        rows = list_questions(T0 - timedelta(days=365), session=session)
        assert [len(r.question) for r in rows] == [len("what now"), len("recent"), QUESTION_MAX]
        assert rows[0].top_score == 0.0 and rows[0].abstained
        recent = list_questions(T0 - timedelta(days=1), session=session)
        assert len(recent) == 1 and recent[0].question.startswith("qqq")
    with transaction(engine) as session:
        assert purge_questions_older_than(90, session=session, now=T0) == 1
    with transaction(engine) as session:
        assert purge_questions_older_than(90, session=session, now=T0) == 0
        with pytest.raises(ValueError):
            purge_questions_older_than(-1, session=session)
    with reading(engine) as session:
        assert len(list_questions(T0 - timedelta(days=365), session=session)) == 2


def test_audit_newest_first_with_limit(engine: Engine) -> None:
    with transaction(engine) as session:
        for i in range(5):
            add_audit("mod-1", "faq.add", f"added faq-{i}", session=session, now=T0 + timedelta(minutes=i))
    with reading(engine) as session:
        entries = list_audit(3, session=session)
        assert [e.detail for e in entries] == ["added faq-4", "added faq-3", "added faq-2"]
        assert list_audit(0, session=session) == []


def test_activity_validates_user_ids(engine: Engine) -> None:
    with transaction(engine) as session:
        for call in (
            lambda: record_feedback("", "q", [], True, session=session),
            lambda: log_question("x" * 101, "q", 0.1, False, session=session),
            lambda: add_audit(" ", "a", session=session),
        ):
            with pytest.raises(InvalidInput):
                call()


def test_votes_name_their_question_once_per_member_until_it_is_gone(engine: Engine) -> None:
    with transaction(engine) as session:
        asked = log_question("asker", "Which flour?", 0.8, False, session=session, now=T0, sources=["faq/flour.md"])
        assert asked.id is not None and question_sources(asked) == ["faq/flour.md"]
        qid = asked.id
        assert record_vote(qid, "voter", False, session=session, now=T0) is VoteResult.RECORDED
        assert record_vote(qid, "voter", True, session=session, now=T0) is VoteResult.ALREADY_VOTED
        assert record_vote(qid, "asker", True, session=session, now=T0) is VoteResult.RECORDED
    with reading(engine) as session:
        votes = list_feedback(T0 - timedelta(days=1), helpful=None, session=session)
    # Each vote keeps the question and the sources it was cast on; the repeat changed nothing.
    assert [(v.user_id, v.question, feedback_sources(v), v.helpful, v.question_id) for v in votes] == [
        ("voter", "Which flour?", ["faq/flour.md"], False, qid),
        ("asker", "Which flour?", ["faq/flour.md"], True, qid),
    ]
    with transaction(engine) as session:
        assert purge_questions_older_than(90, session=session, now=T0 + timedelta(days=91)) == 1
    with transaction(engine) as session:
        assert record_vote(qid, "latecomer", True, session=session) is VoteResult.TOO_OLD
        assert record_vote(qid + 1, "latecomer", True, session=session) is VoteResult.TOO_OLD
        with pytest.raises(InvalidInput):
            record_vote(qid, " ", True, session=session)
    with reading(engine) as session:  # the votes outlive the question (they are the voters' data)
        assert len(list_feedback(T0 - timedelta(days=1), helpful=None, session=session)) == 2

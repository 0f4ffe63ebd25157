"""A member's own data: export everything, forget everything (nothing left in any table)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from roadmap_fixtures import TINY_ROADMAP as ROADMAP
from sqlalchemy import Engine, inspect, text

from bot.core.engagement.schemas import Feature
from bot.core.engagement.service import EngagementService
from bot.core.roadmap.service import RoadmapService
from bot.core.store import (
    ForgetCounts,
    VoteResult,
    add_audit,
    export_user,
    forget_user,
    log_question,
    open_store,
    reading,
    record_feedback,
    record_vote,
    transaction,
)
from bot.core.store.models import StepStatus

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def _export(engine: Engine, user: str) -> dict[str, Any]:
    with reading(engine) as session:
        return export_user(user, session=session)


def _forget(engine: Engine, user: str) -> ForgetCounts:
    with transaction(engine) as session:
        return forget_user(user, session=session)


def _populate(engine: Engine, user: str) -> RoadmapService:
    service = RoadmapService(engine, lambda: [ROADMAP], clock=lambda: NOW)
    service.set_goal(user, "tiny", target_date=date(2030, 5, 1), note="note of " + user)
    service.set_status(user, "two", StepStatus.DONE, with_prerequisites=True)
    engagement = EngagementService(engine, service, clock=lambda: NOW)
    engagement.set_reminders(user, "weekly", "07:15", "Europe/Paris", "friday")
    service.set_status(user, "one", StepStatus.REVIEW, review_days=5)
    engagement.note(user, "one", f"private note of {user}: https://example.org")
    engagement.set_opt_in(user, "guild-of-" + user, Feature.LEADERBOARD, True)
    engagement.set_opt_in(user, "guild-of-" + user, Feature.PEERS, True)
    with transaction(engine) as session:
        record_feedback(user, f"question by {user}", ["a", "b"], False, session=session)
        log_question(user, f"asked by {user}", 0.4, False, session=session, sources=[f"source-of-{user}"])
        add_audit(user, "faq.add", "added a faq", session=session)
    return service


def _vote_on_each_other(engine: Engine, first: str, second: str) -> tuple[int, int]:
    """Each member asks a question and votes on the other's answer (votes from persistent buttons)."""
    with transaction(engine) as session:
        ids = []
        for n, asker in enumerate((first, second)):
            row = log_question(asker, f"voted question {n}", 0.7, False, session=session, sources=["c"])
            assert row.id is not None
            ids.append(row.id)
        assert record_vote(ids[1], first, True, session=session) is VoteResult.RECORDED
        assert record_vote(ids[0], second, False, session=session) is VoteResult.RECORDED
    return ids[0], ids[1]


def _cells_mentioning(engine: Engine, needle: str) -> list[tuple[str, str]]:
    """Every (table, column) in the whole database whose value contains `needle`."""
    found = []
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for column in inspect(conn).get_columns(table):
                name = column["name"]
                hits = conn.execute(
                    text(f'SELECT count(*) FROM "{table}" WHERE CAST("{name}" AS TEXT) LIKE :n'), {"n": f"%{needle}%"}
                ).scalar()
                if hits:
                    found.append((table, name))
    return found


def _count_rows(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() or 0
            for t in inspect(conn).get_table_names()
            if t != "alembic_version"
        }


def test_export_has_everything(engine: Engine) -> None:
    _populate(engine, "member-42")
    data = _export(engine, "member-42")
    json.dumps(data)  # JSON-ready
    assert data["user_id"] == "member-42"
    assert data["goals"] == [
        {
            "roadmap": "tiny",
            "active": True,
            "target_date": "2030-05-01",
            "note": "note of member-42",
            "created_at": NOW.isoformat(),
            "updated_at": NOW.isoformat(),
        }
    ]
    assert {(p["step"], p["status"]) for p in data["progress"]} == {("one", "review"), ("two", "done")}
    assert data["feedback"][0]["sources"] == ["a", "b"] and not data["feedback"][0]["helpful"]
    assert data["questions"][0]["question"] == "asked by member-42"
    assert data["questions"][0]["sources"] == ["source-of-member-42"]
    assert data["audit"][0]["action"] == "faq.add"
    assert data["settings"] is not None and data["settings"]["timezone"] == "Europe/Paris"
    assert (data["settings"]["reminders"], data["settings"]["reminder_minute"]) == ("weekly", 7 * 60 + 15)
    assert sorted(r["kind"] for r in data["reminders"]) == ["review", "routine"]
    assert data["notes"] == [
        {
            "roadmap": "tiny",
            "step": "one",
            "text": "private note of member-42: https://example.org",
            "created_at": NOW.isoformat(),
            "updated_at": NOW.isoformat(),
        }
    ]
    assert data["activity"] == [{"day": "2030-01-01", "events": 3}]  # two status changes and a note
    assert sorted(o["feature"] for o in data["opt_ins"]) == ["leaderboard", "peers"]


def test_forget_leaves_nothing_and_spares_others(engine: Engine) -> None:
    _populate(engine, "member-42")
    _populate(engine, "other-7")
    mine, theirs = _vote_on_each_other(engine, "member-42", "other-7")
    before = _count_rows(engine)
    counts = _forget(engine, "member-42")
    assert (counts.goals, counts.step_progress, counts.answer_feedback, counts.question_log) == (1, 2, 2, 2)
    assert counts.kb_audit_anonymized == 1
    assert (counts.member_prefs, counts.reminders, counts.step_notes, counts.opt_ins, counts.activity_days) == (
        1,
        2,
        1,
        2,
        1,
    )
    assert _cells_mentioning(engine, "member-42") == []
    assert _cells_mentioning(engine, "private note of member-42") == []
    after = _count_rows(engine)
    assert after["goal"] == before["goal"] - 1 and after["kb_audit"] == before["kb_audit"]
    other = _export(engine, "other-7")
    assert len(other["progress"]) == 2 and other["feedback"] and other["questions"] and other["audit"]
    empty = _export(engine, "member-42")
    assert [empty[k] for k in ("goals", "progress", "feedback", "questions", "audit")] == [[]] * 5
    assert [empty[k] for k in ("reminders", "activity", "notes", "opt_ins")] == [[]] * 4 and empty["settings"] is None
    assert _forget(engine, "member-42").total == 0
    with transaction(engine) as session:
        # The other member's vote on the forgotten question stays theirs; the question can't be rated any more.
        assert record_vote(mine, "third-3", True, session=session) is VoteResult.TOO_OLD
        # The forgotten member's vote is gone: voting again is a first vote, not a repeat.
        assert record_vote(theirs, "member-42", True, session=session) is VoteResult.RECORDED
    # The other member keeps their vote and its sources, but not the forgotten member's words.
    assert counts.votes_by_others_cleared == 1
    assert [f["question"] for f in _export(engine, "other-7")["feedback"]] == [
        "question by other-7",
        "(forgotten)",
    ]
    assert _cells_mentioning(engine, "voted question 0") == []


def test_forget_leaves_no_copy_in_the_sqlite_files(file_url: str) -> None:
    """Not just unlinked: the database file and its write-ahead log hold no byte of the member's id."""
    engine = open_store(file_url)
    _populate(engine, "member-4242")
    _populate(engine, "other-7")
    _vote_on_each_other(engine, "member-4242", "other-7")
    database = Path(file_url.removeprefix("sqlite:///"))
    files = [database, Path(f"{database}-wal")]
    assert any(b"member-4242" in f.read_bytes() for f in files if f.exists())
    _forget(engine, "member-4242")
    assert [str(f) for f in files if f.exists() and b"member-4242" in f.read_bytes()] == []
    assert _export(engine, "other-7")["goals"]  # the others' rows are all still there
    engine.dispose()

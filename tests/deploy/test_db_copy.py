"""`roadmap-bot db copy --to postgresql+psycopg://…` moves a SQLite deployment's data into PostgreSQL.

A real SQLite file with every kind of row goes into a real PostgreSQL database: every row arrives with
its id, the counts per table are printed and checked, the target keeps handing out new ids after the
old ones, a non-empty target is refused without --force, and a failed copy leaves the target empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pg_server import PostgresServer
from roadmap_fixtures import TINY_ROADMAP as ROADMAP
from sqlalchemy import Engine, select, text

from bot.cli import main
from bot.core.community import CommunityConfig
from bot.core.roadmap.service import RoadmapService
from bot.core.store import (
    VoteResult,
    add_audit,
    export_user,
    log_question,
    reading,
    record_feedback,
    record_vote,
    transaction,
)
from bot.core.store.copy import row_counts
from bot.core.store.db import open_store
from bot.core.store.models import TABLES, StepStatus

NOW = datetime(2030, 1, 1, tzinfo=UTC)
MEMBERS = ["alice", "bob", "ünïcødé-member"]


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A SQLite deployment with goals, statuses, questions, votes and audit rows; DATABASE_URL points at it."""
    url = f"sqlite:///{tmp_path / 'data' / 'roadmap-bot.db'}"
    engine = open_store(url)
    service = RoadmapService(engine, lambda: [ROADMAP], clock=lambda: NOW)
    for n, member in enumerate(MEMBERS):
        service.set_goal(member, "tiny", target_date=date(2031, 1, n + 1), note=f"note {n} ✓")
        service.set_status(member, "two" if n else "one", StepStatus.DONE, with_prerequisites=True)
    with transaction(engine) as session:
        questions = [
            log_question(m, f"question of {m}?", 0.5, n == 1, session=session, sources=["a"])
            for n, m in enumerate(MEMBERS)
        ]
        for voter in MEMBERS:
            for question in questions:
                assert question.id is not None
                assert record_vote(question.id, voter, voter != "bob", session=session) is VoteResult.RECORDED
        record_feedback("alice", "an old vote", ["b"], False, session=session, now=NOW)
        add_audit("mod-1", "faq.add", "faq/x.md", session=session)
        newest = log_question("bob", "deleted later", 0.1, True, session=session)
        session.delete(newest)  # its id must never be handed out again, in PostgreSQL either
    # A server's settings (0005): snowflakes kept as text, so they survive any database's integers.
    community = CommunityConfig(engine, clock=lambda: NOW)
    community.update_guild(2**62 + 1, helper_role=2**62 + 2, digest_channel=2**62 + 3)
    community.set_channel_mode(2**62 + 1, 2**62 + 4, "auto")
    community.set_channel_mode(2**62 + 1, 2**62 + 5, "off")
    engine.dispose()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    yield url


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> Iterator[str]:
    url = pg_server.create_database(template="template0")  # empty: `db copy` migrates it first
    yield url
    pg_server.drop_database(url)


def everything(engine: Engine) -> dict[str, object]:
    """What each member would export, plus every table's rows in id order (timestamps compared as instants)."""
    with reading(engine) as session:
        exports = {m: {k: v for k, v in export_user(m, session=session).items() if k != "exported_at"} for m in MEMBERS}
        conn = session.connection()
        tables = {
            table.name: [tuple(row) for row in conn.execute(select(table).order_by(table.c.id))]
            for table in (model.__table__ for model in TABLES)  # type: ignore[attr-defined]
        }
    return {"exports": exports, "tables": tables}


def test_copy_moves_every_row_and_prints_the_counts(
    sqlite_url: str, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "copy", "--to", pg_url]) == 0
    out = capsys.readouterr().out
    source, target = open_store(sqlite_url), open_store(pg_url)
    counts = row_counts(source)
    assert counts == row_counts(target)
    assert counts == {
        "goal": 3,
        "step_progress": 5,
        "question_log": 3,
        "answer_feedback": 10,
        "kb_audit": 1,
        # Engagement (0004): each member's status change made a day of activity.
        "member_prefs": 0,
        "reminder": 0,
        "activity_day": 3,
        "step_note": 0,
        "opt_in": 0,
        "guild_settings": 1,
        "channel_settings": 2,
    }
    for table, n in counts.items():
        assert f"{table}" in out and f"{n:>8}  {n:>8}" in out
    assert "Every table's count matches: 12 tables, 28 rows copied." in out
    assert everything(source) == everything(target)
    # Ids go on after the source's: the deleted question's id 4 is not handed out again.
    with transaction(target) as session:
        assert log_question("carol", "after the move", 0.5, False, session=session).id == 5
        service = RoadmapService(target, lambda: [ROADMAP], clock=lambda: NOW)
    service.set_goal("carol", "tiny")
    assert service.progress("alice").done == 1 and service.progress("bob").done == 2
    source.dispose()
    target.dispose()


def test_a_target_that_holds_rows_is_refused_unless_forced(
    sqlite_url: str, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "copy", "--to", pg_url]) == 0
    capsys.readouterr()
    assert main(["db", "copy", "--to", pg_url]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "already holds rows (goal 3" in err[0] and "--force" in err[0]
    assert main(["db", "copy", "--to", pg_url, "--force"]) == 0
    target = open_store(pg_url)
    assert row_counts(target)["answer_feedback"] == 10  # replaced, not doubled
    target.dispose()


def test_a_row_that_does_not_fit_rolls_everything_back(
    sqlite_url: str, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # SQLite does not enforce VARCHAR lengths; PostgreSQL does. Such a row stops the copy, and nothing stays.
    source = open_store(sqlite_url)
    with source.begin() as conn:
        conn.execute(text("UPDATE kb_audit SET action = :long"), {"long": "x" * 100})
    source.dispose()
    assert main(["db", "copy", "--to", pg_url]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "a row of kb_audit does not fit the target" in err[0] and "nothing was copied" in err[0]
    target = open_store(pg_url)
    assert set(row_counts(target).values()) == {0}
    target.dispose()


def test_counts_that_disagree_fail_and_leave_nothing(
    sqlite_url: str, pg_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.core.store import copy

    real = copy._copy_rows

    def loses_a_row(src, dst, table):  # type: ignore[no-untyped-def]
        real(src, dst, table)
        if table.name == "step_progress":
            dst.execute(table.delete().where(table.c.id == 1))

    monkeypatch.setattr(copy, "_copy_rows", loses_a_row)
    assert main(["db", "copy", "--to", pg_url]) == 1
    captured = capsys.readouterr()
    assert re.search(r"step_progress +5 +4  MISMATCH", captured.out)
    assert "the row counts differ (step_progress 5 -> 4); nothing was copied." in captured.err
    target = open_store(pg_url)
    assert set(row_counts(target).values()) == {0}
    target.dispose()


def test_copy_into_the_source_itself_is_refused(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "copy", "--to", sqlite_url]) == 1
    assert "names DATABASE_URL itself" in capsys.readouterr().err

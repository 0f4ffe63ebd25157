"""Two write transactions on the same thing queue instead of failing or losing a write, on both engines.

Each test holds one transaction open in the test's thread while a second one, in another thread (with
its own connection), writes the same step, vote or member's goals: the second must wait for the first
to commit and then build on what it wrote. On PostgreSQL this is the row locks and the member lock; on
SQLite the single writer lock.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import TypeVar

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.core.store import VoteResult, log_question, record_vote
from bot.core.store.db import make_engine, open_store, reading, transaction
from bot.core.store.goals import save_goal, write_status
from bot.core.store.models import Goal, StepProgress, StepStatus

NOW = datetime(2030, 1, 1, tzinfo=UTC)
T = TypeVar("T")


@pytest.fixture
def store(store_url: str) -> Iterator[Engine]:
    engine = open_store(store_url)
    yield engine
    engine.dispose()


class Second(threading.Thread):
    """The second writer: runs `work` in its own transaction and keeps the result or the error."""

    def __init__(self, engine: Engine, work: Callable[[Session], object]) -> None:
        super().__init__(daemon=True)
        self.engine, self.work = engine, work
        self.result: object = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with transaction(self.engine) as session:
                self.result = self.work(session)
        except BaseException as exc:
            self.error = exc


def race(engine: Engine, first: Callable[[Session], object], second: Callable[[Session], T]) -> T:
    """`first` runs and stays uncommitted while `second` starts; `second` must wait, then succeed."""
    with transaction(engine) as session:
        first(session)
        other = Second(engine, second)
        other.start()
        time.sleep(0.5)
        assert other.is_alive(), "the second writer did not wait for the first"
    other.join(timeout=30)
    assert not other.is_alive()
    if other.error is not None:
        raise other.error
    return other.result  # type: ignore[return-value]


def test_a_step_written_twice_at_once_builds_on_the_first(store: Engine) -> None:
    with transaction(store) as session:
        goal, _ = save_goal("u", "r", target_date=None, note=None, session=session, now=NOW)
    assert goal.id is not None
    goal_id = goal.id

    def first(session: Session) -> object:
        return write_status(goal_id, "s", StepStatus.IN_PROGRESS, session=session, now=NOW)

    def second(session: Session) -> StepStatus:
        _, previous = write_status(goal_id, "s", StepStatus.DONE, session=session, now=NOW)
        return previous

    assert race(store, first, second) is StepStatus.IN_PROGRESS  # it saw the first write
    with reading(store) as session:
        rows = session.exec(select(StepProgress)).all()
        assert [(r.step_id, r.status) for r in rows] == [("s", "done")]
        assert rows[0].started_at == NOW and rows[0].completed_at == NOW


def test_two_votes_of_one_member_on_one_answer_at_once_keep_one(store: Engine) -> None:
    with transaction(store) as session:
        question = log_question("asker", "q?", 0.9, False, session=session, sources=["a"])
    assert question.id is not None
    question_id = question.id

    def vote(session: Session) -> VoteResult:
        return record_vote(question_id, "voter", True, session=session)

    assert race(store, vote, vote) is VoteResult.ALREADY_VOTED


def test_two_new_goals_of_one_member_at_once_leave_one_active(store: Engine) -> None:
    def first(session: Session) -> object:
        return save_goal("m", "first", target_date=None, note=None, session=session, now=NOW)

    def second(session: Session) -> bool:
        _, created = save_goal("m", "second", target_date=None, note=None, session=session, now=NOW)
        return created

    assert race(store, first, second) is True
    with reading(store) as session:
        goals = {g.roadmap_id: g.active for g in session.exec(select(Goal).where(Goal.user_id == "m"))}
    assert goals == {"first": False, "second": True}


def test_the_same_new_goal_twice_at_once_is_created_once(store: Engine) -> None:
    def make(session: Session) -> bool:
        _, created = save_goal("n", "same", target_date=None, note="x", session=session, now=NOW)
        return created

    assert race(store, make, make) is False
    with reading(store) as session:
        assert len(session.exec(select(Goal).where(Goal.user_id == "n")).all()) == 1


def test_a_store_opened_while_another_process_writes_waits_to_switch_to_wal(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Switching a file to WAL fails at once (no busy wait) while another connection holds a write lock.

    A second bot process opening a new store while the first migrates it met exactly that in CI.
    """
    path = tmp_path_factory.mktemp("wal") / "store.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO t VALUES (1)")
    release = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    release.start()
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("SELECT count(*) FROM t").scalar() == 1
    finally:
        release.join()
        engine.dispose()
        holder.close()

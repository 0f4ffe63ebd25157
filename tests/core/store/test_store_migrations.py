"""Schema migrations on SQLite and PostgreSQL: 0001, 0002 and 0003 -> head keep every row; the models and
the migrations agree; constraints hold; SQLite's pragmas are on; processes racing to migrate are safe."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, exc, inspect, text
from sqlmodel import SQLModel

from bot.core.store import VoteResult, list_feedback, log_question, models, question_sources, record_vote
from bot.core.store.db import current_revision, head_revision, make_engine, migrate, open_store, transaction, utcnow
from bot.core.store.models import AnswerFeedback, Goal, QuestionLog, StepProgress

OUR_TABLES = {str(t.__tablename__) for t in models.TABLES}


def _rows(engine: Engine, table: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))]


def test_a_fresh_store_reaches_the_head(engine: Engine) -> None:
    assert head_revision() >= "0004"
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) >= OUR_TABLES


def test_upgrade_from_0001_keeps_every_row(store_url: str) -> None:
    engine = make_engine(store_url)
    migrate(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "answer_feedback" not in inspect(engine).get_table_names()
    stamp = "2030-01-01 10:00:00.000000"
    with engine.begin() as conn:
        for i in range(30):
            conn.execute(
                text(
                    "INSERT INTO goal (user_id, roadmap_id, target_date, note, active, created_at, updated_at) "
                    "VALUES (:u, :r, :d, :n, :a, :t, :t)"
                ),
                {
                    "u": f"user-{i % 10}",
                    "r": f"roadmap-{i // 10}",
                    "d": "2031-05-01" if i % 2 else None,
                    "n": f"note ünïcødé {i}" if i % 3 else None,
                    "a": i < 10,
                    "t": stamp,
                },
            )
        for goal_id in range(1, 31):
            for step in range(5):
                conn.execute(
                    text(
                        "INSERT INTO step_progress (goal_id, step_id, status, started_at, completed_at, updated_at) "
                        "VALUES (:g, :s, :st, :t, NULL, :t)"
                    ),
                    {
                        "g": goal_id,
                        "s": f"step-{step}",
                        "st": ["todo", "in_progress", "done", "skipped"][step % 4],
                        "t": stamp,
                    },
                )
    goals_before, progress_before = _rows(engine, "goal"), _rows(engine, "step_progress")
    engine.dispose()

    upgraded = open_store(store_url)  # as the bot does on start
    assert current_revision(upgraded) == head_revision()
    assert _rows(upgraded, "goal") == goals_before and len(goals_before) == 30
    assert _rows(upgraded, "step_progress") == progress_before and len(progress_before) == 150
    with transaction(upgraded) as session:  # the old rows read back through the models, the new tables work
        goal = session.get(Goal, 2)
        assert goal is not None and goal.note == "note ünïcødé 1" and goal.created_at.tzinfo is not None
        assert session.get(StepProgress, 150) is not None
    migrate(upgraded)  # again: nothing to do
    assert _rows(upgraded, "goal") == goals_before
    upgraded.dispose()


def test_upgrade_from_0002_keeps_questions_and_feedback_and_never_reuses_ids(store_url: str) -> None:
    engine = make_engine(store_url)
    migrate(engine, "0002")
    stamp = "2030-01-01 10:00:00.000000"
    with engine.begin() as conn:
        for i in range(20):
            conn.execute(
                text(
                    "INSERT INTO question_log (user_id, question, top_score, abstained, created_at) "
                    "VALUES (:u, :q, :s, :a, :t)"
                ),
                {"u": f"user-{i % 4}", "q": f"question ünïcødé {i}", "s": i / 20, "a": i % 3 == 0, "t": stamp},
            )
            conn.execute(
                text(
                    "INSERT INTO answer_feedback (user_id, question, sources, helpful, created_at) "
                    "VALUES (:u, :q, :src, :h, :t)"
                ),
                {"u": f"user-{i % 4}", "q": f"question {i}", "src": f'["doc-{i}"]', "h": i % 2 == 0, "t": stamp},
            )
    questions_before, feedback_before = _rows(engine, "question_log"), _rows(engine, "answer_feedback")
    engine.dispose()

    upgraded = open_store(store_url)
    assert current_revision(upgraded) == head_revision()
    # Same rows, same ids, the new columns (sources / question id, then the server) empty.
    assert _rows(upgraded, "question_log") == [(*row, None, None) for row in questions_before]
    assert _rows(upgraded, "answer_feedback") == [(*row, None, None) for row in feedback_before]
    assert len(questions_before) == 20 and len(feedback_before) == 20
    assert {i["name"] for i in inspect(upgraded).get_indexes("question_log")} == {
        "ix_question_log_created_at",
        "ix_question_log_user_id",
        "ix_question_log_guild_id",
    }
    with transaction(upgraded) as session:
        old = session.get(QuestionLog, 19)
        assert old is not None and old.question == "question ünïcødé 18" and question_sources(old) == []
        assert old.created_at.tzinfo is not None
        # A vote on a question logged before the upgrade works (it just has no sources to keep).
        assert record_vote(19, "voter", True, session=session) is VoteResult.RECORDED
        # A vote button for a deleted question (the newest, say) must never come to point at a newer one.
        fresh = log_question("user-9", "new question", 0.8, False, session=session, sources=["a"])
        assert fresh.id == 21 and fresh.sources == '["a"]'
        session.delete(fresh)
    with transaction(upgraded) as session:
        again = log_question("user-9", "newer question", 0.8, False, session=session)
        assert again.id == 22
        votes = list_feedback(utcnow().replace(year=2000), helpful=True, session=session)
        assert [(v.question_id, v.user_id) for v in votes if v.question_id is not None] == [(19, "voter")]
    migrate(upgraded)  # again: nothing to do
    upgraded.dispose()


def test_upgrade_from_0003_keeps_statuses_and_allows_review(store_url: str) -> None:
    """0004 rebuilds step_progress for the `review` status (SQLite copies the table): rows and ids stay."""
    engine = make_engine(store_url)
    migrate(engine, "0003")
    stamp = "2030-01-01 10:00:00.000000"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO goal (user_id, roadmap_id, active, created_at, updated_at) VALUES ('u', 'r', :a, :t, :t)"
            ),
            {"a": True, "t": stamp},
        )
        for n, status in enumerate(["todo", "in_progress", "done", "skipped"] * 3):
            conn.execute(
                text("INSERT INTO step_progress (goal_id, step_id, status, updated_at) VALUES (1, :s, :st, :t)"),
                {"s": f"step-{n}", "st": status, "t": stamp},
            )
    before = _rows(engine, "step_progress")
    engine.dispose()

    upgraded = open_store(store_url)
    assert current_revision(upgraded) == head_revision()
    assert _rows(upgraded, "step_progress") == before
    assert {"member_prefs", "reminder", "activity_day", "step_note", "opt_in"} <= set(
        inspect(upgraded).get_table_names()
    )
    with upgraded.begin() as conn:
        conn.execute(text("UPDATE step_progress SET status = 'review' WHERE id = 3"))
    with pytest.raises(exc.IntegrityError), upgraded.begin() as conn:
        conn.execute(text("UPDATE step_progress SET status = 'finished' WHERE id = 4"))
    with upgraded.begin() as conn:  # the cascade from goals still holds after the copy
        conn.execute(text("DELETE FROM goal"))
        assert conn.execute(text("SELECT count(*) FROM step_progress")).scalar() == 0
    upgraded.dispose()


def test_one_vote_per_member_per_question_is_enforced_by_the_store(engine: Engine) -> None:
    now = utcnow()
    with pytest.raises(exc.IntegrityError), transaction(engine) as session:
        for _ in range(2):
            session.add(AnswerFeedback(user_id="u", question="q", helpful=True, created_at=now, question_id=7))
            session.flush()
    with transaction(engine) as session:  # votes from before 0003 have no question id, and never collide
        for _ in range(2):
            session.add(AnswerFeedback(user_id="u", question="q", helpful=True, created_at=now))
        session.add(AnswerFeedback(user_id="v", question="q", helpful=True, created_at=now, question_id=7))
        session.add(AnswerFeedback(user_id="u", question="q", helpful=True, created_at=now, question_id=7))


def test_models_match_migrations(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, SQLModel.metadata)
    ours = [d for d in diffs if OUR_TABLES & set(map(str, _flatten(d)))]
    assert ours == []


def _flatten(diff: object) -> list[object]:
    out: list[object] = []
    items = diff if isinstance(diff, (list, tuple)) else [diff]
    for item in items:
        if isinstance(item, (list, tuple)):
            out.extend(_flatten(item))
        else:
            out.append(getattr(item, "name", item))
            table = getattr(item, "table", None)
            if table is not None:
                out.append(table.name)
    return out


def test_file_store_pragmas_and_parent_folder(file_url: str, tmp_path: Path) -> None:
    engine = open_store(file_url)
    assert (tmp_path / "nested" / "folder" / "store.db").exists()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
    engine.dispose()


def test_foreign_keys_cascade_and_one_active_goal(engine: Engine) -> None:
    now = utcnow()
    with transaction(engine) as session:
        goal = Goal(user_id="u", roadmap_id="r", active=True, created_at=now, updated_at=now)
        session.add(goal)
        session.flush()
        assert goal.id is not None
        session.add(StepProgress(goal_id=goal.id, step_id="s", status="done", updated_at=now))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM goal"))
        assert conn.execute(text("SELECT count(*) FROM step_progress")).scalar() == 0
    with pytest.raises(exc.IntegrityError), transaction(engine) as session:
        session.add(Goal(user_id="u", roadmap_id="a", active=True, created_at=now, updated_at=now))
        session.add(Goal(user_id="u", roadmap_id="b", active=True, created_at=now, updated_at=now))
    with pytest.raises(exc.IntegrityError), transaction(engine) as session:
        session.add(StepProgress(goal_id=999, step_id="s", status="done", updated_at=now))
    with pytest.raises(exc.IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO goal (user_id, roadmap_id, active, created_at, updated_at) VALUES "
                "('v', 'r', :active, '2030-01-01', '2030-01-01')"
            ),
            {"active": True},
        )
        conn.execute(
            text(
                "INSERT INTO step_progress (goal_id, step_id, status, updated_at) "
                "VALUES ((SELECT id FROM goal WHERE user_id = 'v'), 's', 'finished', '2030-01-01')"
            )
        )
    with transaction(engine) as session:  # the index is partial: inactive goals never collide
        for roadmap in ("a", "b", "c"):
            session.add(Goal(user_id="u", roadmap_id=roadmap, active=roadmap == "b", created_at=now, updated_at=now))


def test_failed_transaction_leaves_nothing(engine: Engine) -> None:
    now = utcnow()
    with pytest.raises(RuntimeError), transaction(engine) as session:
        session.add(Goal(user_id="w", roadmap_id="r", created_at=now, updated_at=now))
        session.flush()
        raise RuntimeError("boom")
    assert _rows(engine, "goal") == []

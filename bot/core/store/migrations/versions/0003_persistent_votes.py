"""Votes that outlive the bot process: logged questions keep their sources, votes name their question.

Vote buttons carry only a question_log id, so that row must hold what a vote records (the cited
sources), and from now on its id must never be reused: the table is rebuilt with AUTOINCREMENT,
keeping its rows and ids. answer_feedback gains the question id, unique per member, so a second
vote on one answer can be refused.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _recreate() -> Literal["always", "auto"]:
    """SQLite needs the copy for AUTOINCREMENT; PostgreSQL's sequences never hand an id out twice anyway."""
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"


def upgrade() -> None:
    with op.batch_alter_table(
        "question_log", schema=None, recreate=_recreate(), table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.add_column(sa.Column("sources", sqlmodel.sql.sqltypes.AutoString(), nullable=True))

    with op.batch_alter_table("answer_feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("question_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_answer_feedback_question_user", ["question_id", "user_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("answer_feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_answer_feedback_question_user")
        batch_op.drop_column("question_id")

    with op.batch_alter_table("question_log", schema=None, recreate=_recreate()) as batch_op:
        batch_op.drop_column("sources")

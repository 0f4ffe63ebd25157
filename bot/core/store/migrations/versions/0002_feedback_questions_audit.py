"""Tables for the Discord and moderator features: answer feedback, the question log, the KB audit trail.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "answer_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("question", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("sources", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("answer_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answer_feedback_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_answer_feedback_user_id"), ["user_id"], unique=False)

    op.create_table(
        "question_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("question", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("top_score", sa.Float(), nullable=False),
        sa.Column("abstained", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("question_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_question_log_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_question_log_user_id"), ["user_id"], unique=False)

    op.create_table(
        "kb_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kb_audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kb_audit_actor"), ["actor"], unique=False)
        batch_op.create_index(batch_op.f("ix_kb_audit_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_table("kb_audit")
    op.drop_table("question_log")
    op.drop_table("answer_feedback")

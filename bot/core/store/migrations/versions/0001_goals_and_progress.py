"""The first schema: members' goals and their status on each roadmap step.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("roadmap_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "roadmap_id", name="uq_goal_user_roadmap"),
    )
    with op.batch_alter_table("goal", schema=None) as batch_op:
        # Partial on both engines (PostgreSQL's clause was added before any PostgreSQL store existed).
        batch_op.create_index(
            "ix_goal_one_active",
            ["user_id"],
            unique=True,
            sqlite_where=sa.text("active = 1"),
            postgresql_where=sa.text("active"),
        )
        batch_op.create_index(batch_op.f("ix_goal_user_id"), ["user_id"], unique=False)

    op.create_table(
        "step_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("completed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("status IN ('todo', 'in_progress', 'done', 'skipped')", name="ck_step_progress_status"),
        sa.ForeignKeyConstraint(["goal_id"], ["goal.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("goal_id", "step_id", name="uq_step_progress_goal_step"),
    )
    with op.batch_alter_table("step_progress", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_step_progress_goal_id"), ["goal_id"], unique=False)


def downgrade() -> None:
    op.drop_table("step_progress")
    op.drop_table("goal")

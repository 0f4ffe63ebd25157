"""Keeping members going: engagement settings, scheduled reminders, activity days, step notes and
opt-ins, and the `review` status (done, to revisit).

SQLite cannot alter a CHECK constraint in place, so step_progress is copied with the new one (rows
and ids kept); PostgreSQL swaps the constraint.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WITH_REVIEW = "status IN ('todo', 'in_progress', 'done', 'skipped', 'review')"
_WITHOUT_REVIEW = "status IN ('todo', 'in_progress', 'done', 'skipped')"


def _swap_status_check(condition: str) -> None:
    with op.batch_alter_table("step_progress", schema=None, recreate="auto") as batch_op:
        batch_op.drop_constraint("ck_step_progress_status", type_="check")
        batch_op.create_check_constraint("ck_step_progress_status", sa.text(condition))


def upgrade() -> None:
    _swap_status_check(_WITH_REVIEW)

    op.create_table(
        "member_prefs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("remind_cadence", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("remind_minute", sa.Integer(), nullable=False),
        sa.Column("remind_weekday", sa.Integer(), nullable=True),
        sa.Column("dm_failed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("dm_notice_pending", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", name="uq_member_prefs_user"),
    )

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("roadmap_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("step_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("interval_days", sa.Integer(), nullable=True),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "key", name="uq_reminder_user_key"),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_user_id"), ["user_id"], unique=False)

    op.create_table(
        "activity_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "day", name="uq_activity_day_user_day"),
    )
    with op.batch_alter_table("activity_day", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_day_user_id"), ["user_id"], unique=False)

    op.create_table(
        "step_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("roadmap_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("step_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "roadmap_id", "step_id", name="uq_step_note_user_step"),
    )
    with op.batch_alter_table("step_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_step_note_user_id"), ["user_id"], unique=False)

    op.create_table(
        "opt_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("feature", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "scope", "feature", name="uq_opt_in_user_scope_feature"),
    )
    with op.batch_alter_table("opt_in", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opt_in_scope"), ["scope"], unique=False)
        batch_op.create_index(batch_op.f("ix_opt_in_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_table("opt_in")
    op.drop_table("step_note")
    op.drop_table("activity_day")
    op.drop_table("reminder")
    op.drop_table("member_prefs")
    # A step under review was done; it goes back to done so the old constraint holds.
    op.execute(sa.text("UPDATE step_progress SET status = 'done' WHERE status = 'review'"))
    _swap_status_check(_WITHOUT_REVIEW)

"""Where the community asks: per-server settings (moderator and helper roles, the digest channel and
its claim), per-channel modes, and the server a question or vote came from, so reports are per server.

Adding nullable columns needs no table copy on SQLite (question_log keeps its AUTOINCREMENT).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-12
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "guild_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("moderator_role_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("helper_role_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("digest_channel_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("digest_sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("digest_claimed_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("digest_claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("guild_id", name="uq_guild_settings_guild"),
    )

    op.create_table(
        "channel_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("channel_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("mode IN ('off', 'mention', 'auto', 'threads')", name="ck_channel_settings_mode"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("guild_id", "channel_id", name="uq_channel_settings_channel"),
    )
    with op.batch_alter_table("channel_settings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channel_settings_guild_id"), ["guild_id"], unique=False)

    for table in ("question_log", "answer_feedback"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("guild_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_{table}_guild_id"), ["guild_id"], unique=False)


def downgrade() -> None:
    for table in ("answer_feedback", "question_log"):
        # Dropping a column copies the table on SQLite; question_log must keep AUTOINCREMENT.
        kwargs = {"sqlite_autoincrement": True} if table == "question_log" else {}
        with op.batch_alter_table(table, schema=None, table_kwargs=kwargs) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_guild_id"))
            batch_op.drop_column("guild_id")
    op.drop_table("channel_settings")
    op.drop_table("guild_settings")

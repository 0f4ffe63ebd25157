"""Server and channel settings, and the weekly digest's claim. Callers own the transaction.

The digest is claimed like a reminder: one guarded UPDATE that only succeeds on a server whose digest
is due (not sent since `due_after`) and that nobody holds (or whose holder's lease ran out), so
several processes post it once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, and_, col, delete, or_, select, update

from bot.core.store.db import backend_of
from bot.core.store.models import ChannelSettings, GuildSettings


def get_guild(guild_id: str, *, session: Session) -> GuildSettings | None:
    return session.exec(select(GuildSettings).where(GuildSettings.guild_id == guild_id)).first()


def all_guilds(*, session: Session) -> list[GuildSettings]:
    return list(session.exec(select(GuildSettings).order_by(col(GuildSettings.guild_id))))


def save_guild(guild_id: str, *, session: Session, now: datetime, **changes: Any) -> GuildSettings:
    """Create or change a server's settings in one upsert (two moderators at once both land)."""
    insert = postgresql.insert if backend_of(session) == "postgresql" else sqlite.insert
    values = {"guild_id": guild_id, "created_at": now, "updated_at": now, **changes}
    statement = insert(GuildSettings).values(**values)
    session.exec(statement.on_conflict_do_update(index_elements=["guild_id"], set_={**changes, "updated_at": now}))
    row = session.exec(
        select(GuildSettings).where(GuildSettings.guild_id == guild_id).execution_options(populate_existing=True)
    ).one()
    return row


def channel_modes(guild_id: str | None = None, *, session: Session) -> list[ChannelSettings]:
    """The channels given a mode (of one server, or of all), in a stable order."""
    query = select(ChannelSettings)
    if guild_id is not None:
        query = query.where(ChannelSettings.guild_id == guild_id)
    return list(session.exec(query.order_by(col(ChannelSettings.guild_id), col(ChannelSettings.channel_id))))


def get_channel_mode(guild_id: str, channel_id: str, *, session: Session) -> str | None:
    query = select(ChannelSettings.mode).where(
        ChannelSettings.guild_id == guild_id, ChannelSettings.channel_id == channel_id
    )
    return session.exec(query).first()


def set_channel_mode(guild_id: str, channel_id: str, mode: str, *, session: Session, now: datetime) -> None:
    insert = postgresql.insert if backend_of(session) == "postgresql" else sqlite.insert
    statement = insert(ChannelSettings).values(guild_id=guild_id, channel_id=channel_id, mode=mode, updated_at=now)
    session.exec(
        statement.on_conflict_do_update(
            index_elements=["guild_id", "channel_id"], set_={"mode": mode, "updated_at": now}
        )
    )


def clear_channel_mode(guild_id: str, channel_id: str, *, session: Session) -> bool:
    result = session.exec(
        delete(ChannelSettings).where(
            col(ChannelSettings.guild_id) == guild_id, col(ChannelSettings.channel_id) == channel_id
        )
    )
    return bool(result.rowcount)


def _digest_claimable(guild_id: str, now: datetime, due_after: datetime, lease: timedelta) -> Any:
    return and_(
        col(GuildSettings.guild_id) == guild_id,
        col(GuildSettings.digest_channel_id).is_not(None),
        or_(col(GuildSettings.digest_sent_at).is_(None), col(GuildSettings.digest_sent_at) < due_after),
        or_(col(GuildSettings.digest_claimed_by).is_(None), col(GuildSettings.digest_claimed_at) < now - lease),
    )


def claim_digest(
    guild_id: str, worker: str, *, session: Session, now: datetime, due_after: datetime, lease: timedelta
) -> bool:
    """Take the server's digest for `worker` when it was not sent since `due_after`; True if taken."""
    result = session.exec(
        update(GuildSettings)
        .where(_digest_claimable(guild_id, now, due_after, lease))
        .values(digest_claimed_by=worker, digest_claimed_at=now)
    )
    return result.rowcount == 1


def finish_digest(guild_id: str, worker: str, *, session: Session, now: datetime) -> bool:
    """The digest was posted: remember when, and release the claim (only its holder may)."""
    result = session.exec(
        update(GuildSettings)
        .where(col(GuildSettings.guild_id) == guild_id, col(GuildSettings.digest_claimed_by) == worker)
        .values(digest_sent_at=now, digest_claimed_by=None, digest_claimed_at=None)
    )
    return result.rowcount == 1


def release_digest(guild_id: str, worker: str, *, session: Session) -> None:
    """Give the claim back unsent (posting failed): the next check tries again."""
    session.exec(
        update(GuildSettings)
        .where(col(GuildSettings.guild_id) == guild_id, col(GuildSettings.digest_claimed_by) == worker)
        .values(digest_claimed_by=None, digest_claimed_at=None)
    )

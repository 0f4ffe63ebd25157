"""Per-server and per-channel settings, set by each server's moderators and kept in the store.

Servers never see each other's settings. A server that sets no moderator role uses the deployment's
MODERATOR_ROLE_ID; a channel nobody configured is in `mention` mode. Whether a role or a channel
belongs to the server is for the adapter to check (it knows the server); ids are checked here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import Engine

from bot.core.community.models import DEFAULT_MODE, ChannelConfig, ChannelMode, ConfigExport, GuildConfig
from bot.core.errors import InvalidInput
from bot.core.store import community as store
from bot.core.store.db import reading, transaction, utcnow
from bot.core.store.models import ChannelSettings, GuildSettings
from bot.core.text import shown

MAX_SNOWFLAKE = 2**63 - 1
DIGEST_LEASE = timedelta(minutes=10)


class Unchanged(Enum):
    """Leave a setting as it is (distinct from None, which clears it)."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


class ConfigInvalid(InvalidInput):
    """A setting that cannot be used; `setting` names which, so an adapter can point at its option."""

    def __init__(self, setting: str, message: str) -> None:
        self.setting = setting
        super().__init__(message)


def check_id(setting: str, value: int | str) -> int:
    """A Discord id as typed or received: a positive 64-bit number."""
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ConfigInvalid(setting, f"'{shown(str(value), 30)}' is not an id for {setting}.") from None
    if not 0 < number <= MAX_SNOWFLAKE:
        raise ConfigInvalid(setting, f"{number} is not an id for {setting}.")
    return number


def parse_mode(value: str | ChannelMode) -> ChannelMode:
    try:
        return ChannelMode(str(value).strip().lower())
    except ValueError:
        allowed = ", ".join(m.value for m in ChannelMode)
        raise ConfigInvalid("mode", f"Unknown mode '{shown(str(value), 30)}'; use one of: {allowed}.") from None


def _num(text: str | None) -> int | None:
    return int(text) if text else None


class CommunityConfig:
    """Read and change servers' settings; every change is one transaction."""

    def __init__(
        self, engine: Engine, *, default_moderator_role: int | None = None, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._engine = engine
        self.default_moderator_role = default_moderator_role
        self._clock = clock

    def guild(self, guild_id: int) -> GuildConfig:
        gid = str(check_id("server", guild_id))
        with reading(self._engine) as session:
            row = store.get_guild(gid, session=session)
            channels = store.channel_modes(gid, session=session)
        return self._config(gid, row, channels)

    def update_guild(
        self,
        guild_id: int,
        *,
        moderator_role: int | Unchanged | None = UNCHANGED,
        helper_role: int | Unchanged | None = UNCHANGED,
        digest_channel: int | Unchanged | None = UNCHANGED,
    ) -> GuildConfig:
        """Change what is given (None clears it); the server's settings as they are now."""
        gid = str(check_id("server", guild_id))
        changes: dict[str, str | None] = {}
        for column, setting, value in (
            ("moderator_role_id", "the moderator role", moderator_role),
            ("helper_role_id", "the helper role", helper_role),
            ("digest_channel_id", "the digest channel", digest_channel),
        ):
            if not isinstance(value, Unchanged):
                changes[column] = None if value is None else str(check_id(setting, value))
        with transaction(self._engine) as session:
            row = store.save_guild(gid, session=session, now=self._clock(), **changes)
            channels = store.channel_modes(gid, session=session)
            return self._config(gid, row, channels)

    def channel_mode(self, guild_id: int, channel_id: int) -> ChannelMode:
        """The channel's mode; `mention` for a channel nobody configured."""
        with reading(self._engine) as session:
            mode = store.get_channel_mode(str(guild_id), str(channel_id), session=session)
        return ChannelMode(mode) if mode else DEFAULT_MODE

    def set_channel_mode(self, guild_id: int, channel_id: int, mode: str | ChannelMode) -> ChannelConfig:
        gid, cid = check_id("server", guild_id), check_id("channel", channel_id)
        chosen = parse_mode(mode)
        with transaction(self._engine) as session:
            if chosen is DEFAULT_MODE:
                store.clear_channel_mode(str(gid), str(cid), session=session)
            else:
                store.set_channel_mode(str(gid), str(cid), chosen.value, session=session, now=self._clock())
        return ChannelConfig(guild_id=gid, channel_id=cid, mode=chosen)

    def export(self) -> ConfigExport:
        """Every configured server (settings or channel modes), in id order."""
        with reading(self._engine) as session:
            rows = {r.guild_id: r for r in store.all_guilds(session=session)}
            channels = store.channel_modes(session=session)
        by_guild: dict[str, list[ChannelSettings]] = {}
        for channel in channels:
            by_guild.setdefault(channel.guild_id, []).append(channel)
        ids = sorted(set(rows) | set(by_guild), key=int)
        return ConfigExport(
            default_moderator_role_id=self.default_moderator_role,
            guilds=[self._config(g, rows.get(g), by_guild.get(g, [])) for g in ids],
        )

    # -- the weekly digest ---------------------------------------------------------------------
    def digest_guilds(self) -> list[GuildConfig]:
        """Servers with a digest channel."""
        return [g for g in self.export().guilds if g.digest_channel_id is not None]

    def claim_digest(self, guild_id: int, worker: str, due_after: datetime) -> bool:
        """Take the server's digest when none was sent since `due_after` and no other process holds it."""
        now = self._clock()
        with transaction(self._engine) as session:
            return store.claim_digest(
                str(guild_id), worker, session=session, now=now, due_after=due_after, lease=DIGEST_LEASE
            )

    def finish_digest(self, guild_id: int, worker: str) -> bool:
        with transaction(self._engine) as session:
            return store.finish_digest(str(guild_id), worker, session=session, now=self._clock())

    def release_digest(self, guild_id: int, worker: str) -> None:
        with transaction(self._engine) as session:
            store.release_digest(str(guild_id), worker, session=session)

    def _config(self, gid: str, row: GuildSettings | None, channels: list[ChannelSettings]) -> GuildConfig:
        own_role = _num(row.moderator_role_id) if row else None
        return GuildConfig(
            guild_id=int(gid),
            moderator_role_id=own_role if own_role is not None else self.default_moderator_role,
            moderator_role_default=own_role is None and self.default_moderator_role is not None,
            helper_role_id=_num(row.helper_role_id) if row else None,
            digest_channel_id=_num(row.digest_channel_id) if row else None,
            digest_sent_at=row.digest_sent_at if row else None,
            channels=[
                ChannelConfig(guild_id=int(gid), channel_id=int(c.channel_id), mode=ChannelMode(c.mode))
                for c in channels
            ],
        )

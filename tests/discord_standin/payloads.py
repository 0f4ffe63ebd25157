"""Fake Discord entities (users, roles, channels, a guild) and the JSON payloads discord.py expects.

Field names and required keys follow discord.py 2.7.1's parsers (``user.py``, ``member.py``,
``role.py``, ``channel.py``, ``threads.py``, ``guild.py``, ``message.py``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000

# Gateway intents (https://discord.com/developers/docs/events/gateway#gateway-intents).
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT

# Message flags.
FLAG_SUPPRESS_EMBEDS = 1 << 2
FLAG_HAS_THREAD = 1 << 5
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_SUPPRESS_NOTIFICATIONS = 1 << 12
FLAG_IS_COMPONENTS_V2 = 1 << 15
SENDABLE_FLAGS = FLAG_SUPPRESS_EMBEDS | FLAG_EPHEMERAL | FLAG_SUPPRESS_NOTIFICATIONS | FLAG_IS_COMPONENTS_V2

# Channel types.
CHANNEL_TEXT = 0
CHANNEL_DM = 1
CHANNEL_CATEGORY = 4
CHANNEL_PUBLIC_THREAD = 11
CHANNEL_PRIVATE_THREAD = 12

EVERYONE_PERMISSIONS: int = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    read_message_history=True,
    use_application_commands=True,
    use_external_emojis=True,
    change_nickname=True,
    connect=True,
    speak=True,
).value
MODERATOR_PERMISSIONS: int = discord.Permissions(
    manage_guild=True,
    manage_messages=True,
    manage_threads=True,
    manage_nicknames=True,
    kick_members=True,
    moderate_members=True,
).value
BOT_ROLE_PERMISSIONS: int = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    manage_threads=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    read_message_history=True,
    use_application_commands=True,
).value
ALL_PERMISSIONS: int = discord.Permissions.all().value
ADMINISTRATOR: int = discord.Permissions(administrator=True).value


def iso_now() -> str:
    """Current UTC time in the ISO-8601 form Discord uses."""
    return datetime.now(UTC).isoformat()


class SnowflakeFactory:
    """Generates unique, time-ordered Discord snowflakes (so ``created_at`` looks realistic)."""

    def __init__(self) -> None:
        self._last = 0

    def __call__(self) -> int:
        candidate = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        if candidate <= self._last:
            candidate = self._last + 1
        self._last = candidate
        return candidate


@dataclass
class FakeUser:
    """A Discord user; ``role_ids`` are the guild roles it holds when it is a guild member."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    @property
    def display_name(self) -> str:
        return self.nick or self.global_name or self.username

    def to_payload(self) -> JSON:
        payload: JSON = {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": None,
            "public_flags": 0,
        }
        if self.bot:
            payload["bot"] = True
        return payload


@dataclass
class FakeRole:
    """A guild role. The ``@everyone`` role has the guild's id."""

    id: int
    name: str
    permissions: int = 0
    position: int = 0
    managed: bool = False
    bot_id: int | None = None
    color: int = 0
    hoist: bool = False
    mentionable: bool = False

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def to_payload(self) -> JSON:
        payload: JSON = {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": self.color,
            "colors": {"primary_color": self.color, "secondary_color": None, "tertiary_color": None},
            "hoist": self.hoist,
            "managed": self.managed,
            "mentionable": self.mentionable,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }
        if self.bot_id is not None:
            payload["tags"] = {"bot_id": str(self.bot_id)}
        return payload


@dataclass
class FakeChannel:
    """A guild text/category channel, a thread, or a DM channel."""

    id: int
    name: str
    type: int = CHANNEL_TEXT
    guild_id: int | None = None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    owner_id: int | None = None
    recipients: list[FakeUser] = field(default_factory=list)
    archived: bool = False
    created_at: str = field(default_factory=iso_now)

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def is_thread(self) -> bool:
        return self.type in (CHANNEL_PUBLIC_THREAD, CHANNEL_PRIVATE_THREAD, 10)

    def to_payload(self) -> JSON:
        if self.type == CHANNEL_DM:
            return {
                "id": str(self.id),
                "type": CHANNEL_DM,
                "recipients": [u.to_payload() for u in self.recipients],
                "last_message_id": None,
                "flags": 0,
            }
        payload: JSON = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id) if self.guild_id else None,
            "name": self.name,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "nsfw": False,
            "flags": 0,
        }
        if self.is_thread:
            payload.update(
                owner_id=str(self.owner_id) if self.owner_id else None,
                last_message_id=None,
                rate_limit_per_user=0,
                message_count=0,
                member_count=1,
                total_message_sent=0,
                thread_metadata={
                    "archived": self.archived,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": self.created_at,
                    "locked": False,
                    "create_timestamp": self.created_at,
                },
            )
            return payload
        payload.update(position=self.position, permission_overwrites=[])
        if self.type != CHANNEL_CATEGORY:
            payload.update(topic=self.topic, rate_limit_per_user=0, last_message_id=None)
        return payload

    def to_resolved_payload(self, permissions: int) -> JSON:
        """The shape Discord uses in ``resolved.channels`` of an interaction."""
        payload = self.to_payload()
        payload["permissions"] = str(permissions)
        return payload


@dataclass
class FakeGuild:
    """A guild with roles, channels, threads and members."""

    id: int
    name: str
    owner_id: int
    roles: dict[int, FakeRole] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    members: dict[int, FakeUser] = field(default_factory=dict)

    @property
    def everyone(self) -> FakeRole:
        return self.roles[self.id]

    def role(self, name: str) -> FakeRole:
        """Look a role up by name."""
        for role in self.roles.values():
            if role.name == name:
                return role
        raise KeyError(f"no role named {name!r}; roles: {[r.name for r in self.roles.values()]}")

    def channel(self, name: str) -> FakeChannel:
        """Look a channel (or thread) up by name."""
        for channel in self.channels.values():
            if channel.name == name:
                return channel
        raise KeyError(f"no channel named {name!r}; channels: {[c.name for c in self.channels.values()]}")

    def add_member(self, user: FakeUser) -> FakeUser:
        self.members[user.id] = user
        return user

    def permissions_for(self, user: FakeUser) -> int:
        """Guild-level permissions of ``user`` (no channel overwrites are modelled)."""
        if user.id == self.owner_id:
            return ALL_PERMISSIONS
        value = self.everyone.permissions
        for role_id in user.role_ids:
            role = self.roles.get(role_id)
            if role is not None:
                value |= role.permissions
        if value & ADMINISTRATOR:
            return ALL_PERMISSIONS
        return value

    def member_payload(self, user: FakeUser, *, with_user: bool = True, permissions: int | None = None) -> JSON:
        payload: JSON = {
            "nick": user.nick,
            "roles": [str(r) for r in user.role_ids if r != self.id],
            "joined_at": user.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "avatar": None,
            "banner": None,
            "communication_disabled_until": None,
        }
        if with_user:
            payload["user"] = user.to_payload()
        if permissions is not None:
            payload["permissions"] = str(permissions)
        return payload

    def to_payload(self, *, full: bool = True) -> JSON:
        """A GUILD_CREATE payload (``full``) or the REST ``GET /guilds/{id}`` shape."""
        text_channels = [c for c in self.channels.values() if c.type == CHANNEL_TEXT]
        payload: JSON = {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "roles": [r.to_payload() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": str(text_channels[0].id) if text_channels else None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "max_members": 500000,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
        }
        if not full:
            payload.update(approximate_member_count=len(self.members), approximate_presence_count=0)
            return payload
        payload.update(
            joined_at=iso_now(),
            large=False,
            unavailable=False,
            member_count=len(self.members),
            voice_states=[],
            members=[self.member_payload(m) for m in self.members.values()],
            channels=[c.to_payload() for c in self.channels.values() if not c.is_thread],
            threads=[c.to_payload() for c in self.channels.values() if c.is_thread],
            presences=[],
            stage_instances=[],
            guild_scheduled_events=[],
            soundboard_sounds=[],
        )
        return payload


def walk_components(components: Iterable[JSON]) -> Iterable[JSON]:
    """Yield every component in a (possibly nested) component tree, depth first."""
    for component in components:
        yield component
        children = component.get("components")
        if isinstance(children, list):
            yield from walk_components(children)
        child = component.get("component")
        if isinstance(child, dict):
            yield from walk_components([child])
        accessory = component.get("accessory")
        if isinstance(accessory, dict):
            yield from walk_components([accessory])

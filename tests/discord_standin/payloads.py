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
CHANNEL_ANNOUNCEMENT_THREAD = 10
CHANNEL_PUBLIC_THREAD = 11
CHANNEL_PRIVATE_THREAD = 12
CHANNEL_FORUM = 15
THREAD_TYPES = (CHANNEL_ANNOUNCEMENT_THREAD, CHANNEL_PUBLIC_THREAD, CHANNEL_PRIVATE_THREAD)

# More gateway intents.
INTENT_GUILD_MESSAGE_REACTIONS = 1 << 10
INTENT_DIRECT_MESSAGE_REACTIONS = 1 << 13

# Permission bits the stand-in's rules look at.
PERM_MENTION_EVERYONE = 1 << 17
PERM_MANAGE_THREADS = 1 << 34

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
class FakeForumTag:
    """A forum channel's tag (``available_tags`` entry). ``moderated`` tags can only be applied by
    members with MANAGE_THREADS, as on Discord."""

    id: int
    name: str
    moderated: bool = False
    emoji_id: int | None = None
    emoji_name: str | None = None

    def to_payload(self) -> JSON:
        return {
            "id": str(self.id),
            "name": self.name,
            "moderated": self.moderated,
            "emoji_id": str(self.emoji_id) if self.emoji_id else None,
            "emoji_name": self.emoji_name,
        }


@dataclass
class Overwrite:
    """A channel permission overwrite for a role or a member (``type`` 0 = role, 1 = member)."""

    id: int
    type: int = 0
    allow: int = 0
    deny: int = 0

    def to_payload(self) -> JSON:
        return {"id": str(self.id), "type": self.type, "allow": str(self.allow), "deny": str(self.deny)}


@dataclass
class FakeChannel:
    """A guild text/category/forum channel, a thread (forum posts are public threads whose parent
    is a forum), or a DM channel. ``overwrites`` apply to the channel and, for a parent, its threads."""

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
    locked: bool = False
    auto_archive_duration: int = 1440
    archive_timestamp: str | None = None
    rate_limit_per_user: int = 0
    message_count: int = 0
    total_message_sent: int = 0
    last_message_id: int | None = None
    thread_flags: int = 0
    applied_tags: list[int] = field(default_factory=list)
    available_tags: list[FakeForumTag] = field(default_factory=list)
    overwrites: list[Overwrite] = field(default_factory=list)

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES

    @property
    def is_forum(self) -> bool:
        return self.type == CHANNEL_FORUM

    def tag(self, name_or_id: str | int) -> FakeForumTag:
        """A forum's tag by name or id."""
        for tag in self.available_tags:
            if tag.name == name_or_id or tag.id == name_or_id or str(tag.id) == str(name_or_id):
                return tag
        raise KeyError(f"forum {self.name!r} has no tag {name_or_id!r}; tags: {[t.name for t in self.available_tags]}")

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
                last_message_id=str(self.last_message_id) if self.last_message_id else None,
                rate_limit_per_user=self.rate_limit_per_user,
                message_count=self.message_count,
                member_count=1,
                total_message_sent=self.total_message_sent,
                flags=self.thread_flags,
                applied_tags=[str(t) for t in self.applied_tags],
                thread_metadata={
                    "archived": self.archived,
                    "auto_archive_duration": self.auto_archive_duration,
                    "archive_timestamp": self.archive_timestamp or self.created_at,
                    "locked": self.locked,
                    "invitable": True,
                    "create_timestamp": self.created_at,
                },
            )
            return payload
        payload.update(position=self.position, permission_overwrites=[o.to_payload() for o in self.overwrites])
        if self.type != CHANNEL_CATEGORY:
            payload.update(topic=self.topic, rate_limit_per_user=self.rate_limit_per_user, last_message_id=None)
        if self.is_forum:
            payload.update(
                available_tags=[t.to_payload() for t in self.available_tags],
                default_auto_archive_duration=1440,
                default_thread_rate_limit_per_user=0,
                default_reaction_emoji=None,
                default_sort_order=None,
                default_forum_layout=0,
            )
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
    # Per-guild role ids of members, for users shared between guilds (``FakeUser.role_ids`` is the
    # fallback: the primary guild's roles). Only roles that exist in this guild count.
    member_roles: dict[int, list[int]] = field(default_factory=dict)
    # Presets filled by the stand-in (the primary guild's are also ``standin.channel`` etc.).
    default_channel: FakeChannel | None = None
    forum: FakeChannel | None = None
    moderator_role: FakeRole | None = None
    bot_role: FakeRole | None = None

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

    def add_member(self, user: FakeUser, roles: Iterable[FakeRole | int] | None = None) -> FakeUser:
        """Make ``user`` a member; ``roles`` (this guild's) override ``user.role_ids`` here."""
        self.members[user.id] = user
        if roles is not None:
            self.member_roles[user.id] = [r.id if isinstance(r, FakeRole) else int(r) for r in roles]
        return user

    def role_ids_of(self, user: FakeUser) -> list[int]:
        """The ids of this guild's roles ``user`` holds (without @everyone)."""
        ids = self.member_roles.get(user.id, user.role_ids)
        return [r for r in ids if r in self.roles and r != self.id]

    def permissions_for(self, user: FakeUser) -> int:
        """Guild-level permissions of ``user`` (@everyone + its roles; owner/ADMINISTRATOR: all)."""
        if user.id == self.owner_id:
            return ALL_PERMISSIONS
        value = self.everyone.permissions
        for role_id in self.role_ids_of(user):
            value |= self.roles[role_id].permissions
        if value & ADMINISTRATOR:
            return ALL_PERMISSIONS
        return value

    def permissions_in(self, user: FakeUser, channel: FakeChannel | None) -> int:
        """Channel permissions, with Discord's overwrite algorithm (@everyone overwrite, then the
        member's roles' allow/deny, then the member overwrite). Threads use their parent's
        overwrites, as on Discord; categories' overwrites are not inherited (not synced here)."""
        base = self.permissions_for(user)
        if base == ALL_PERMISSIONS or channel is None:
            return base
        if channel.is_thread and channel.parent_id in self.channels:
            channel = self.channels[channel.parent_id]
        by_id = {o.id: o for o in channel.overwrites}
        if (everyone := by_id.get(self.id)) is not None:
            base = (base & ~everyone.deny) | everyone.allow
        allow = deny = 0
        for role_id in self.role_ids_of(user):
            if (ow := by_id.get(role_id)) is not None and ow.type == 0:
                allow |= ow.allow
                deny |= ow.deny
        base = (base & ~deny) | allow
        if (member := by_id.get(user.id)) is not None and member.type == 1:
            base = (base & ~member.deny) | member.allow
        return base

    def member_payload(self, user: FakeUser, *, with_user: bool = True, permissions: int | None = None) -> JSON:
        payload: JSON = {
            "nick": user.nick,
            "roles": [str(r) for r in self.role_ids_of(user)],
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
            threads=[c.to_payload() for c in self.channels.values() if c.is_thread and not c.archived],
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

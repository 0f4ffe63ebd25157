"""Community features of the stand-in: more guilds, forum channels and posts, thread edits, message
context menus, reactions and "who would this message ping".

Mixed into :class:`~discord_standin.server.DiscordStandIn`; kept apart so server.py stays about the
HTTP/gateway plumbing. Discord rules emulated here:

* A forum post is a public thread (type 11) whose ``parent_id`` is the forum; its starter message
  has the thread's id. Users creating one cause THREAD_CREATE (``newly_created``) then MESSAGE_CREATE.
* ``applied_tags`` must be tags of the parent forum, at most 5; moderated tags need MANAGE_THREADS.
  Archived threads can only be edited to unarchive them (400 50083); locking and editing threads
  the bot does not own need MANAGE_THREADS (403 50013); forum channels cannot receive messages.
* Reactions dispatch MESSAGE_REACTION_ADD/REMOVE only to clients with the reactions intents.
* Pings follow ``allowed_mentions`` (see ``mentions.py``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import discord
from aiohttp import web

from .errors import StandInError, invalid_form, missing_permissions
from .limits import Problem
from .mentions import Pings, compute_pings
from .payloads import (
    BOT_ROLE_PERMISSIONS,
    CHANNEL_CATEGORY,
    CHANNEL_DM,
    CHANNEL_FORUM,
    CHANNEL_PUBLIC_THREAD,
    CHANNEL_TEXT,
    EVERYONE_PERMISSIONS,
    JSON,
    MODERATOR_PERMISSIONS,
    PERM_MANAGE_THREADS,
    FakeChannel,
    FakeForumTag,
    FakeGuild,
    FakeRole,
    FakeUser,
    SnowflakeFactory,
    iso_now,
)
from .records import APPLICATION_COMMAND, RecordedRequest

if TYPE_CHECKING:
    from .builders import GuildRef, MessageRef

MAX_APPLIED_TAGS = 5
ARCHIVE_DURATIONS = frozenset({60, 1440, 4320, 10080})
THREAD_EDIT_FIELDS = frozenset(
    {"name", "archived", "auto_archive_duration", "locked", "invitable", "rate_limit_per_user", "flags", "applied_tags"}
)
PERM_MANAGE_CHANNELS = 1 << 4
PERM_ADD_REACTIONS = 1 << 6
# Requests whose body is a message the bot sends or edits (``pinged`` looks at these).
MESSAGE_KINDS = frozenset(
    {"channel_message", "message_edit", "callback", "followup", "original_edit", "webhook_message_edit", "forum_post"}
)


@dataclass
class ForumPost:
    """A forum post a user created: the thread and its starter message (same id)."""

    thread: FakeChannel
    message: JSON

    @property
    def id(self) -> int:
        return self.thread.id


def emoji_payload(emoji: str) -> JSON:
    """``"👍"`` -> unicode emoji; ``"name:id"`` (or ``<:name:id>``) -> a custom emoji."""
    text = emoji.strip("<>").removeprefix("a:").removeprefix(":")
    name, _, raw_id = text.rpartition(":")
    if raw_id.isdigit() and name:
        return {"id": raw_id, "name": name, "animated": emoji.startswith("<a:")}
    return {"id": None, "name": emoji}


def _emoji_key(emoji: JSON) -> str:
    return str(emoji.get("id") or emoji["name"])


class CommunityMixin:
    """Guilds, forums, threads, context menus, reactions and pings (see the module docstring)."""

    snowflake: SnowflakeFactory
    bot_user: FakeUser
    owner: FakeUser
    member: FakeUser
    moderator: FakeUser
    guild: FakeGuild
    guilds: dict[int, FakeGuild]
    channel: FakeChannel
    messages: dict[int, JSON]
    requests: list[RecordedRequest]
    connections: list[Any]
    reactions: dict[tuple[int, str], list[int]]
    helper_role: FakeRole | None
    helper: FakeUser | None
    bot: Any

    if TYPE_CHECKING:  # implemented by DiscordStandIn / PayloadBuilders
        dispatch: Callable[[str, JSON], Awaitable[bool]]
        send_user_message: Callable[..., Awaitable[JSON]]
        user_message: Callable[..., JSON]
        user: Callable[[FakeUser | int | str], FakeUser]
        _guild: Callable[[FakeGuild | int | None], FakeGuild]
        _channel: Callable[..., FakeChannel]
        guild_of: Callable[[FakeChannel | int], FakeGuild | None]
        _target_guild: Callable[..., FakeGuild | None]
        find_command: Callable[..., tuple[JSON | None, int | None]]
        _message_payload: Callable[[MessageRef], JSON]
        _interaction: Callable[..., JSON]
        _find_channel: Callable[[int], FakeChannel | None]
        _channel_or_404: Callable[[str | int], FakeChannel]
        _message_or_404: Callable[[FakeChannel, str | int], JSON]
        _validate_message: Callable[..., None]
        _store_message: Callable[..., JSON]
        _rec: Callable[[web.Request, str], RecordedRequest]
        _json: Callable[..., web.Response]

    # ------------------------------------------------------------------ world building

    def _populate_guild(self, guild: FakeGuild, bot_name: str, *, forum: bool = True) -> None:
        """Give ``guild`` the standard world: @everyone, "Moderator", the bot's managed role, the
        preset users (bot, owner, member, moderator), a category with #general, and the forum."""
        guild.roles[guild.id] = FakeRole(guild.id, "@everyone", EVERYONE_PERMISSIONS, position=0)
        guild.moderator_role = FakeRole(self.snowflake(), "Moderator", MODERATOR_PERMISSIONS, position=1, hoist=True)
        guild.bot_role = FakeRole(
            self.snowflake(), bot_name, BOT_ROLE_PERMISSIONS, position=2, managed=True, bot_id=self.bot_user.id
        )
        for role in (guild.moderator_role, guild.bot_role):
            guild.roles[role.id] = role
        guild.add_member(self.bot_user, roles=[guild.bot_role])
        guild.add_member(self.owner, roles=[])
        guild.add_member(self.member, roles=[])
        guild.add_member(self.moderator, roles=[guild.moderator_role])
        category = FakeChannel(self.snowflake(), "Text Channels", CHANNEL_CATEGORY, guild.id, position=0)
        general = FakeChannel(
            self.snowflake(), "general", CHANNEL_TEXT, guild.id, position=0, parent_id=category.id, topic="General chat"
        )
        for channel in (category, general):
            guild.channels[channel.id] = channel
        guild.default_channel = general
        if forum:
            guild.forum = self.add_forum("help-forum", tags=["Solved", "Needs human"], guild=guild)

    def add_guild(self, name: str = "Second Test Guild", *, guild_id: int | None = None) -> FakeGuild:
        """Add another guild the bot is in (before the bot connects): its own @everyone, "Moderator"
        (``guild.moderator_role``) and bot role, the same preset users (``owner``, ``member``,
        ``moderator`` holding this guild's Moderator role), #general (``guild.default_channel``) and a
        "help-forum" (``guild.forum``). READY lists it and it gets its own GUILD_CREATE (on the shard
        owning ``(guild_id >> 22) % shards``). Pass ``guild=`` to builders to act in it."""
        guild = FakeGuild(guild_id or self.snowflake(), name, owner_id=self.owner.id)
        self.guilds[guild.id] = guild
        self._populate_guild(guild, self.bot_user.username)
        return guild

    def add_forum(
        self,
        name: str = "forum",
        tags: Sequence[str | FakeForumTag] = (),
        *,
        moderated: Iterable[str] = (),
        guild: FakeGuild | int | None = None,
        topic: str | None = None,
    ) -> FakeChannel:
        """Add a forum channel (type 15) with ``available_tags`` named ``tags`` (``moderated`` names
        are moderated tags). Call before the bot connects (or dispatch CHANNEL_CREATE yourself)."""
        target = self._guild(guild)
        moderated = set(moderated)
        forum = FakeChannel(
            self.snowflake(),
            name,
            CHANNEL_FORUM,
            target.id,
            position=len([c for c in target.channels.values() if not c.is_thread]),
            topic=topic,
        )
        for tag in tags:
            if isinstance(tag, FakeForumTag):
                forum.available_tags.append(tag)
            else:
                forum.available_tags.append(FakeForumTag(self.snowflake(), tag, moderated=tag in moderated))
        target.channels[forum.id] = forum
        return forum

    def add_helper(
        self, username: str = "hana", *, guild: FakeGuild | int | None = None, role_name: str = "Helper"
    ) -> FakeUser:
        """Add a "Helper" role (no special permissions, mentionable, so pinging it is possible) and a
        member holding it; in the primary guild they become ``standin.helper_role``/``standin.helper``.
        Call before the bot connects."""
        target = self._guild(guild)
        try:
            role = target.role(role_name)
        except KeyError:
            role = FakeRole(self.snowflake(), role_name, 0, position=len(target.roles), mentionable=True)
            target.roles[role.id] = role
        user = FakeUser(self.snowflake(), username, global_name=username.title(), role_ids=[role.id])
        target.add_member(user, roles=[role])
        if target is self.guild:
            self.helper_role, self.helper = role, user
        return user

    # ------------------------------------------------------------------ forum posts and threads

    def _forum(self, forum: FakeChannel | int | str | None, guild: FakeGuild | None = None) -> FakeChannel:
        if forum is None:
            found = (guild or self.guild).forum
            if found is None:
                raise LookupError("this guild has no preset forum; pass forum=")
            return found
        channel = self._channel(forum, guild)
        if not channel.is_forum:
            raise ValueError(f"#{channel.name} is not a forum channel (type {channel.type})")
        return channel

    def _tag_ids(self, forum: FakeChannel, tags: Iterable[str | int | FakeForumTag]) -> list[int]:
        return [t.id if isinstance(t, FakeForumTag) else forum.tag(t).id for t in tags]

    async def create_forum_post(
        self,
        title: str,
        content: str,
        *,
        user: FakeUser | None = None,
        forum: FakeChannel | int | str | None = None,
        tags: Sequence[str | int | FakeForumTag] = (),
        mention_bot: bool = False,
    ) -> ForumPost:
        """A member creates a post in ``forum`` (default: the primary guild's "help-forum"), as the
        Discord client does: THREAD_CREATE (``newly_created``) then the starter message's
        MESSAGE_CREATE (id == thread id). ``tags`` are tag names/ids. Raises ValueError for what the
        client would not allow (no content, > 5 tags, moderated tags without MANAGE_THREADS)."""
        user = user or self.member
        target_forum = self._forum(forum)
        guild = self.guild_of(target_forum)
        assert guild is not None
        if not 1 <= len(title) <= 100:
            raise ValueError("a forum post title must be 1-100 characters")
        if not content.strip():
            raise ValueError("a forum post needs a message")
        tag_ids = self._tag_ids(target_forum, tags)
        if len(tag_ids) > MAX_APPLIED_TAGS:
            raise ValueError(f"at most {MAX_APPLIED_TAGS} tags per post")
        if (
            any(target_forum.tag(t).moderated for t in tag_ids)
            and not guild.permissions_for(user) & PERM_MANAGE_THREADS
        ):
            raise ValueError(f"{user.username} may not apply moderated tags (needs MANAGE_THREADS)")
        thread = self._open_post(guild, target_forum, title, user.id, tag_ids)
        await self.dispatch("THREAD_CREATE", {**thread.to_payload(), "newly_created": True})
        message = self.user_message(content, user=user, channel=thread, mention_bot=mention_bot, message_id=thread.id)
        message["position"] = 0
        await self.dispatch("MESSAGE_CREATE", message)
        return ForumPost(thread, message)

    async def post_in_thread(
        self,
        thread: FakeChannel | ForumPost | int,
        content: str,
        *,
        user: FakeUser | None = None,
        reply_to: MessageRef | None = None,
        mention_bot: bool = False,
    ) -> JSON:
        """``user`` (default: the member) posts in a thread or forum post, optionally replying to a
        message (``message_reference`` + ``referenced_message``). Posting in an archived, unlocked
        thread unarchives it (THREAD_UPDATE first), as on Discord."""
        channel = thread.thread if isinstance(thread, ForumPost) else self._channel(thread)
        if not channel.is_thread:
            raise ValueError(f"#{channel.name} is not a thread")
        guild = self.guild_of(channel)
        author = user or self.member
        if channel.locked and guild is not None and not guild.permissions_in(author, channel) & PERM_MANAGE_THREADS:
            raise ValueError(f"thread {channel.name!r} is locked; {author.username} cannot post")
        await self._unarchive_for_message(channel)
        return await self.send_user_message(
            content, user=author, channel=channel, reply_to=reply_to, mention_bot=mention_bot
        )

    async def _unarchive_for_message(self, channel: FakeChannel) -> None:
        if channel.is_thread and channel.archived and not channel.locked:
            channel.archived = False
            channel.archive_timestamp = iso_now()
            with contextlib.suppress(RuntimeError):
                await self.dispatch("THREAD_UPDATE", channel.to_payload())

    def _count_thread_message(self, message: JSON) -> None:
        """Keep a thread's counters like Discord (``message_count`` excludes the starter message)."""
        channel = self._find_channel(int(message["channel_id"]))
        if channel is None or not channel.is_thread:
            return
        channel.last_message_id = int(message["id"])
        if int(message["id"]) != channel.id:
            channel.message_count += 1
            channel.total_message_sent += 1

    def threads_in(self, forum: FakeChannel | int) -> list[FakeChannel]:
        """Threads (forum posts) whose parent is ``forum``, oldest first."""
        parent_id = forum.id if isinstance(forum, FakeChannel) else int(forum)
        return [
            c for g in self.guilds.values() for c in g.channels.values() if c.is_thread and c.parent_id == parent_id
        ]

    def thread_edits(self, thread: FakeChannel | int | None = None) -> list[RecordedRequest]:
        """``PATCH /channels/{id}`` requests (thread/channel edits), optionally for one channel."""
        channel_id = thread.id if isinstance(thread, FakeChannel) else thread
        return [
            r for r in self.requests if r.kind == "channel_edit" and (channel_id is None or r.channel_id == channel_id)
        ]

    # ------------------------------------------------------------------ REST: channel edit, forum threads

    async def _edit_channel(self, request: web.Request) -> web.StreamResponse:
        record = self._rec(request, "channel_edit")
        channel = self._channel_or_404(request.match_info["channel_id"])
        guild = self.guild_of(channel)
        if channel.type == CHANNEL_DM or guild is None:
            raise StandInError(400, 50024, "Cannot execute action on this channel type")
        body = record.json if isinstance(record.json, dict) else {}
        perms = guild.permissions_in(self.bot_user, channel)
        if channel.is_thread:
            self._apply_thread_edit(channel, guild, body, perms)
            payload = channel.to_payload()
            with contextlib.suppress(RuntimeError):
                await self.dispatch("THREAD_UPDATE", payload)
            return self._json(payload)
        if not perms & PERM_MANAGE_CHANNELS:
            raise missing_permissions()
        problems: list[Problem] = []
        if "name" in body and not 1 <= len(str(body["name"] or "")) <= 100:
            problems.append(Problem("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."))
        if "available_tags" in body and len(body["available_tags"] or []) > 20:
            problems.append(Problem("available_tags", "BASE_TYPE_MAX_LENGTH", "Must be 20 or fewer in length."))
        if problems:
            raise invalid_form(problems)
        if body.get("name"):
            channel.name = str(body["name"])
        if "topic" in body:
            channel.topic = body["topic"]
        if "available_tags" in body and channel.is_forum:
            channel.available_tags = [
                FakeForumTag(
                    int(t["id"]) if t.get("id") else self.snowflake(),
                    str(t["name"]),
                    bool(t.get("moderated", False)),
                    int(t["emoji_id"]) if t.get("emoji_id") else None,
                    t.get("emoji_name"),
                )
                for t in body["available_tags"] or []
            ]
        payload = channel.to_payload()
        with contextlib.suppress(RuntimeError):
            await self.dispatch("CHANNEL_UPDATE", payload)
        return self._json(payload)

    def _apply_thread_edit(self, thread: FakeChannel, guild: FakeGuild, body: JSON, perms: int) -> None:
        manage = bool(perms & PERM_MANAGE_THREADS)
        if thread.archived and body.get("archived") is not False:
            raise StandInError(400, 50083, "Thread is archived")
        if thread.archived and thread.locked and not manage:
            raise missing_permissions()
        if not manage and (thread.owner_id != self.bot_user.id or "locked" in body):
            raise missing_permissions()
        problems: list[Problem] = []
        unknown = sorted(set(body) - THREAD_EDIT_FIELDS)
        if unknown:
            problems.append(Problem(unknown[0], "UNKNOWN_FIELD", f"Not a thread field: {unknown}"))
        if "name" in body and not 1 <= len(str(body["name"] or "")) <= 100:
            problems.append(Problem("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."))
        if "auto_archive_duration" in body and int(body["auto_archive_duration"]) not in ARCHIVE_DURATIONS:
            problems.append(
                Problem(
                    "auto_archive_duration", "BASE_TYPE_CHOICES", f"Value must be one of {sorted(ARCHIVE_DURATIONS)}."
                )
            )
        new_tags: list[int] | None = None
        if "applied_tags" in body:
            parent = guild.channels.get(thread.parent_id or 0)
            new_tags = [int(t) for t in body["applied_tags"] or []]
            if parent is None or not parent.is_forum:
                problems.append(Problem("applied_tags", "THREAD_APPLIED_TAGS_NOT_FORUM", "Only forum posts have tags."))
            else:
                known = {t.id: t for t in parent.available_tags}
                if len(new_tags) > MAX_APPLIED_TAGS:
                    problems.append(
                        Problem(
                            "applied_tags", "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_APPLIED_TAGS} or fewer in length."
                        )
                    )
                for i, tag_id in enumerate(new_tags):
                    if tag_id not in known:
                        problems.append(
                            Problem(f"applied_tags.{i}", "UNKNOWN_TAG", f"Tag {tag_id} is not a tag of #{parent.name}.")
                        )
                changed = set(new_tags) ^ set(thread.applied_tags)
                if not manage and any(known[t].moderated for t in changed if t in known):
                    raise missing_permissions()
        if problems:
            raise invalid_form(problems)
        if body.get("name"):
            thread.name = str(body["name"])
        if "auto_archive_duration" in body:
            thread.auto_archive_duration = int(body["auto_archive_duration"])
        if "rate_limit_per_user" in body:
            thread.rate_limit_per_user = int(body["rate_limit_per_user"] or 0)
        if "flags" in body and body["flags"] is not None:
            thread.thread_flags = int(body["flags"])
        if "locked" in body:
            thread.locked = bool(body["locked"])
        if new_tags is not None:
            thread.applied_tags = new_tags
        if "archived" in body and bool(body["archived"]) != thread.archived:
            thread.archived = bool(body["archived"])
            thread.archive_timestamp = iso_now()

    def _open_post(
        self, guild: FakeGuild, forum: FakeChannel, name: str, owner_id: int, tags: list[int], **extra: Any
    ) -> FakeChannel:
        """A forum post's thread, registered in its guild; its starter message will share its id."""
        thread = FakeChannel(
            self.snowflake(),
            name,
            CHANNEL_PUBLIC_THREAD,
            guild.id,
            parent_id=forum.id,
            owner_id=owner_id,
            applied_tags=tags,
            total_message_sent=1,
            **extra,
        )
        thread.last_message_id = thread.id
        guild.channels[thread.id] = thread
        return thread

    async def _forum_thread(self, request: web.Request, record: RecordedRequest, forum: FakeChannel) -> web.Response:
        """``POST /channels/{forum}/threads``: the bot starts a forum post (``ForumChannel.create_thread``)."""
        record.kind = "forum_post"
        guild = self.guild_of(forum)
        assert guild is not None
        body = record.json if isinstance(record.json, dict) else {}
        message_body = body.get("message")
        if not isinstance(message_body, dict):
            raise invalid_form([Problem("message", "BASE_TYPE_REQUIRED", "This field is required")])
        self._validate_message(message_body, creating=True, files=record.files)
        name = str(body.get("name") or "")
        problems: list[Problem] = []
        if not 1 <= len(name) <= 100:
            problems.append(Problem("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."))
        tags = [int(t) for t in body.get("applied_tags") or []]
        known = {t.id: t for t in forum.available_tags}
        if len(tags) > MAX_APPLIED_TAGS:
            problems.append(Problem("applied_tags", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length."))
        problems += [
            Problem(f"applied_tags.{i}", "UNKNOWN_TAG", f"Tag {t} is not a tag of #{forum.name}.")
            for i, t in enumerate(tags)
            if t not in known
        ]
        if problems:
            raise invalid_form(problems)
        perms = guild.permissions_in(self.bot_user, forum)
        if any(known[t].moderated for t in tags) and not perms & PERM_MANAGE_THREADS:
            raise missing_permissions()
        thread = self._open_post(
            guild,
            forum,
            name,
            self.bot_user.id,
            tags,
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
            rate_limit_per_user=int(body.get("rate_limit_per_user") or 0),
        )
        message = self._store_message(message_body, thread.id, files=record.files, message_id=thread.id)
        message["position"] = 0
        record.created_message = message
        with contextlib.suppress(RuntimeError):
            await self.dispatch("THREAD_CREATE", {**thread.to_payload(), "newly_created": True})
            await self.dispatch("MESSAGE_CREATE", message)
        return self._json({**thread.to_payload(), "message": message}, status=201)

    # ------------------------------------------------------------------ message context menus

    def message_command(
        self,
        name: str,
        target_message: MessageRef,
        *,
        user: FakeUser | None = None,
        channel: FakeChannel | int | str | None = None,
        require_synced: bool | None = None,
    ) -> JSON:
        """An APPLICATION_COMMAND interaction for the message context menu ``name`` (type 3) used on
        ``target_message`` (id, payload or recorded request), as Discord sends it: ``data.type`` 3,
        ``target_id`` and ``resolved.messages`` holding the full message (content included, whatever
        the intents). Guild and channel default to the message's."""
        message = self._message_payload(target_message)
        in_guild = bool(message.get("guild_id"))
        guild: GuildRef = self.guilds.get(int(message["guild_id"]), True) if in_guild else False
        schema, guild_id = self.find_command(name, guild=guild, type=3)
        if schema is None:
            if self._require_synced(require_synced):
                raise LookupError(f"message command {name!r} is not synced to the stand-in")
            schema = {"id": str(self.snowflake())}
        data: JSON = {
            "id": str(schema["id"]),
            "name": name,
            "type": 3,
            "target_id": str(message["id"]),
            "resolved": {"messages": {str(message["id"]): message}},
        }
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
        where = channel if channel is not None else (int(message["channel_id"]) if in_guild else None)
        return self._interaction(APPLICATION_COMMAND, data, user=user, guild=guild, channel=where)

    def user_command(
        self,
        name: str,
        target: FakeUser,
        *,
        user: FakeUser | None = None,
        guild: GuildRef = True,
        channel: FakeChannel | int | str | None = None,
        require_synced: bool | None = None,
    ) -> JSON:
        """An APPLICATION_COMMAND interaction for the user context menu ``name`` (type 2) on ``target``."""
        target_guild = self._target_guild(guild, channel)
        schema, guild_id = self.find_command(name, guild=target_guild or False, type=2)
        if schema is None:
            if self._require_synced(require_synced):
                raise LookupError(f"user command {name!r} is not synced to the stand-in")
            schema = {"id": str(self.snowflake())}
        resolved: JSON = {"users": {str(target.id): target.to_payload()}}
        if target_guild is not None and target.id in target_guild.members:
            member = target_guild.member_payload(
                target, with_user=False, permissions=target_guild.permissions_for(target)
            )
            resolved["members"] = {str(target.id): member}
        data: JSON = {
            "id": str(schema["id"]),
            "name": name,
            "type": 2,
            "target_id": str(target.id),
            "resolved": resolved,
        }
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
        return self._interaction(APPLICATION_COMMAND, data, user=user, guild=target_guild or False, channel=channel)

    def _require_synced(self, explicit: bool | None) -> bool:
        return bool(getattr(self, "require_synced_commands", True)) if explicit is None else explicit

    # ------------------------------------------------------------------ reactions

    def reaction_add(
        self, message: MessageRef, emoji: str = "👍", *, user: FakeUser | None = None, burst: bool = False
    ) -> JSON:
        """A MESSAGE_REACTION_ADD payload: ``user`` (default: the member) reacts with ``emoji``
        (unicode, or ``"name:id"`` for a custom emoji) to ``message``."""
        msg = self._message_payload(message)
        user = user or self.member
        payload: JSON = {
            "user_id": str(user.id),
            "channel_id": str(msg["channel_id"]),
            "message_id": str(msg["id"]),
            "emoji": emoji_payload(emoji),
            "burst": burst,
            "burst_colors": [],
            "type": 1 if burst else 0,
            "message_author_id": str(msg["author"]["id"]),
        }
        if msg.get("guild_id"):
            guild = self.guilds[int(msg["guild_id"])]
            payload["guild_id"] = str(guild.id)
            payload["member"] = guild.member_payload(user)
        return payload

    async def add_reaction(
        self, message: MessageRef, emoji: str = "👍", *, user: FakeUser | None = None, burst: bool = False
    ) -> JSON:
        """Dispatch ``reaction_add(...)`` (reaches ``on_raw_reaction_add``; ``on_reaction_add`` too if
        discord.py has the message cached) and count it on the stored message. Reacting twice with
        the same emoji is a no-op on Discord: no second event."""
        payload = self.reaction_add(message, emoji, user=user, burst=burst)
        if self._count_reaction(payload, add=True):
            await self.dispatch("MESSAGE_REACTION_ADD", payload)
        return payload

    async def remove_reaction(self, message: MessageRef, emoji: str = "👍", *, user: FakeUser | None = None) -> JSON:
        """Dispatch MESSAGE_REACTION_REMOVE for a reaction ``user`` added."""
        payload = self.reaction_add(message, emoji, user=user)
        for key in ("member", "message_author_id", "burst_colors"):
            payload.pop(key, None)
        if self._count_reaction(payload, add=False):
            await self.dispatch("MESSAGE_REACTION_REMOVE", payload)
        return payload

    def reactors(self, message: MessageRef, emoji: str = "👍") -> list[int]:
        """User ids that reacted to ``message`` with ``emoji`` (including the bot), in order."""
        msg = self._message_payload(message)
        return list(self.reactions.get((int(msg["id"]), _emoji_key(emoji_payload(emoji))), []))

    def _count_reaction(self, payload: JSON, *, add: bool) -> bool:
        """Update ``reactions`` and the stored message's ``reactions``; False if nothing changed."""
        message_id, user_id = int(payload["message_id"]), int(payload["user_id"])
        key = (message_id, _emoji_key(payload["emoji"]))
        users = self.reactions.setdefault(key, [])
        if (user_id in users) == add:
            return False
        if add:
            users.append(user_id)
        else:
            users.remove(user_id)
        stored = self.messages.get(message_id)
        if stored is not None:
            summary = [r for r in stored.get("reactions") or [] if _emoji_key(r["emoji"]) != key[1]]
            if users:
                summary.append(
                    {
                        "count": len(users),
                        "count_details": {"burst": 0, "normal": len(users)},
                        "me": self.bot_user.id in users,
                        "me_burst": False,
                        "burst_colors": [],
                        "emoji": payload["emoji"],
                    }
                )
            stored["reactions"] = summary
        return True

    async def _bot_reaction(self, request: web.Request) -> web.StreamResponse:
        """``PUT``/``DELETE /channels/{cid}/messages/{mid}/reactions/{emoji}/@me``."""
        record = self._rec(request, "reaction")
        channel = self._channel_or_404(request.match_info["channel_id"])
        message = self._message_or_404(channel, request.match_info["message_id"])
        raw = unquote(request.match_info["emoji"])
        emoji = emoji_payload(raw)
        if emoji["id"] is None and (not raw or raw.isascii()):
            raise StandInError(400, 10014, "Unknown Emoji")
        record.reaction = emoji
        guild = self.guild_of(channel)
        add = request.method == "PUT"
        key = (int(message["id"]), _emoji_key(emoji))
        is_new = not self.reactions.get(key)
        if (
            add
            and is_new
            and guild is not None
            and not guild.permissions_in(self.bot_user, channel) & PERM_ADD_REACTIONS
        ):
            raise missing_permissions()
        payload: JSON = {
            "user_id": str(self.bot_user.id),
            "channel_id": str(channel.id),
            "message_id": str(message["id"]),
            "emoji": emoji,
            "burst": False,
            "type": 0,
        }
        if guild is not None:
            payload["guild_id"] = str(guild.id)
        if add:
            payload.update(
                message_author_id=str(message["author"]["id"]),
                burst_colors=[],
                **({"member": guild.member_payload(self.bot_user)} if guild is not None else {}),
            )
        if self._count_reaction(payload, add=add):
            with contextlib.suppress(RuntimeError):
                await self.dispatch("MESSAGE_REACTION_ADD" if add else "MESSAGE_REACTION_REMOVE", payload)
        return web.Response(status=204)

    def bot_reactions(self) -> list[RecordedRequest]:
        """Successful reaction requests of the bot (``record.reaction`` is the emoji payload)."""
        return [r for r in self.requests if r.kind == "reaction" and r.ok]

    # ------------------------------------------------------------------ pings

    def pinged(self, item: RecordedRequest | JSON | int, *, worst_case: bool = False) -> Pings:
        """Who Discord would notify for a message the bot sent: a recorded request (channel message,
        interaction callback, follow-up, edits, forum post), or a stored message / message id (union
        over every request that created or edited it). ``worst_case`` ignores role mentionability
        and MENTION_EVERYONE (see ``mentions.py``)."""
        if isinstance(item, RecordedRequest):
            return self._record_pings(item, worst_case)
        message_id = int(item["id"]) if isinstance(item, dict) else int(item)
        out = Pings()
        for record in self.requests:
            if record.created_message is not None and int(record.created_message["id"]) == message_id:
                out |= self._record_pings(record, worst_case)
        return out

    def ping_log(self, *, worst_case: bool = False) -> list[tuple[RecordedRequest, Pings]]:
        """Every successful message request of the bot with the pings it causes (empty ones too)."""
        return [(r, self._record_pings(r, worst_case)) for r in self.requests if r.kind in MESSAGE_KINDS and r.ok]

    def all_pings(self, *, worst_case: bool = False) -> Pings:
        """Union of the pings of everything the bot sent so far: assert e.g.
        ``standin.all_pings() <= Pings(roles=frozenset({role.id}))`` via ``.users``/``.roles``/``.everyone``."""
        out = Pings()
        for _, pings in self.ping_log(worst_case=worst_case):
            out |= pings
        return out

    def _fill_mentions(self, message: JSON, body: JSON) -> None:
        """Set a bot message's ``mentions``/``mention_roles``/``mention_everyone`` to what Discord
        resolves from ``content`` under ``allowed_mentions`` (so ``Message.mentions`` is right)."""
        channel = self._find_channel(int(message["channel_id"]))
        guild = self.guild_of(channel) if channel is not None else None
        referenced = message.get("referenced_message")
        pings = compute_pings(
            body,
            guild=guild,
            author_id=self.bot_user.id,
            author_permissions=guild.permissions_in(self.bot_user, channel) if guild is not None else 0,
            replied_author_id=int(referenced["author"]["id"]) if isinstance(referenced, dict) else None,
        )
        mentions: list[JSON] = []
        for user_id in sorted(pings.users):
            with contextlib.suppress(KeyError):
                user = self.user(user_id)
                entry = user.to_payload()
                if guild is not None and user.id in guild.members:
                    entry["member"] = guild.member_payload(user, with_user=False)
                mentions.append(entry)
        message["mentions"] = mentions
        message["mention_roles"] = [str(r) for r in sorted(pings.roles)]
        message["mention_everyone"] = pings.everyone

    def _record_pings(self, record: RecordedRequest, worst_case: bool) -> Pings:
        if record.kind not in MESSAGE_KINDS or not record.ok:
            return Pings()
        if record.kind == "callback" and record.callback_type not in (4, 7):
            return Pings()
        body = record.message_data
        if record.kind == "forum_post":
            body = body.get("message") or {}
        created = record.created_message or {}
        channel_id = int(created["channel_id"]) if created.get("channel_id") else record.channel_id
        channel = self._find_channel(channel_id) if channel_id else None
        guild = self.guild_of(channel) if channel is not None else None
        replied: int | None = None
        ref = body.get("message_reference")
        if isinstance(ref, dict) and ref.get("message_id"):
            referenced = created.get("referenced_message") or self.messages.get(int(ref["message_id"]))
            if referenced:
                replied = int(referenced["author"]["id"])
        perms = guild.permissions_in(self.bot_user, channel) if guild is not None else 0
        return compute_pings(
            body,
            guild=guild,
            author_id=self.bot_user.id,
            author_permissions=perms,
            replied_author_id=replied,
            worst_case=worst_case,
        )


def intents_for_reactions(conn_intents: int, in_guild: bool) -> bool:
    """Whether a connection with ``conn_intents`` receives reaction events (guild or DM)."""
    flag = discord.Intents(guild_reactions=True).value if in_guild else discord.Intents(dm_reactions=True).value
    return bool(conn_intents & flag)


__all__ = ["CommunityMixin", "ForumPost", "emoji_payload", "intents_for_reactions"]

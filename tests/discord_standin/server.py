"""A loopback stand-in for Discord's REST API and gateway, for end-to-end tests of a discord.py bot.

The server binds to 127.0.0.1 on a random port inside the test's event loop. It models one
application (whose bot user has the same id, as for modern Discord apps), one guild with channels,
roles and members, and keeps every message the bot creates, so buttons on them can be pressed.
Discord's server-side rules that commonly bite bots are emulated: the 3 s interaction-callback
deadline, "already acknowledged", follow-ups before acknowledging, the first follow-up after a
deferral replacing the "thinking" message, message/embed/component/choice limits, malformed
``allowed_mentions``, and the MESSAGE_CONTENT intent (content is blanked for guild messages,
thread and forum messages included, that neither mention the bot nor are its own). Forums, thread
edits, reactions, context menus, more guilds and ping accounting live in ``community.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import traceback
import uuid
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import discord
from aiohttp import BodyPartReader, WSMsgType, hdrs, web

from .builders import PayloadBuilders
from .community import CommunityMixin, intents_for_reactions
from .errors import StandInError, invalid_form, missing_permissions
from .limits import (
    Problem,
    autocomplete_problems,
    command_problems,
    message_problems,
    modal_problems,
)
from .payloads import (
    BOT_ROLE_PERMISSIONS,
    CHANNEL_CATEGORY,
    CHANNEL_DM,
    CHANNEL_FORUM,
    CHANNEL_PUBLIC_THREAD,
    CHANNEL_TEXT,
    EVERYONE_PERMISSIONS,
    FLAG_EPHEMERAL,
    FLAG_HAS_THREAD,
    FLAG_LOADING,
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_MESSAGES,
    INTENT_GUILD_PRESENCES,
    INTENT_MESSAGE_CONTENT,
    JSON,
    MODERATOR_PERMISSIONS,
    PERM_MANAGE_THREADS,
    PRIVILEGED_INTENTS,
    SENDABLE_FLAGS,
    FakeChannel,
    FakeGuild,
    FakeRole,
    FakeUser,
    SnowflakeFactory,
    iso_now,
)
from .records import (
    APPLICATION_COMMAND,
    APPLICATION_COMMAND_AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionRecord,
    RecordedRequest,
    UploadedFile,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

API = r"/api/v{version:\d+}"
ALLOWED_CALLBACKS: dict[int, set[int]] = {
    APPLICATION_COMMAND: {4, 5, 9},
    MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
    APPLICATION_COMMAND_AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}
_API_PREFIX = re.compile(r"^/api/v\d+")
# aiohttp >= 3.12 warns about plain-string request keys.
_RECORD_KEY: Any = web.RequestKey("standin_record", object) if hasattr(web, "RequestKey") else "standin_record"


def owns(shard: Any, guild_id: int | None) -> bool:
    """Whether a connection identified with ``shard`` ([id, count], or None: unsharded) gets the
    events of ``guild_id`` (None: a direct message, which Discord sends to shard 0 only)."""
    if not shard:
        return True
    shard_id, count = int(shard[0]), int(shard[1])
    if guild_id is None:
        return shard_id == 0
    return (guild_id >> 22) % count == shard_id


@dataclass
class GatewayConnection:
    """One bot websocket connected to the stand-in's gateway."""

    ws: web.WebSocketResponse
    query: dict[str, str]
    compress: bool
    seq: int = 0
    identify: JSON | None = None
    intents: int = 0
    session_id: str | None = None
    ready: bool = False
    presence: JSON | None = None
    sent: list[JSON] = field(default_factory=list)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _zlib: Any = None

    def __post_init__(self) -> None:
        if self.compress:
            self._zlib = zlib.compressobj()

    @property
    def closed(self) -> bool:
        return self.ws.closed

    async def send(self, payload: JSON) -> None:
        """Send a JSON frame; zlib-stream compressed (Z_SYNC_FLUSH per message) if negotiated."""
        text = json.dumps(payload, separators=(",", ":"))
        async with self._lock:
            if self.ws.closed:
                return
            if self._zlib is not None:
                await self.ws.send_bytes(self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH))
            else:
                await self.ws.send_str(text)
        self.sent.append(payload)

    async def dispatch(self, event: str, data: Any) -> None:
        self.seq += 1
        await self.send({"op": 0, "t": event, "s": self.seq, "d": data})


class DiscordStandIn(CommunityMixin, PayloadBuilders):
    """Loopback Discord: REST routes + gateway websocket + a tiny world (one guild, or more).

    Presets: ``bot_user`` (id == ``application_id``), ``owner``, ``member`` (ordinary user),
    ``moderator`` (holds the "Moderator" role with MANAGE_GUILD, MANAGE_THREADS etc.), ``guild``,
    ``channel`` (#general), ``other_channel`` (#roadmap-help), ``moderator_role``, ``bot_role`` (has
    MANAGE_THREADS, not MENTION_EVERYONE/MANAGE_CHANNELS), ``forum`` ("help-forum", type 15, tags
    "Solved" and "Needs human"; ``forum.tag("Solved")``), ``guilds`` (id -> FakeGuild, primary first).
    Before the bot connects: ``add_user``, ``add_role``, ``add_forum`` (e.g. a forum without tags),
    ``add_helper`` (-> ``helper``/``helper_role``: "Helper", no permissions), ``add_guild``.

    Community API (community.py): ``create_forum_post``/``post_in_thread`` (user side),
    ``message_command``/``user_command`` (context-menu interactions), ``add_reaction``/
    ``remove_reaction``/``reactors``/``bot_reactions``, ``thread_edits``/``threads_in``, and
    ``pinged``/``all_pings``/``ping_log`` (who the bot's messages notify, per ``allowed_mentions``).

    Parameters:
        token: the token the bot is expected to log in with.
        check_token: reject other tokens (401 on login, gateway close 4004).
        callback_deadline: seconds after dispatch within which the first interaction callback must
            arrive (Discord: 3 s); later callbacks get 404 "Unknown interaction". ``None`` disables.
        compress: ``"auto"`` honours ``compress=zlib-stream`` in the gateway URL (as discord.py asks);
            ``"none"`` always sends plain text frames (discord.py accepts both).
        approved_privileged_intents: privileged intents the app is "approved" for; identifying with
            others closes the gateway with 4014 like Discord does. Default: all approved.
        validate: enforce Discord's message/embed/component/choice/modal/command limits (400 50035).
        guild_id: the guild's id (default: a fresh snowflake); its shard is ``(guild_id >> 22) % count``.
        shards: the shard count ``GET /gateway/bot`` recommends. Connections that identify with
            ``shard: [id, count]`` get READY/GUILD_CREATE and events only for the guilds their shard
            owns, and direct messages only on shard 0, as Discord routes them.
        extra_guilds: add that many more guilds (``add_guild``), each with its own roles, #general,
            "help-forum" and the same preset users; builders take ``guild=`` to act in one.
        forum: create the preset ``forum`` ("help-forum") in the primary guild.
    """

    def __init__(
        self,
        *,
        token: str = "fake-token",
        check_token: bool = False,
        callback_deadline: float | None = 3.0,
        compress: Literal["auto", "none"] = "auto",
        approved_privileged_intents: int = PRIVILEGED_INTENTS,
        heartbeat_interval_ms: int = 41250,
        validate: bool = True,
        require_synced_commands: bool = True,
        guild_name: str = "Roadmap Test Guild",
        bot_name: str = "roadmap-bot",
        guild_id: int | None = None,
        shards: int = 1,
        extra_guilds: int = 0,
        forum: bool = True,
    ) -> None:
        self.token = token
        self.check_token = check_token
        self.callback_deadline = callback_deadline
        self.compress = compress
        self.approved_privileged_intents = approved_privileged_intents
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.validate = validate
        self.require_synced_commands = require_synced_commands
        self.bot: Any = None
        self.shards = shards

        self.snowflake = SnowflakeFactory()
        self.bot_user = FakeUser(self.snowflake(), bot_name, bot=True)
        self.application_id = self.bot_user.id
        self.owner = FakeUser(self.snowflake(), "guild-owner", global_name="Guild Owner")
        guild_id = guild_id or self.snowflake()
        self.guild = FakeGuild(guild_id, guild_name, owner_id=self.owner.id)
        self.guild.roles[guild_id] = FakeRole(guild_id, "@everyone", EVERYONE_PERMISSIONS, position=0)
        self.moderator_role = FakeRole(self.snowflake(), "Moderator", MODERATOR_PERMISSIONS, position=1, hoist=True)
        self.bot_role = FakeRole(
            self.snowflake(), bot_name, BOT_ROLE_PERMISSIONS, position=2, managed=True, bot_id=self.bot_user.id
        )
        for role in (self.moderator_role, self.bot_role):
            self.guild.roles[role.id] = role
        self.bot_user.role_ids = [self.bot_role.id]
        self.member = FakeUser(self.snowflake(), "alice", global_name="Alice")
        self.moderator = FakeUser(self.snowflake(), "morgan", global_name="Morgan", role_ids=[self.moderator_role.id])
        for user in (self.bot_user, self.owner, self.member, self.moderator):
            self.guild.add_member(user)
        category = FakeChannel(self.snowflake(), "Text Channels", CHANNEL_CATEGORY, guild_id, position=0)
        self.channel = FakeChannel(
            self.snowflake(), "general", CHANNEL_TEXT, guild_id, position=0, parent_id=category.id, topic="General chat"
        )
        self.other_channel = FakeChannel(
            self.snowflake(), "roadmap-help", CHANNEL_TEXT, guild_id, position=1, parent_id=category.id
        )
        for channel in (category, self.channel, self.other_channel):
            self.guild.channels[channel.id] = channel
        self.guild.default_channel = self.channel
        self.guild.moderator_role, self.guild.bot_role = self.moderator_role, self.bot_role
        self.guilds: dict[int, FakeGuild] = {self.guild.id: self.guild}
        self.helper_role: FakeRole | None = None
        self.helper: FakeUser | None = None
        self.forum: FakeChannel | None = None
        if forum:
            self.forum = self.guild.forum = self.add_forum("help-forum", tags=["Solved", "Needs human"])
        for index in range(extra_guilds):
            self.add_guild(f"Extra Test Guild {index + 1}")
        self.dm_channels: dict[int, FakeChannel] = {}
        # Users whose DMs are closed to the bot (privacy settings, or they blocked it): Discord answers
        # a message to their DM channel with 403 50007 "Cannot send messages to this user".
        self.closed_dms: set[int] = set()

        # Recorded state.
        self.requests: list[RecordedRequest] = []
        self.unknown_routes: list[RecordedRequest] = []
        self.internal_errors: list[str] = []
        self.bot_errors: list[str] = []
        self.blocked_urls: list[str] = []
        self.undelivered: list[tuple[str, str, JSON]] = []
        self.gateway_received: list[JSON] = []
        self.connections: list[GatewayConnection] = []
        self.global_commands: list[JSON] = []
        self.guild_commands: dict[int, list[JSON]] = {}
        self.messages: dict[int, JSON] = {}
        self.deleted_message_ids: list[int] = []
        self.interactions: dict[int, InteractionRecord] = {}
        self._tokens: dict[str, InteractionRecord] = {}
        # (message id, emoji id or unicode name) -> ids of users who reacted, in order.
        self.reactions: dict[tuple[int, str], list[int]] = {}

        self._watchers: list[tuple[Callable[[], Any], asyncio.Future[Any]]] = []
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def is_running(self) -> bool:
        return self._runner is not None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the stand-in is not running; await standin.start() first")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """Value for ``discord.http.Route.BASE`` (uses discord.py's current API version)."""
        return f"{self.base_url}/api/v{discord.http.INTERNAL_API_VERSION}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self, port: int = 0) -> DiscordStandIn:
        """Start the HTTP/websocket server on 127.0.0.1, on a random free port unless `port` is given
        (to bring Discord "back" where a client already points, after an outage)."""
        if self._runner is not None:
            return self
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        self._add_routes(app)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", port, reuse_address=True)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        """Close gateway connections and stop the server."""
        for conn in list(self.connections):
            if not conn.closed:
                await conn.ws.close(code=1001, message=b"stand-in shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
        self._runner = None
        for _, fut in self._watchers:
            if not fut.done():
                fut.cancel()

    async def __aenter__(self) -> DiscordStandIn:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ waiting / assertions

    def notify_change(self) -> None:
        """Re-evaluate ``wait_until`` conditions (called on every recorded change)."""
        self._changed()

    def _changed(self) -> None:
        for check, fut in list(self._watchers):
            if fut.done():
                continue
            try:
                result = check()
            except Exception as exc:
                fut.set_exception(exc)
            else:
                if result:
                    fut.set_result(result)

    async def wait_until(self, check: Callable[[], T | None], *, timeout: float = 5.0, description: str = "") -> T:
        """Wait until ``check()`` returns a truthy value and return it; re-checked on every recorded
        request, gateway message, dispatched event and bot error log. AssertionError on timeout."""
        result = check()
        if result:
            return result
        fut: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        entry = (check, fut)
        self._watchers.append(entry)
        try:
            return await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            headline = f"Timed out after {timeout}s waiting for {description or check}"
            raise AssertionError(self.report(headline)) from None
        finally:
            self._watchers.remove(entry)

    async def wait_for_request(
        self,
        predicate: Callable[[RecordedRequest], bool],
        *,
        timeout: float = 5.0,
        since: int = 0,
        description: str = "",
    ) -> RecordedRequest:
        """The first completed request (index >= ``since``) matching ``predicate``, waiting if needed."""

        def check() -> RecordedRequest | None:
            return next((r for r in self.requests[since:] if r.done and predicate(r)), None)

        return await self.wait_until(check, timeout=timeout, description=description or "a matching request")

    def mark(self) -> int:
        """Current request count, for ``wait_for_request(..., since=standin.mark())``."""
        return len(self.requests)

    async def wait_for_message(
        self,
        channel: FakeChannel | int | None = None,
        *,
        reply_to: int | JSON | None = None,
        predicate: Callable[[RecordedRequest], bool] | None = None,
        timeout: float = 5.0,
        since: int = 0,
    ) -> RecordedRequest:
        """Wait for ``POST /channels/{id}/messages`` (optionally in ``channel`` / replying to a message)."""
        channel_id = channel.id if isinstance(channel, FakeChannel) else channel
        reply_id = int(reply_to["id"]) if isinstance(reply_to, dict) else reply_to

        def match(r: RecordedRequest) -> bool:
            return (
                r.kind == "channel_message"
                and (channel_id is None or r.channel_id == channel_id)
                and (reply_id is None or r.reference_id == reply_id)
                and (predicate is None or predicate(r))
            )

        return await self.wait_for_request(match, timeout=timeout, since=since, description="a channel message")

    async def wait_for_gateway_op(self, op: int, *, timeout: float = 5.0, since: int = 0) -> JSON:
        """Wait for the bot to send gateway opcode ``op`` (e.g. 3 = presence update)."""
        return await self.wait_until(
            lambda: next((p for p in self.gateway_received[since:] if p.get("op") == op), None),
            timeout=timeout,
            description=f"gateway op {op} from the bot",
        )

    def requests_of(self, kind: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.kind == kind]

    def problems(self) -> list[str]:
        """Everything that indicates a broken test setup or bot bug."""
        out = [f"bot logged an error:\n{e}" for e in self.bot_errors]
        out += [f"no stand-in route for {r.method} {r.route}" for r in self.unknown_routes]
        out += [f"stand-in internal error:\n{e}" for e in self.internal_errors]
        out += [f"blocked non-loopback request to {u}" for u in self.blocked_urls]
        return out

    def assert_clean(self) -> None:
        """Raise AssertionError if the bot logged errors, hit unknown routes or left loopback."""
        problems = self.problems()
        if problems:
            raise AssertionError("Discord stand-in found problems:\n- " + "\n- ".join(problems))

    def report(self, headline: str) -> str:
        lines = [headline, "Recent requests:"]
        lines += [f"  #{r.index} {r.summary()}" for r in self.requests[-15:]] or ["  (none)"]
        if self.undelivered:
            lines.append("Gateway events not delivered (intents):")
            lines += [f"  {event}: {reason}" for event, reason, _ in self.undelivered[-5:]]
        lines += [f"Problem: {p}" for p in self.problems()]
        return "\n".join(lines)

    # ------------------------------------------------------------------ gateway side (test -> bot)

    @property
    def connection(self) -> GatewayConnection:
        """The (single) identified gateway connection."""
        for conn in self.connections:
            if conn.ready and not conn.closed:
                return conn
        raise RuntimeError("no identified gateway connection; is the bot running (running_bot)?")

    def shard_connection(self, shard_id: int) -> GatewayConnection | None:
        """The identified connection of one shard, if it is up."""
        for conn in self.connections:
            shard = conn.identify.get("shard") if conn.identify else None
            if conn.ready and not conn.closed and shard and int(shard[0]) == shard_id:
                return conn
        return None

    async def dispatch(self, event: str, data: JSON) -> bool:
        """Send a dispatch event to the connected bot. INTERACTION_CREATE is registered so callbacks
        can be matched; MESSAGE_CREATE is stored, filtered by intents (returns False if Discord would
        not have delivered it, see ``undelivered``) and content-blanked without MESSAGE_CONTENT."""
        conns = [c for c in self.connections if c.ready and not c.closed]
        if not conns:
            raise RuntimeError("no identified gateway connection; is the bot running (running_bot)?")
        if event == "INTERACTION_CREATE":
            self._register_interaction(data)
        elif event == "MESSAGE_CREATE":
            is_new = int(data["id"]) not in self.messages
            self.messages[int(data["id"])] = data
            if is_new:
                self._count_thread_message(data)
        delivered = False
        for conn in conns:
            payload = self._filter_event(conn, event, data)
            if payload is None:
                continue
            await conn.dispatch(event, payload)
            delivered = True
        self._changed()
        return delivered

    async def interact(self, payload: JSON) -> InteractionRecord:
        """Dispatch an INTERACTION_CREATE built by ``slash``/``autocomplete``/``button``/... and return
        its record (``await record.response()``, ``await record.followup()``)."""
        await self.dispatch("INTERACTION_CREATE", payload)
        return self.interactions[int(payload["id"])]

    async def send_user_message(self, content: str = "", **kwargs: Any) -> JSON:
        """Build (see ``user_message``) and dispatch a MESSAGE_CREATE; returns the full payload."""
        payload = self.user_message(content, **kwargs)
        await self.dispatch("MESSAGE_CREATE", payload)
        return payload

    async def send_dm(self, content: str, *, user: FakeUser | None = None) -> JSON:
        """A DM from ``user`` (default: the ordinary member) to the bot."""
        return await self.send_user_message(content, user=user, guild=False)

    async def reconnect(self) -> None:
        """Ask the bot to reconnect (op 7); discord.py will RESUME."""
        await self.connection.send({"op": 7, "d": None})

    def interaction(self, interaction: JSON | int | InteractionRecord) -> InteractionRecord:
        if isinstance(interaction, InteractionRecord):
            return interaction
        iid = int(interaction["id"]) if isinstance(interaction, dict) else int(interaction)
        return self.interactions[iid]

    async def wait_for_callback(
        self, interaction: JSON | int | InteractionRecord, timeout: float = 5.0
    ) -> RecordedRequest:
        return await self.interaction(interaction).response(timeout)

    async def wait_for_followup(
        self, interaction: JSON | int | InteractionRecord, index: int = 0, timeout: float = 5.0
    ) -> RecordedRequest:
        return await self.interaction(interaction).followup(index, timeout)

    def _register_interaction(self, data: JSON) -> InteractionRecord:
        record = InteractionRecord(
            id=int(data["id"]),
            token=data["token"],
            type=int(data["type"]),
            payload=data,
            dispatched_at=asyncio.get_running_loop().time(),
            standin=self,
        )
        self.interactions[record.id] = record
        self._tokens[record.token] = record
        return record

    def _filter_event(self, conn: GatewayConnection, event: str, data: JSON) -> JSON | None:
        shard = conn.identify.get("shard") if conn.identify else None
        if not owns(shard, int(data["guild_id"]) if data.get("guild_id") else None):
            return None  # another shard's guild, or a DM and this is not shard 0
        in_guild = bool(data.get("guild_id"))
        if event.startswith("MESSAGE_REACTION_"):
            if not intents_for_reactions(conn.intents, in_guild):
                reason = f"bot did not identify with the {'GUILD' if in_guild else 'DM'}_MESSAGE_REACTIONS intent"
                self.undelivered.append((event, reason, data))
                return None
            return data
        if event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE"):
            return data
        needed = INTENT_GUILD_MESSAGES if in_guild else INTENT_DIRECT_MESSAGES
        if not conn.intents & needed:
            reason = f"bot did not identify with the {'GUILD_MESSAGES' if in_guild else 'DIRECT_MESSAGES'} intent"
            self.undelivered.append((event, reason, data))
            return None
        if in_guild and not conn.intents & INTENT_MESSAGE_CONTENT:
            data = self._blank_content(data)
        return data

    def _blank_content(self, data: JSON) -> JSON:
        """Discord without MESSAGE_CONTENT: guild messages (threads and forum starters included) lose
        content, embeds, attachments, components and polls, unless they mention the bot or are its
        own; a ``referenced_message`` is blanked by the same rule."""
        mentions_bot = any(int(m["id"]) == self.bot_user.id for m in data.get("mentions") or [])
        own = "author" in data and int(data["author"]["id"]) == self.bot_user.id
        if not mentions_bot and not own:
            data = {**data, "content": "", "embeds": [], "attachments": [], "components": []}
            data.pop("poll", None)
        referenced = data.get("referenced_message")
        if isinstance(referenced, dict):
            data = {**data, "referenced_message": self._blank_content(referenced)}
        return data

    def close_dms(self, user: FakeUser, closed: bool = True) -> None:
        """Make messages to ``user``'s DM channel fail with 403 50007, as Discord does when a user
        does not accept DMs from the bot (``closed=False`` opens them again)."""
        if closed:
            self.closed_dms.add(user.id)
        else:
            self.closed_dms.discard(user.id)

    def dm_messages(self, user: FakeUser) -> list[RecordedRequest]:
        """Messages the bot sent (or tried to send) to ``user``'s DM channel, oldest first."""
        channel = self.dm_channels.get(user.id)
        if channel is None:
            return []
        return [r for r in self.requests if r.kind == "channel_message" and r.channel_id == channel.id and r.done]

    def dm_channel_for(self, user: FakeUser) -> FakeChannel:
        """The DM channel between the bot and ``user`` (created on first use)."""
        channel = self.dm_channels.get(user.id)
        if channel is None:
            channel = FakeChannel(self.snowflake(), "", CHANNEL_DM, recipients=[user])
            self.dm_channels[user.id] = channel
        return channel

    # ------------------------------------------------------------------ HTTP plumbing

    def _add_routes(self, app: web.Application) -> None:
        r = app.router
        r.add_get("/gateway", self._gateway)
        reaction = "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}"
        routes: list[tuple[str, str, Handler]] = [
            ("GET", "/users/@me", self._get_me),
            ("POST", "/users/@me/channels", self._create_dm),
            ("GET", "/users/{user_id}", self._get_user),
            ("GET", "/gateway", self._get_gateway),
            ("GET", "/gateway/bot", self._get_gateway),
            ("GET", "/oauth2/applications/@me", self._application_info),
            ("GET", "/applications/@me", self._application_info),
            ("GET", "/applications/{app_id}/commands", self._get_commands),
            ("PUT", "/applications/{app_id}/commands", self._put_commands),
            ("POST", "/applications/{app_id}/commands", self._post_command),
            ("GET", "/applications/{app_id}/guilds/{guild_id}/commands", self._get_commands),
            ("PUT", "/applications/{app_id}/guilds/{guild_id}/commands", self._put_commands),
            ("POST", "/applications/{app_id}/guilds/{guild_id}/commands", self._post_command),
            ("POST", "/interactions/{interaction_id}/{token}/callback", self._callback),
            ("POST", "/webhooks/{app_id}/{token}", self._followup),
            ("GET", "/webhooks/{app_id}/{token}/messages/{message_id}", self._webhook_message),
            ("PATCH", "/webhooks/{app_id}/{token}/messages/{message_id}", self._webhook_message),
            ("DELETE", "/webhooks/{app_id}/{token}/messages/{message_id}", self._webhook_message),
            ("GET", "/channels/{channel_id}", self._get_channel),
            ("PATCH", "/channels/{channel_id}", self._edit_channel),
            ("GET", "/channels/{channel_id}/messages", self._get_messages),
            ("POST", "/channels/{channel_id}/messages", self._post_message),
            ("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self._edit_message),
            ("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_message),
            ("POST", "/channels/{channel_id}/messages/{message_id}/threads", self._thread_from_message),
            ("POST", "/channels/{channel_id}/threads", self._thread_without_message),
            ("POST", "/channels/{channel_id}/typing", self._no_content("typing")),
            ("PUT", f"{reaction}/@me", self._bot_reaction),
            ("DELETE", f"{reaction}/@me", self._bot_reaction),
            ("GET", "/guilds/{guild_id}", self._get_guild),
            ("GET", "/guilds/{guild_id}/channels", self._get_guild_channels),
            ("GET", "/guilds/{guild_id}/roles", self._get_guild_roles),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member),
        ]
        for method, path, handler in routes:
            r.add_route(method, API + path, handler)
        r.add_route("*", "/{tail:.*}", self._unknown)

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path == "/gateway":
            return await handler(request)
        record = self._new_record(request)
        request[_RECORD_KEY] = record
        try:
            await self._read_body(request, record)
            response = await handler(request)
        except web.HTTPException as exc:
            response = exc
        except Exception as exc:
            # 400 rather than 500: discord.py retries 5xx with multi-second sleeps.
            tb = traceback.format_exc()
            record.error = tb
            self.internal_errors.append(f"{record.summary()}\n{tb}")
            response = web.Response(
                status=400,
                body=json.dumps({"code": 0, "message": f"stand-in internal error: {exc!r}"}).encode(),
                headers={hdrs.CONTENT_TYPE: "application/json"},
            )
        record.status = response.status
        if record.response is None and isinstance(response, web.Response) and response.body is not None:
            try:
                record.response = json.loads(bytes(response.body))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                record.response = None
        record.done = True
        self._changed()
        return response

    def _new_record(self, request: web.Request) -> RecordedRequest:
        record = RecordedRequest(
            index=len(self.requests),
            method=request.method,
            path=request.path,
            route=_API_PREFIX.sub("", request.path),
            query=dict(request.query),
            json=None,
            files=[],
            headers={
                k: v
                for k, v in request.headers.items()
                if k.lower() in ("authorization", "x-audit-log-reason", "user-agent", "content-type")
            },
            at=asyncio.get_running_loop().time(),
        )
        self.requests.append(record)
        return record

    @staticmethod
    async def _read_body(request: web.Request, record: RecordedRequest) -> None:
        """Parse a JSON body, or a multipart body (``payload_json`` + ``files[n]``)."""
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader):  # nested multipart: not used by discord.py
                    continue
                raw = bytes(await part.read(decode=False))
                if part.name == "payload_json":
                    record.json = json.loads(raw)
                else:
                    content_type = part.headers.get(hdrs.CONTENT_TYPE)
                    record.files.append(UploadedFile(part.name or "", part.filename, content_type, raw))
        elif request.can_read_body:
            text = await request.text()
            if text:
                try:
                    record.json = json.loads(text)
                except ValueError:
                    record.json = text

    @staticmethod
    def _rec(request: web.Request, kind: str) -> RecordedRequest:
        record: RecordedRequest = request[_RECORD_KEY]
        record.kind = kind
        return record

    @staticmethod
    def _json(data: Any, status: int = 200) -> web.Response:
        # discord.py's json_or_text() requires exactly "application/json" (no charset parameter).
        return web.Response(
            status=status, body=json.dumps(data).encode(), headers={hdrs.CONTENT_TYPE: "application/json"}
        )

    def _no_content(self, kind: str) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            self._rec(request, kind)
            self._channel_or_404(request.match_info["channel_id"])
            return web.Response(status=204)

        return handler

    async def _unknown(self, request: web.Request) -> web.StreamResponse:
        record = self._rec(request, "unknown")
        self.unknown_routes.append(record)
        raise StandInError(404, 0, f"404: Not Found (no stand-in route for {request.method} {record.route})")

    def _check_auth(self, request: web.Request) -> None:
        if self.check_token and request.headers.get("Authorization") != f"Bot {self.token}":
            raise StandInError(401, 0, "401: Unauthorized")

    # ------------------------------------------------------------------ REST: login, gateway, app

    def _me_payload(self) -> JSON:
        return {
            **self.bot_user.to_payload(),
            "verified": True,
            "mfa_enabled": False,
            "email": None,
            "locale": "en-US",
            "flags": 0,
        }

    def _application_flags(self) -> int:
        flags = 1 << 23  # APPLICATION_COMMAND_BADGE
        if self.approved_privileged_intents & INTENT_GUILD_PRESENCES:
            flags |= 1 << 13
        if self.approved_privileged_intents & INTENT_GUILD_MEMBERS:
            flags |= 1 << 15
        if self.approved_privileged_intents & INTENT_MESSAGE_CONTENT:
            flags |= 1 << 19
        return flags

    async def _get_me(self, request: web.Request) -> web.StreamResponse:
        self._rec(request, "login")
        self._check_auth(request)
        return self._json(self._me_payload())

    async def _get_gateway(self, request: web.Request) -> web.StreamResponse:
        self._rec(request, "gateway")
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return self._json({"url": self.gateway_url, "shards": self.shards, "session_start_limit": limit})

    async def _application_info(self, request: web.Request) -> web.StreamResponse:
        self._rec(request, "application_info")
        self._check_auth(request)
        return self._json(
            {
                "id": str(self.application_id),
                "name": self.bot_user.username,
                "icon": None,
                "description": "",
                "summary": "",
                "rpc_origins": [],
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": self.owner.to_payload(),
                "team": None,
                "verify_key": "0" * 64,
                "flags": self._application_flags(),
                "bot": self.bot_user.to_payload(),
                "interactions_endpoint_url": None,
                "redirect_uris": [],
                "tags": [],
                "integration_types_config": {"0": {}},
                "approximate_guild_count": 1,
            }
        )

    # ------------------------------------------------------------------ REST: application commands

    def _command_list(self, request: web.Request) -> tuple[list[JSON], int | None]:
        if int(request.match_info["app_id"]) != self.application_id:
            raise StandInError(403, 20012, "You are not authorized to perform this action on this application")
        guild_id = request.match_info.get("guild_id")
        if guild_id is None:
            return self.global_commands, None
        if int(guild_id) not in self.guilds:
            raise StandInError(403, 50001, "Missing Access")
        return self.guild_commands.setdefault(int(guild_id), []), int(guild_id)

    def _normalise_command(self, cmd: JSON, existing: list[JSON], guild_id: int | None) -> JSON:
        out = dict(cmd)
        ctype = int(out.get("type", 1))
        previous = next((c for c in existing if c["name"] == out["name"] and int(c.get("type", 1)) == ctype), None)
        out["id"] = previous["id"] if previous else str(self.snowflake())
        out["application_id"] = str(self.application_id)
        out["version"] = str(self.snowflake())
        out["type"] = ctype
        out.setdefault("description", "")
        out.setdefault("default_member_permissions", None)
        out.setdefault("nsfw", False)
        if ctype == 1:
            out.setdefault("options", [])
        if guild_id is not None:
            out["guild_id"] = str(guild_id)
        return out

    async def _get_commands(self, request: web.Request) -> web.StreamResponse:
        self._rec(request, "commands_get")
        commands, _ = self._command_list(request)
        return self._json(commands)

    async def _put_commands(self, request: web.Request) -> web.StreamResponse:
        record = self._rec(request, "commands_sync")
        commands, guild_id = self._command_list(request)
        if self.validate and (problems := command_problems(record.json)):
            raise invalid_form(problems)
        new = [self._normalise_command(c, commands, guild_id) for c in record.json or []]
        commands[:] = new
        return self._json(new)

    async def _post_command(self, request: web.Request) -> web.StreamResponse:
        record = self._rec(request, "commands_sync")
        commands, guild_id = self._command_list(request)
        if self.validate and (problems := command_problems([record.json])):
            raise invalid_form(problems)
        cmd = self._normalise_command(record.json, commands, guild_id)
        commands[:] = [c for c in commands if c["id"] != cmd["id"]] + [cmd]
        return self._json(cmd, status=201)

    # ------------------------------------------------------------------ REST: interactions

    def _store_message(
        self,
        body: JSON,
        channel_id: int,
        *,
        author: FakeUser | None = None,
        flags: int = 0,
        msg_type: int = 0,
        files: list[UploadedFile] | None = None,
        extra: JSON | None = None,
        message_id: int | None = None,
    ) -> JSON:
        """Create the stored message object for content the bot sent."""
        author = author or self.bot_user
        channel = self._find_channel(channel_id)
        message: JSON = {
            "id": str(message_id or self.snowflake()),
            "channel_id": str(channel_id),
            "author": author.to_payload(),
            "content": body.get("content") or "",
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self._attachments(body, files or [], channel_id),
            "embeds": [{"type": "rich", **e} for e in body.get("embeds") or []],
            "components": list(body.get("components") or []),
            "pinned": False,
            "type": msg_type,
            "flags": flags,
        }
        if channel is not None and channel.guild_id:
            message["guild_id"] = str(channel.guild_id)
        if "poll" in body:
            message["poll"] = body["poll"]
        message.update(extra or {})
        if author.id == self.bot_user.id:
            self._fill_mentions(message, body)
        self.messages[int(message["id"])] = message
        return message

    def _attachments(self, body: JSON, files: list[UploadedFile], channel_id: int) -> list[JSON]:
        meta = {str(a.get("id")): a for a in body.get("attachments") or [] if isinstance(a, dict)}
        out = []
        for index, upload in enumerate(files):
            att_id = self.snowflake()
            name = upload.filename or f"file{index}"
            url = f"{self.base_url}/attachments/{channel_id}/{att_id}/{name}"
            item: JSON = {
                "id": str(att_id),
                "filename": name,
                "size": len(upload.data),
                "url": url,
                "proxy_url": url,
                "content_type": upload.content_type,
            }
            description = meta.get(str(index), {}).get("description")
            if description:
                item["description"] = description
            out.append(item)
        return out

    def _edit_stored(self, message: JSON, body: JSON, files: list[UploadedFile]) -> JSON:
        for key in ("content", "components"):
            if key in body:
                message[key] = body[key] if body[key] is not None else ([] if key == "components" else "")
        if "embeds" in body:
            message["embeds"] = [{"type": "rich", **e} for e in body["embeds"] or []]
        if "attachments" in body or files:
            kept_ids = {str(a.get("id")) for a in body.get("attachments") or []}
            kept = [a for a in message.get("attachments") or [] if a["id"] in kept_ids]
            message["attachments"] = kept + self._attachments(body, files, int(message["channel_id"]))
        flags = int(message.get("flags") or 0) & ~FLAG_LOADING
        if "flags" in body and body["flags"] is not None:
            flags = (flags & ~4) | (int(body["flags"]) & 4)  # only SUPPRESS_EMBEDS is editable
        message["flags"] = flags
        message["edited_timestamp"] = iso_now()
        if "content" in body or "allowed_mentions" in body:
            self._fill_mentions(message, {**body, "content": message.get("content")})
        return message

    def _interaction_metadata(self, record: InteractionRecord, **extra: Any) -> JSON:
        payload = record.payload
        user = (payload.get("member") or {}).get("user") or payload.get("user")
        meta: JSON = {
            "id": str(record.id),
            "type": record.type,
            "user": user,
            "authorizing_integration_owners": payload.get("authorizing_integration_owners", {}),
        }
        if record.type == MESSAGE_COMPONENT and payload.get("message"):
            meta["interacted_message_id"] = payload["message"]["id"]
        if record.type == APPLICATION_COMMAND:
            meta["name"] = payload["data"]["name"]
        meta.update(extra)
        return meta

    def _validate_message(self, body: Any, *, creating: bool, files: list[UploadedFile]) -> None:
        if self.validate and (problems := message_problems(body, creating=creating, has_files=bool(files))):
            raise invalid_form(problems)

    async def _callback(self, request: web.Request) -> web.StreamResponse:
        record = self._rec(request, "callback")
        iid = int(request.match_info["interaction_id"])
        interaction = self.interactions.get(iid)
        if interaction is None or interaction.token != request.match_info["token"]:
            raise StandInError(404, 10062, "Unknown interaction")
        record.interaction_id = iid
        if interaction.callback is not None and interaction.callback.ok:
            raise StandInError(400, 40060, "Interaction has already been acknowledged.")
        elapsed = record.at - interaction.dispatched_at
        if self.callback_deadline is not None and elapsed > self.callback_deadline:
            raise StandInError(
                404, 10062, f"Unknown interaction (callback after {elapsed:.2f}s > {self.callback_deadline}s)"
            )
        body = record.json if isinstance(record.json, dict) else {}
        ctype = int(body.get("type", 0))
        data = body.get("data") or {}
        allowed = set(ALLOWED_CALLBACKS.get(interaction.type, set()))
        if interaction.type == MODAL_SUBMIT and not interaction.payload.get("message"):
            allowed -= {6, 7}
        if ctype not in allowed:
            raise invalid_form(
                [Problem("type", "INTERACTION_CALLBACK_TYPE_INVALID", f"{ctype} not valid here: {sorted(allowed)}")]
            )
        channel_id = int(interaction.payload["channel_id"])
        message: JSON | None = None
        if ctype == 4:
            self._validate_message(data, creating=True, files=record.files)
            flags = int(data.get("flags") or 0) & SENDABLE_FLAGS
            message = self._store_message(
                data,
                channel_id,
                flags=flags,
                msg_type=20 if interaction.type == APPLICATION_COMMAND else 0,
                files=record.files,
                extra={
                    "webhook_id": str(self.application_id),
                    "application_id": str(self.application_id),
                    "interaction_metadata": self._interaction_metadata(interaction),
                },
            )
        elif ctype == 5:
            flags = FLAG_LOADING | (int(data.get("flags") or 0) & FLAG_EPHEMERAL)
            message = self._store_message(
                {},
                channel_id,
                flags=flags,
                msg_type=20 if interaction.type == APPLICATION_COMMAND else 0,
                extra={
                    "webhook_id": str(self.application_id),
                    "application_id": str(self.application_id),
                    "interaction_metadata": self._interaction_metadata(interaction),
                },
            )
        elif ctype == 7:
            self._validate_message(data, creating=False, files=record.files)
            source = interaction.payload["message"]
            stored = self.messages.setdefault(int(source["id"]), dict(source))
            message = self._edit_stored(stored, data, record.files)
        elif ctype == 6:
            interaction.original_message_id = (
                int(interaction.payload["message"]["id"]) if interaction.payload.get("message") else None
            )
        elif ctype == 8:
            if self.validate and (problems := autocomplete_problems(data)):
                raise invalid_form(problems)
        elif ctype == 9:
            if self.validate and (problems := modal_problems(data)):
                raise invalid_form(problems)
            interaction.modal = data
        interaction.callback = record
        if message is not None:
            interaction.original_message_id = int(message["id"])
            record.created_message = message
        if request.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        response: JSON = {"interaction": {"id": str(iid), "type": interaction.type}}
        resource: JSON = {"type": ctype}
        if interaction.original_message_id is not None:
            response["interaction"]["response_message_id"] = str(interaction.original_message_id)
        if message is not None:
            response["interaction"]["response_message_loading"] = bool(int(message["flags"]) & FLAG_LOADING)
            response["interaction"]["response_message_ephemeral"] = bool(int(message["flags"]) & FLAG_EPHEMERAL)
            resource["message"] = message
        response["resource"] = resource
        return self._json(response)

    def _webhook_interaction(self, request: web.Request, record: RecordedRequest) -> InteractionRecord:
        interaction = self._tokens.get(request.match_info["token"])
        if interaction is None or int(request.match_info["app_id"]) != self.application_id:
            raise StandInError(404, 10015, "Unknown Webhook")
        record.interaction_id = interaction.id
        return interaction

    async def _followup(self, request: web.Request) -> web.StreamResponse:
        record = self._rec(request, "followup")
        interaction = self._webhook_interaction(request, record)
        if not interaction.acknowledged:
            raise StandInError(404, 10015, "Unknown Webhook (follow-up before the interaction was acknowledged)")
        body = record.json if isinstance(record.json, dict) else {}
        self._validate_message(body, creating=True, files=record.files)
        original = interaction.original_message
        if (
            interaction.callback is not None
            and interaction.callback.callback_type == 5
            and original is not None
            and int(original["flags"]) & FLAG_LOADING
        ):
            # Discord: the first follow-up after a deferral replaces the "thinking" message and keeps
            # the deferral's visibility (ephemeral or not), whatever flags the follow-up asks for.
            message = self._edit_stored(original, {**body, "flags": None}, record.files)
        else:
            flags = int(body.get("flags") or 0) & SENDABLE_FLAGS
            message = self._store_message(
                body,
                int(interaction.payload["channel_id"]),
                flags=flags,
                files=record.files,
                extra={
                    "webhook_id": str(self.application_id),
                    "application_id": str(self.application_id),
                    "interaction_metadata": self._interaction_metadata(
                        interaction, original_response_message_id=str(interaction.original_message_id)
                    ),
                },
            )
        interaction.followup_message_ids.append(int(message["id"]))
        record.created_message = message
        if request.query.get("wait") in ("1", "true", "True"):
            return self._json(message)
        return web.Response(status=204)

    async def _webhook_message(self, request: web.Request) -> web.StreamResponse:
        raw_id = request.match_info["message_id"]
        prefix = "original" if raw_id == "@original" else "webhook_message"
        suffix = {"GET": "get", "PATCH": "edit", "DELETE": "delete"}[request.method]
        record = self._rec(request, f"{prefix}_{suffix}")
        interaction = self._webhook_interaction(request, record)
        if raw_id == "@original":
            message_id = interaction.original_message_id
        else:
            message_id = int(raw_id)
            if message_id not in (*interaction.followup_message_ids, interaction.original_message_id):
                message_id = None
        message = self.messages.get(message_id) if message_id is not None else None
        if message is None:
            raise StandInError(404, 10008, "Unknown Message")
        if request.method == "GET":
            return self._json(message)
        if request.method == "DELETE":
            self._forget_message(int(message["id"]))
            return web.Response(status=204)
        body = record.json if isinstance(record.json, dict) else {}
        self._validate_message(body, creating=False, files=record.files)
        record.created_message = self._edit_stored(message, body, record.files)
        return self._json(record.created_message)

    def _forget_message(self, message_id: int) -> None:
        self.messages.pop(message_id, None)
        self.deleted_message_ids.append(message_id)

    # ------------------------------------------------------------------ REST: channels & messages

    def _find_channel(self, channel_id: int) -> FakeChannel | None:
        for guild in self.guilds.values():
            if channel_id in guild.channels:
                return guild.channels[channel_id]
        return next((c for c in self.dm_channels.values() if c.id == channel_id), None)

    def _channel_or_404(self, raw: str | int) -> FakeChannel:
        channel = self._find_channel(int(raw))
        if channel is None:
            raise StandInError(404, 10003, "Unknown Channel")
        return channel

    def _message_or_404(self, channel: FakeChannel, raw: str | int) -> JSON:
        message = self.messages.get(int(raw))
        if message is None or int(message["channel_id"]) != channel.id:
            raise StandInError(404, 10008, "Unknown Message")
        return message

    async def _get_channel(self, request: web.Request) -> web.StreamResponse:
        self._rec(request, "fetch")
        return self._json(self._channel_or_404(request.match_info["channel_id"]).to_payload())

    async def _get_messages(self, request: web.Request) -> web.StreamResponse:
        self._rec(request, "fetch")
        channel = self._channel_or_404(request.match_info["channel_id"])
        if channel.type in (CHANNEL_CATEGORY, CHANNEL_FORUM):
            raise StandInError(400, 50024, "Cannot execute action on this channel type")
        try:
            limit = int(request.query.get("limit", 50))
            before, after, around = (
                int(request.query[k]) if k in request.query else None for k in ("before", "after", "around")
            )
        except ValueError:
            raise invalid_form([Problem("limit", "NUMBER_TYPE_COERCE", "Value is not int.")]) from None
        if not 1 <= limit <= 100:
            raise invalid_form([Problem("limit", "NUMBER_TYPE_MAX", "int value should be between 1 and 100.")])
        found = sorted(
            (m for m in self.messages.values() if int(m["channel_id"]) == channel.id), key=lambda m: int(m["id"])
        )
        # Discord answers newest first; ``after`` returns the ``limit`` messages right after the id,
        # ``around`` up to ``limit`` centred on it (the message itself included).
        if after is not None:
            page = [m for m in found if int(m["id"]) > after][:limit]
        elif around is not None:
            older = [m for m in found if int(m["id"]) < around][-(limit // 2) :] if limit > 1 else []
            newer = [m for m in found if int(m["id"]) >= around][: limit - len(older)]
            page = older + newer
        else:
            page = [m for m in found if before is None or int(m["id"]) < before][-limit:]
        return self._json(list(reversed(page)))

    async def _get_message(self, request: web.Request) -> web.StreamResponse:
        self._rec(request, "message_get")
        channel = self._channel_or_404(request.match_info["channel_id"])
        return self._json(self._message_or_404(channel, request.match_info["message_id"]))

    async def _post_message(self, request: web.Request) -> web.StreamResponse:
        record = self._rec(request, "channel_message")
        channel = self._channel_or_404(request.match_info["channel_id"])
        if channel.type in (CHANNEL_CATEGORY, CHANNEL_FORUM):
            # Forum channels only take posts (POST /channels/{forum}/threads), not messages.
            raise StandInError(400, 50008, "Cannot send messages in a non-text channel")
        if channel.is_thread:
            guild = self.guild_of(channel)
            manage = guild is not None and guild.permissions_in(self.bot_user, channel) & PERM_MANAGE_THREADS
            if channel.locked and not manage:
                raise StandInError(400, 50083, "Thread is locked") if channel.archived else missing_permissions()
        if channel.type == CHANNEL_DM and any(u.id in self.closed_dms for u in channel.recipients):
            raise StandInError(403, 50007, "Cannot send messages to this user")
        body = record.json if isinstance(record.json, dict) else {}
        self._validate_message(body, creating=True, files=record.files)
        extra: JSON = {}
        msg_type = 0
        ref = body.get("message_reference")
        if isinstance(ref, dict) and ref.get("message_id"):
            referenced = self.messages.get(int(ref["message_id"]))
            if referenced is None and ref.get("fail_if_not_exists", True):
                raise invalid_form(
                    [Problem("message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")]
                )
            msg_type = 19
            extra["message_reference"] = {
                "type": int(ref.get("type", 0)),
                "message_id": str(ref["message_id"]),
                "channel_id": str(ref.get("channel_id") or channel.id),
                **({"guild_id": str(ref["guild_id"])} if ref.get("guild_id") else {}),
            }
            extra["referenced_message"] = referenced
        message = self._store_message(
            body,
            channel.id,
            flags=int(body.get("flags") or 0) & SENDABLE_FLAGS & ~FLAG_EPHEMERAL,
            msg_type=msg_type,
            files=record.files,
            extra=extra,
        )
        if body.get("nonce") is not None:
            message["nonce"] = body["nonce"]
        record.created_message = message
        if channel.is_thread:
            await self._unarchive_for_message(channel)
            self._count_thread_message(message)
        return self._json(message)

    async def _edit_message(self, request: web.Request) -> web.StreamResponse:
        record = self._rec(request, "message_edit")
        channel = self._channel_or_404(request.match_info["channel_id"])
        message = self._message_or_404(channel, request.match_info["message_id"])
        if int(message["author"]["id"]) != self.bot_user.id:
            raise StandInError(403, 50005, "Cannot edit a message authored by another user")
        body = record.json if isinstance(record.json, dict) else {}
        self._validate_message(body, creating=False, files=record.files)
        record.created_message = self._edit_stored(message, body, record.files)
        return self._json(message)

    async def _delete_message(self, request: web.Request) -> web.StreamResponse:
        self._rec(request, "message_delete")
        channel = self._channel_or_404(request.match_info["channel_id"])
        message = self._message_or_404(channel, request.match_info["message_id"])
        self._forget_message(int(message["id"]))
        return web.Response(status=204)

    async def _create_thread(self, parent: FakeChannel, name: str, *, thread_id: int | None = None) -> FakeChannel:
        # (Forum posts go through ``_forum_thread``; threads cannot be nested.)
        if parent.type != CHANNEL_TEXT or parent.guild_id is None:
            raise StandInError(400, 50024, "Cannot execute action on this channel type")
        if not 1 <= len(name) <= 100:
            raise invalid_form([Problem("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")])
        thread = FakeChannel(
            thread_id or self.snowflake(),
            name,
            CHANNEL_PUBLIC_THREAD,
            parent.guild_id,
            parent_id=parent.id,
            owner_id=self.bot_user.id,
        )
        guild = self.guild_of(parent)
        assert guild is not None
        guild.channels[thread.id] = thread
        payload = thread.to_payload()
        if self.connections:
            with contextlib.suppress(RuntimeError):
                await self.dispatch("THREAD_CREATE", {**payload, "newly_created": True})
        return thread

    async def _thread_from_message(self, request: web.Request) -> web.StreamResponse:
        record = self._rec(request, "thread_create")
        channel = self._channel_or_404(request.match_info["channel_id"])
        message = self._message_or_404(channel, request.match_info["message_id"])
        if message.get("thread"):
            raise StandInError(400, 160004, "A thread has already been created for this message")
        body = record.json if isinstance(record.json, dict) else {}
        # Discord gives a thread started from a message the message's id.
        thread = await self._create_thread(channel, str(body.get("name") or ""), thread_id=int(message["id"]))
        message["thread"] = thread.to_payload()
        message["flags"] = int(message.get("flags") or 0) | FLAG_HAS_THREAD
        return self._json(thread.to_payload(), status=201)

    async def _thread_without_message(self, request: web.Request) -> web.StreamResponse:
        record = self._rec(request, "thread_create")
        channel = self._channel_or_404(request.match_info["channel_id"])
        if channel.is_forum:
            return await self._forum_thread(request, record, channel)
        body = record.json if isinstance(record.json, dict) else {}
        thread = await self._create_thread(channel, str(body.get("name") or ""))
        if body.get("type") is not None:
            thread.type = int(body["type"])
        return self._json(thread.to_payload(), status=201)

    # ------------------------------------------------------------------ REST: users & guilds

    async def _get_user(self, request: web.Request) -> web.StreamResponse:
        self._rec(request, "fetch")
        try:
            return self._json(self.user(int(request.match_info["user_id"])).to_payload())
        except (KeyError, ValueError):
            raise StandInError(404, 10013, "Unknown User") from None

    async def _create_dm(self, request: web.Request) -> web.StreamResponse:
        record = self._rec(request, "dm_create")
        recipient = (record.json or {}).get("recipient_id")
        try:
            user = self.user(int(str(recipient)))
        except (KeyError, TypeError, ValueError):
            raise StandInError(404, 10013, "Unknown User") from None
        return self._json(self.dm_channel_for(user).to_payload())

    def _guild_or_404(self, raw: str) -> FakeGuild:
        guild = self.guilds.get(int(raw))
        if guild is None:
            raise StandInError(404, 10004, "Unknown Guild")
        return guild

    async def _get_guild(self, request: web.Request) -> web.StreamResponse:
        self._rec(request, "fetch")
        return self._json(self._guild_or_404(request.match_info["guild_id"]).to_payload(full=False))

    async def _get_guild_channels(self, request: web.Request) -> web.StreamResponse:
        self._rec(request, "fetch")
        guild = self._guild_or_404(request.match_info["guild_id"])
        return self._json([c.to_payload() for c in guild.channels.values() if not c.is_thread])

    async def _get_guild_roles(self, request: web.Request) -> web.StreamResponse:
        self._rec(request, "fetch")
        guild = self._guild_or_404(request.match_info["guild_id"])
        return self._json([r.to_payload() for r in guild.roles.values()])

    async def _get_member(self, request: web.Request) -> web.StreamResponse:
        self._rec(request, "fetch")
        guild = self._guild_or_404(request.match_info["guild_id"])
        user = guild.members.get(int(request.match_info["user_id"]))
        if user is None:
            raise StandInError(404, 10007, "Unknown Member")
        return self._json(guild.member_payload(user))

    # ------------------------------------------------------------------ gateway websocket (bot side)

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        compress = self.compress == "auto" and request.query.get("compress") == "zlib-stream"
        conn = GatewayConnection(ws=ws, query=dict(request.query), compress=compress)
        self.connections.append(conn)
        try:
            await conn.send({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms, "_trace": ["standin"]}})
            async for msg in ws:
                if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    break
                payload = json.loads(msg.data)
                self.gateway_received.append(payload)
                await self._gateway_op(conn, payload)
                self._changed()
        except Exception:
            self.internal_errors.append(f"gateway handler\n{traceback.format_exc()}")
        finally:
            self._changed()
        return ws

    async def _gateway_op(self, conn: GatewayConnection, payload: JSON) -> None:
        op, data = payload.get("op"), payload.get("d")
        if op == 1:
            await conn.send({"op": 11})
        elif op == 2:
            await self._identify(conn, data or {})
        elif op == 3:
            conn.presence = data
        elif op == 6:
            if data and data.get("session_id") in {c.session_id for c in self.connections}:
                previous = next(c for c in self.connections if c.session_id == data["session_id"])
                shard = (previous.identify or {}).get("shard")
                conn.identify, conn.session_id = {"resumed": True, "shard": shard}, data["session_id"]
                conn.intents, conn.seq, conn.ready = previous.intents, int(data.get("seq") or 0), True
                await conn.dispatch("RESUMED", {"_trace": ["standin"]})
            else:
                await conn.send({"op": 9, "d": False})
        elif op == 8:
            await self._request_members(conn, data or {})

    async def _identify(self, conn: GatewayConnection, data: JSON) -> None:
        if self.check_token and data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(data.get("intents") or 0)
        if intents & PRIVILEGED_INTENTS & ~self.approved_privileged_intents:
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        conn.identify, conn.intents, conn.session_id = data, intents, uuid.uuid4().hex
        owned = [g for g in self.guilds.values() if owns(data.get("shard"), g.id)]
        ready: JSON = {
            "v": discord.http.INTERNAL_API_VERSION,
            "user": self._me_payload(),
            "guilds": [{"id": str(g.id), "unavailable": True} for g in owned],
            "session_id": conn.session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": self._application_flags()},
            "user_settings": {},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "_trace": ["standin"],
        }
        if data.get("shard") is not None:
            ready["shard"] = data["shard"]
        await conn.dispatch("READY", ready)
        for guild in owned:
            await conn.dispatch("GUILD_CREATE", guild.to_payload())
        conn.ready = True

    async def _request_members(self, conn: GatewayConnection, data: JSON) -> None:
        user_ids = {int(u) for u in data.get("user_ids") or []}
        query = str(data.get("query") or "").lower()
        raw_guild = data.get("guild_id")
        guild = self.guilds.get(int(raw_guild), self.guild) if raw_guild else self.guild
        members = [
            m
            for m in guild.members.values()
            if (not user_ids or m.id in user_ids) and m.username.lower().startswith(query)
        ]
        limit = int(data.get("limit") or 0)
        if limit:
            members = members[:limit]
        await conn.dispatch(
            "GUILD_MEMBERS_CHUNK",
            {
                "guild_id": str(guild.id),
                "members": [guild.member_payload(m) for m in members],
                "chunk_index": 0,
                "chunk_count": 1,
                "not_found": [],
                "presences": [],
                **({"nonce": data["nonce"]} if data.get("nonce") else {}),
            },
        )

    # ------------------------------------------------------------------ misc

    def configure(self, **changes: Any) -> DiscordStandIn:
        """Change constructor options after creation (e.g. ``callback_deadline=None``)."""
        for key, value in changes.items():
            if not hasattr(self, key):
                raise AttributeError(key)
            setattr(self, key, value)
        return self

    def set_permissions(self, role: FakeRole | str, permissions: int | discord.Permissions) -> None:
        """Change a role's permissions (affects interactions built afterwards)."""
        value = permissions.value if isinstance(permissions, discord.Permissions) else int(permissions)
        self._role(role).permissions = value

    def messages_in(self, channel: FakeChannel | int) -> list[JSON]:
        """Stored messages in a channel, oldest first."""
        channel_id = channel.id if isinstance(channel, FakeChannel) else int(channel)
        return [m for m in self.messages.values() if int(m["channel_id"]) == channel_id]

"""Builders for gateway payloads a test injects: interactions (slash, autocomplete, button, select,
modal submit) and user messages (guild mention, DM).

Slash/autocomplete payloads are typed from the command schema the bot synced to the stand-in, so
option types, subcommands, ``data.guild_id`` (guild commands) and ``resolved`` data match what
Discord would send; typos and missing required options raise immediately.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import discord

from .payloads import (
    JSON,
    FakeChannel,
    FakeGuild,
    FakeRole,
    FakeUser,
    SnowflakeFactory,
    iso_now,
    walk_components,
)
from .records import (
    APPLICATION_COMMAND,
    APPLICATION_COMMAND_AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionRecord,
    RecordedRequest,
)

if TYPE_CHECKING:
    from discord.ext import commands

OPTION_SUB_COMMAND = 1
OPTION_SUB_COMMAND_GROUP = 2
OPTION_STRING = 3
OPTION_INTEGER = 4
OPTION_BOOLEAN = 5
OPTION_USER = 6
OPTION_CHANNEL = 7
OPTION_ROLE = 8
OPTION_MENTIONABLE = 9
OPTION_NUMBER = 10
OPTION_ATTACHMENT = 11

MessageRef = int | JSON | RecordedRequest
GuildRef = bool | FakeGuild | int
UserMention = re.compile(r"<@!?(\d+)>")
RoleMention = re.compile(r"<@&(\d+)>")


class PayloadBuilders:
    """Mixin for :class:`~discord_standin.server.DiscordStandIn`: builds INTERACTION_CREATE and
    MESSAGE_CREATE payloads. Builders only build; use ``dispatch``/``interact``/``send_user_message``
    on the stand-in to deliver them."""

    snowflake: SnowflakeFactory
    application_id: int
    bot_user: FakeUser
    guild: FakeGuild
    guilds: dict[int, FakeGuild]
    member: FakeUser
    channel: FakeChannel
    messages: dict[int, JSON]
    interactions: dict[int, InteractionRecord]
    global_commands: list[JSON]
    guild_commands: dict[int, list[JSON]]
    require_synced_commands: bool
    bot: commands.Bot | discord.Client | None

    def dm_channel_for(self, user: FakeUser) -> FakeChannel:  # implemented by the server
        raise NotImplementedError

    # ------------------------------------------------------------------ users and lookups

    def user(self, user_or_id: FakeUser | int | str) -> FakeUser:
        """Resolve a preset/added user by object, id or username."""
        if isinstance(user_or_id, FakeUser):
            return user_or_id
        for guild in self.guilds.values():
            for known in guild.members.values():
                if known.id == user_or_id or known.username == user_or_id or str(known.id) == str(user_or_id):
                    return known
        raise KeyError(f"unknown user {user_or_id!r}; members: {[u.username for u in self.guild.members.values()]}")

    def add_user(
        self,
        username: str,
        *,
        roles: Sequence[FakeRole | int | str] = (),
        global_name: str | None = None,
        bot: bool = False,
        guild: FakeGuild | int | None = None,
    ) -> FakeUser:
        """Add a guild member (call before the bot connects to have it in GUILD_CREATE). ``guild``:
        another guild (``add_guild``); ``roles`` are then that guild's roles."""
        target = self._guild(guild)
        role_ids = [self._role(r, target).id for r in roles]
        user = FakeUser(self.snowflake(), username, global_name=global_name, bot=bot, role_ids=role_ids)
        return target.add_member(user, roles=role_ids if target is not self.guild else None)

    def add_role(
        self,
        name: str,
        permissions: int | discord.Permissions = 0,
        *,
        guild: FakeGuild | int | None = None,
        mentionable: bool = False,
    ) -> FakeRole:
        """Add a guild role (call before the bot connects to have it in GUILD_CREATE)."""
        target = self._guild(guild)
        value = permissions.value if isinstance(permissions, discord.Permissions) else int(permissions)
        role = FakeRole(self.snowflake(), name, value, position=len(target.roles), mentionable=mentionable)
        target.roles[role.id] = role
        return role

    def _guild(self, guild: FakeGuild | int | None) -> FakeGuild:
        if guild is None:
            return self.guild
        if isinstance(guild, FakeGuild):
            return guild
        return self.guilds[int(guild)]

    def _role(self, role: FakeRole | int | str, guild: FakeGuild | None = None) -> FakeRole:
        if isinstance(role, FakeRole):
            return role
        if isinstance(role, str) and not role.isdigit():
            return (guild or self.guild).role(role)
        for g in (guild or self.guild, *self.guilds.values()):
            if int(role) in g.roles:
                return g.roles[int(role)]
        raise KeyError(f"unknown role {role!r}")

    def _channel(self, channel: FakeChannel | int | str | None, guild: FakeGuild | None = None) -> FakeChannel:
        if channel is None:
            return (guild or self.guild).default_channel or self.channel
        if isinstance(channel, FakeChannel):
            return channel
        if isinstance(channel, str) and not channel.isdigit():
            return (guild or self.guild).channel(channel)
        for g in (guild or self.guild, *self.guilds.values()):
            if int(channel) in g.channels:
                return g.channels[int(channel)]
        raise KeyError(f"unknown channel {channel!r}")

    def guild_of(self, channel: FakeChannel | int) -> FakeGuild | None:
        """The guild a channel or thread belongs to (None for DM channels)."""
        channel_id = channel.id if isinstance(channel, FakeChannel) else int(channel)
        return next((g for g in self.guilds.values() if channel_id in g.channels), None)

    def _target_guild(self, guild: GuildRef, channel: FakeChannel | int | str | None = None) -> FakeGuild | None:
        """Resolve a builder's ``guild=`` (True: the primary guild, or the guild of ``channel``;
        False: a DM; a FakeGuild or guild id: that guild)."""
        if guild is False:
            return None
        if guild is True:
            if isinstance(channel, (FakeChannel, int)) or (isinstance(channel, str) and channel.isdigit()):
                found = self.guild_of(channel if isinstance(channel, FakeChannel) else int(channel))
                if found is not None:
                    return found
            return self.guild
        return self._guild(guild)

    def find_command(self, name: str, *, guild: GuildRef = True, type: int = 1) -> tuple[JSON | None, int | None]:
        """The synced command schema named ``name`` and the guild id it is registered in (None = global).
        ``type``: 1 slash, 2 user context menu, 3 message context menu."""
        target = self._target_guild(guild)
        if target is not None:
            for cmd in self.guild_commands.get(target.id, []):
                if cmd["name"] == name and int(cmd.get("type", 1)) == type:
                    return cmd, target.id
        for cmd in self.global_commands:
            if cmd["name"] == name and int(cmd.get("type", 1)) == type:
                return cmd, None
        return None, None

    def command_names(self, guild: bool | int | FakeGuild = True, *, type: int | None = None) -> set[str]:
        """Names of synced commands: the test guild's (``True``), a guild's/guild id's, or global
        (``False``); ``type`` limits to one command type (1 slash, 2 user, 3 message)."""
        if guild is False:
            cmds = self.global_commands
        else:
            guild_id = self.guild.id if guild is True else guild.id if isinstance(guild, FakeGuild) else int(guild)
            cmds = self.guild_commands.get(guild_id, [])
        return {c["name"] for c in cmds if type is None or int(c.get("type", 1)) == type}

    def command_visible_to(self, name: str, user: FakeUser, *, type: int = 1, guild: FakeGuild | None = None) -> bool:
        """Whether Discord would show the synced command (``type`` 1 slash, 3 message menu) to ``user``
        in ``guild``: ``default_member_permissions`` must be a subset of the member's permissions
        ("0": administrators only; owners and ADMINISTRATOR always see everything)."""
        target = guild or self.guild
        cmd, _ = self.find_command(name, guild=target, type=type)
        if cmd is None:
            return False
        required = cmd.get("default_member_permissions")
        if required is None:
            return True
        have = target.permissions_for(user)
        if have == discord.Permissions.all().value:
            return True
        return int(required) != 0 and (have & int(required)) == int(required)

    # ------------------------------------------------------------------ interactions

    def slash(
        self,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        subcommand: str | None = None,
        user: FakeUser | None = None,
        guild: GuildRef = True,
        channel: FakeChannel | int | str | None = None,
        member_permissions: int | discord.Permissions | None = None,
        require_synced: bool | None = None,
        locale: str = "en-US",
    ) -> JSON:
        """An APPLICATION_COMMAND (type 2) INTERACTION_CREATE payload for ``/name [subcommand] options``.

        ``subcommand`` is ``"sub"`` or ``"group sub"``. Option values are plain Python values;
        user/role/channel options accept a FakeUser/FakeRole/FakeChannel (or id) and are
        added to ``resolved``. ``member_permissions`` overrides the invoker's computed permissions.
        ``guild``: True (the primary guild, or the guild of ``channel``), False (a DM), or another
        guild (``standin.add_guild``); ``channel`` defaults to that guild's #general.
        """
        guild = self._target_guild(guild, channel) or False
        data = self._command_data(name, options or {}, subcommand, None, guild, require_synced)
        return self._interaction(
            APPLICATION_COMMAND,
            data,
            user=user,
            guild=guild,
            channel=channel,
            member_permissions=member_permissions,
            locale=locale,
        )

    def autocomplete(
        self,
        name: str,
        focused: str,
        value: str = "",
        options: Mapping[str, Any] | None = None,
        *,
        subcommand: str | None = None,
        user: FakeUser | None = None,
        guild: GuildRef = True,
        channel: FakeChannel | int | str | None = None,
        require_synced: bool | None = None,
    ) -> JSON:
        """An APPLICATION_COMMAND_AUTOCOMPLETE (type 4) payload: the user typed ``value`` into ``focused``."""
        guild = self._target_guild(guild, channel) or False
        values = dict(options or {})
        values[focused] = value
        data = self._command_data(name, values, subcommand, focused, guild, require_synced)
        return self._interaction(APPLICATION_COMMAND_AUTOCOMPLETE, data, user=user, guild=guild, channel=channel)

    def button(
        self,
        custom_id: str,
        *,
        message: MessageRef | None = None,
        user: FakeUser | None = None,
        check: bool = True,
    ) -> JSON:
        """A MESSAGE_COMPONENT (type 3) payload for clicking button ``custom_id``.

        ``message`` is the message carrying the button: an id, a message payload, or a recorded
        request (its ``created_message``); default: the newest stored message with that custom_id.
        With ``check`` the button must exist on the message and not be disabled (as in the client).
        """
        msg, component = self._component_target(custom_id, message, check)
        if check and component is not None and component.get("type") != 2:
            raise ValueError(f"component {custom_id!r} is type {component.get('type')}, not a button; use select()")
        data: JSON = {"custom_id": custom_id, "component_type": 2}
        return self._component_interaction(data, msg, user)

    def select(
        self,
        custom_id: str,
        values: Sequence[Any],
        *,
        message: MessageRef | None = None,
        user: FakeUser | None = None,
        check: bool = True,
    ) -> JSON:
        """A MESSAGE_COMPONENT payload choosing ``values`` in select menu ``custom_id``."""
        msg, component = self._component_target(custom_id, message, check)
        component_type = int(component.get("type", 3)) if component else 3
        data: JSON = {"custom_id": custom_id, "component_type": component_type, "values": [str(v) for v in values]}
        if check and component is not None and component_type == 3:
            allowed = {o.get("value") for o in component.get("options") or []}
            unknown = [v for v in data["values"] if v not in allowed]
            if unknown:
                raise ValueError(f"select {custom_id!r} has no option(s) {unknown}; options: {sorted(allowed)}")
        if component_type in (5, 6, 7, 8):
            resolved: JSON = {}
            for value in values:
                self._resolve_value(
                    {5: OPTION_USER, 6: OPTION_ROLE, 7: OPTION_MENTIONABLE, 8: OPTION_CHANNEL}[component_type],
                    value,
                    resolved,
                    self.guild_of(int(msg["channel_id"])),
                )
            data["values"] = [str(getattr(v, "id", v)) for v in values]
            data["resolved"] = resolved
        return self._component_interaction(data, msg, user)

    def modal_submit(
        self,
        modal: str | RecordedRequest | InteractionRecord,
        fields: Mapping[str, Any],
        *,
        user: FakeUser | None = None,
        guild: GuildRef | None = None,
        channel: FakeChannel | int | str | None = None,
    ) -> JSON:
        """A MODAL_SUBMIT (type 5) payload.

        ``modal`` is the MODAL callback the bot sent (recorded request or its interaction) or a bare
        custom_id. With a recorded modal, ``fields`` keys may be text-input custom_ids or labels, the
        component structure (action rows / labels) is mirrored, required inputs and length limits
        are enforced, and user/guild/channel default to those of the interaction that opened it.
        """
        source: InteractionRecord | None = None
        if isinstance(modal, InteractionRecord):
            source = modal
            if modal.modal is None:
                raise AssertionError(f"interaction {modal.id} was not answered with a modal")
            modal_data = modal.modal
        elif isinstance(modal, RecordedRequest):
            modal_data = modal.modal
            source = self.interactions.get(modal.interaction_id or 0)
        else:
            modal_data = None
        if modal_data is None:
            custom_id = str(modal)
            components = [
                {"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
                for key, value in fields.items()
            ]
        else:
            custom_id = modal_data["custom_id"]
            components = self._fill_modal(modal_data, fields)
        data: JSON = {"custom_id": custom_id, "components": components}
        message = None
        if source is not None:
            src = source.payload
            if user is None and src.get("member"):
                user = self.user(int(src["member"]["user"]["id"]))
            elif user is None and src.get("user"):
                user = self.user(int(src["user"]["id"]))
            if guild is None:
                guild = self.guilds[int(src["guild_id"])] if "guild_id" in src else False
            if channel is None and "guild_id" in src:
                channel = int(src["channel_id"])
            message = src.get("message")
        payload = self._interaction(
            MODAL_SUBMIT, data, user=user, guild=True if guild is None else guild, channel=channel
        )
        if message is not None:
            payload["message"] = message
        return payload

    def _fill_modal(self, modal_data: JSON, fields: Mapping[str, Any]) -> list[JSON]:
        """Mirror a modal's structure with submitted values: text inputs get ``value``, selects and
        other inputs get ``values`` (pass a list, or a single value)."""
        remaining = dict(fields)
        known: list[str] = []

        def take(item: JSON, label: str | None) -> JSON:
            cid = item["custom_id"]
            name = label or cid
            known.append(name)
            if cid in remaining:
                value = remaining.pop(cid)
            elif label is not None and label in remaining:
                value = remaining.pop(label)
            else:
                value = item.get("value") or ("" if item.get("type") == 4 else [])
            if item.get("type") != 4:
                values = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
                if item.get("required", True) and not values:
                    raise ValueError(f"modal input {name!r} is required")
                if item.get("type") == 3:
                    allowed = {o.get("value") for o in item.get("options") or []}
                    if unknown := [v for v in values if v not in allowed]:
                        raise ValueError(f"modal select {name!r} has no option(s) {unknown}")
                return {"type": item["type"], "custom_id": cid, "values": values}
            text = str(value)
            if item.get("required", True) and not text:
                raise ValueError(f"modal input {name!r} is required")
            min_len, max_len = item.get("min_length"), item.get("max_length")
            if text and min_len is not None and len(text) < int(min_len):
                raise ValueError(f"modal input {name!r} needs at least {min_len} characters")
            if max_len is not None and len(text) > int(max_len):
                raise ValueError(f"modal input {name!r} allows at most {max_len} characters")
            return {"type": 4, "custom_id": cid, "value": text}

        out: list[JSON] = []
        for component in modal_data.get("components") or []:
            if component.get("type") == 1:
                children = [take(c, c.get("label")) for c in component.get("components") or [] if "custom_id" in c]
                out.append({"type": 1, "components": children})
            elif component.get("type") == 18 and "custom_id" in (component.get("component") or {}):
                out.append({"type": 18, "component": take(component["component"], component.get("label"))})
        if remaining:
            raise KeyError(f"modal {modal_data.get('custom_id')!r} has no input(s) {list(remaining)}; inputs: {known}")
        return out

    def _component_target(self, custom_id: str, message: MessageRef | None, check: bool) -> tuple[JSON, JSON | None]:
        if message is None:
            for msg in reversed(list(self.messages.values())):
                if any(c.get("custom_id") == custom_id for c in walk_components(msg.get("components") or [])):
                    message = msg
                    break
            else:
                raise LookupError(f"no stored message has a component with custom_id {custom_id!r}")
        msg = self._message_payload(message)
        component = next(
            (c for c in walk_components(msg.get("components") or []) if c.get("custom_id") == custom_id), None
        )
        if check:
            if component is None:
                ids = [c["custom_id"] for c in walk_components(msg.get("components") or []) if "custom_id" in c]
                raise LookupError(f"message {msg['id']} has no component {custom_id!r}; custom_ids: {ids}")
            if component.get("disabled"):
                raise ValueError(f"component {custom_id!r} on message {msg['id']} is disabled")
        return msg, component

    def _message_payload(self, message: MessageRef) -> JSON:
        if isinstance(message, RecordedRequest):
            if message.created_message is None:
                raise LookupError(f"{message.summary()} created no message")
            return dict(self.messages.get(int(message.created_message["id"]), message.created_message))
        if isinstance(message, dict):
            return dict(self.messages.get(int(message["id"]), message))
        try:
            return dict(self.messages[int(message)])
        except KeyError:
            raise LookupError(f"unknown message id {message}") from None

    def _component_interaction(self, data: JSON, msg: JSON, user: FakeUser | None) -> JSON:
        in_guild = bool(msg.get("guild_id"))
        channel: FakeChannel | int | None = int(msg["channel_id"]) if in_guild else None
        guild: GuildRef = self.guilds.get(int(msg["guild_id"]), True) if in_guild else False
        payload = self._interaction(MESSAGE_COMPONENT, data, user=user, guild=guild, channel=channel)
        payload["message"] = msg
        return payload

    def _interaction(
        self,
        itype: int,
        data: JSON,
        *,
        user: FakeUser | None,
        guild: GuildRef,
        channel: FakeChannel | int | str | None = None,
        member_permissions: int | discord.Permissions | None = None,
        locale: str = "en-US",
    ) -> JSON:
        """The common INTERACTION_CREATE envelope. In a guild, ``member.permissions`` and
        ``app_permissions`` are the channel permissions (overwrites of the channel, or of a thread's
        parent) of the invoker and of the bot."""
        user = user or self.member
        target = self._target_guild(guild, channel)
        iid = self.snowflake()
        payload: JSON = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": itype,
            "data": data,
            "token": f"standin-interaction-token-{iid}",
            "version": 1,
            "locale": locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if target is not None:
            ch = self._channel(channel, target)
            if isinstance(member_permissions, discord.Permissions):
                perms = member_permissions.value
            elif member_permissions is not None:
                perms = int(member_permissions)
            else:
                perms = target.permissions_in(user, ch)
            payload.update(
                guild_id=str(target.id),
                guild={"id": str(target.id), "locale": "en-US", "features": []},
                guild_locale="en-US",
                channel_id=str(ch.id),
                channel=ch.to_resolved_payload(perms),
                member=target.member_payload(user, permissions=perms),
                app_permissions=str(target.permissions_in(self.bot_user, ch)),
                authorizing_integration_owners={"0": str(target.id)},
                context=0,
            )
        else:
            dm = self.dm_channel_for(user)
            payload.update(
                channel_id=str(dm.id),
                channel=dm.to_payload(),
                user=user.to_payload(),
                app_permissions=str(self.guild.permissions_for(self.bot_user)),
                authorizing_integration_owners={"0": "0"},
                context=1,
            )
        return payload

    def _command_data(
        self,
        name: str,
        values: Mapping[str, Any],
        subcommand: str | None,
        focused: str | None,
        guild: GuildRef,
        require_synced: bool | None,
    ) -> JSON:
        schema, guild_id = self.find_command(name, guild=guild)
        target = self._target_guild(guild)
        if schema is None:
            if self.require_synced_commands if require_synced is None else require_synced:
                where = f"guild {target.id} or global" if target else "global"
                synced = sorted(self.command_names(target.id if target else self.guild.id))
                raise LookupError(
                    f"/{name} is not synced to the stand-in ({where}); synced: guild={synced}"
                    f" global={sorted(self.command_names(False))}. Sync the tree (e.g. tree.copy_global_to(guild=g);"
                    " await tree.sync(guild=g)) or pass require_synced=False."
                )
            schema, guild_id = self._schema_from_tree(name, target)
        data: JSON = {"id": str(schema["id"]) if schema else str(self.snowflake()), "name": name, "type": 1}
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
        resolved: JSON = {}
        options_schema = schema.get("options") if schema else None
        path = f"/{name}"
        chain: list[tuple[int, str]] = []
        parts = (subcommand or "").split()
        for depth, part in enumerate(parts):
            if options_schema is None:
                kind = OPTION_SUB_COMMAND_GROUP if depth == 0 and len(parts) == 2 else OPTION_SUB_COMMAND
                spec: JSON | None = None
            else:
                spec = self._option_spec(options_schema, part, path)
                kind = int(spec["type"])
                if kind not in (OPTION_SUB_COMMAND, OPTION_SUB_COMMAND_GROUP):
                    raise ValueError(f"{path} {part!r} is an option, not a subcommand")
            chain.append((kind, part))
            options_schema = spec.get("options", []) if spec is not None else None
            path += f" {part}"
        if options_schema is not None and any(
            o.get("type") in (OPTION_SUB_COMMAND, OPTION_SUB_COMMAND_GROUP) for o in options_schema
        ):
            subs = [o["name"] for o in options_schema]
            raise ValueError(f"{path} needs a subcommand (subcommand=...); available: {subs}")
        leaf = self._build_options(options_schema, values, focused, resolved, target, path)
        options = leaf
        for kind, part in reversed(chain):
            options = [{"type": kind, "name": part, "options": options}]
        data["options"] = options
        if resolved:
            data["resolved"] = resolved
        return data

    def _schema_from_tree(self, name: str, guild: FakeGuild | None) -> tuple[JSON | None, int | None]:
        tree = getattr(self.bot, "tree", None)
        if tree is None:
            return None, None
        if guild is not None:
            cmd = tree.get_command(name, guild=discord.Object(guild.id))
            if cmd is not None:
                return {"id": self.snowflake(), **cmd.to_dict(tree)}, guild.id
        cmd = tree.get_command(name)
        if cmd is not None:
            return {"id": self.snowflake(), **cmd.to_dict(tree)}, None
        return None, None

    @staticmethod
    def _option_spec(options_schema: list[JSON], name: str, path: str) -> JSON:
        for spec in options_schema:
            if spec["name"] == name:
                return spec
        raise KeyError(f"{path} has no option/subcommand {name!r}; available: {[o['name'] for o in options_schema]}")

    def _build_options(
        self,
        schema: list[JSON] | None,
        values: Mapping[str, Any],
        focused: str | None,
        resolved: JSON,
        guild: FakeGuild | None,
        path: str,
    ) -> list[JSON]:
        options: list[JSON] = []
        for name, value in values.items():
            spec = self._option_spec(schema, name, path) if schema is not None else None
            opt_type = int(spec["type"]) if spec else _infer_option_type(value)
            option: JSON = {"name": name, "type": opt_type}
            if name == focused:
                if spec is not None and not spec.get("autocomplete"):
                    raise ValueError(f"{path} option {name!r} has no autocomplete")
                option["value"] = str(value)
                option["focused"] = True
            else:
                option["value"] = self._resolve_value(opt_type, value, resolved, guild)
                choices = (spec or {}).get("choices")
                if choices and option["value"] not in [c["value"] for c in choices]:
                    raise ValueError(
                        f"{path} option {name!r}={value!r} is not one of the choices {[c['value'] for c in choices]}"
                    )
            options.append(option)
        if schema is not None and focused is None:
            missing = [o["name"] for o in schema if o.get("required") and o["name"] not in values]
            if missing:
                raise ValueError(f"{path} is missing required option(s) {missing}")
        return options

    def _resolve_value(self, opt_type: int, value: Any, resolved: JSON, guild: FakeGuild | None) -> Any:
        if opt_type == OPTION_STRING:
            return str(value)
        if opt_type == OPTION_INTEGER:
            return int(value)
        if opt_type == OPTION_BOOLEAN:
            return bool(value)
        if opt_type == OPTION_NUMBER:
            return float(value)
        if opt_type in (OPTION_USER, OPTION_MENTIONABLE) and not isinstance(value, FakeRole):
            try:
                user = self.user(value)
            except KeyError:
                if opt_type == OPTION_USER:
                    raise
                return self._resolve_value(OPTION_ROLE, value, resolved, guild)
            resolved.setdefault("users", {})[str(user.id)] = user.to_payload()
            if guild is not None and user.id in guild.members:
                member = guild.member_payload(user, with_user=False, permissions=guild.permissions_for(user))
                resolved.setdefault("members", {})[str(user.id)] = member
            return str(user.id)
        if opt_type in (OPTION_ROLE, OPTION_MENTIONABLE):
            role = self._role(value, guild)
            resolved.setdefault("roles", {})[str(role.id)] = role.to_payload()
            return str(role.id)
        if opt_type == OPTION_CHANNEL:
            channel = self._channel(value, guild)
            perms = (guild or self.guild).permissions_in(self.member, channel)
            resolved.setdefault("channels", {})[str(channel.id)] = channel.to_resolved_payload(perms)
            return str(channel.id)
        raise ValueError(f"option type {opt_type} is not supported by the stand-in builders")

    # ------------------------------------------------------------------ user messages

    def user_message(
        self,
        content: str = "",
        *,
        user: FakeUser | None = None,
        channel: FakeChannel | int | str | None = None,
        guild: GuildRef = True,
        mention_bot: bool = False,
        reply_to: MessageRef | None = None,
        embeds: Sequence[JSON] = (),
        message_id: int | None = None,
    ) -> JSON:
        """A MESSAGE_CREATE payload from ``user`` (default: the ordinary member).

        ``guild=False`` makes it a DM; ``channel`` may be any guild's channel or a thread (forum post)
        — the message then belongs to that channel's guild. ``mention_bot`` prefixes ``<@bot>`` and
        lists the bot in ``mentions``; ``<@id>`` mentions of known users in ``content`` are resolved
        too (``<@&id>`` into ``mention_roles``). ``reply_to`` makes it a reply (type 19, with
        ``message_reference`` and ``referenced_message``; replying to the bot's message mentions it).
        """
        user = user or self.member
        target = self._target_guild(guild, channel)
        ch = self._channel(channel, target) if target is not None else self.dm_channel_for(user)
        if mention_bot and self.bot_user.mention not in content:
            content = f"{self.bot_user.mention} {content}".rstrip()
        mentioned: dict[int, FakeUser] = {}
        for match in UserMention.finditer(content):
            try:
                mentioned[int(match.group(1))] = self.user(int(match.group(1)))
            except KeyError:
                continue
        payload: JSON = {
            "id": str(message_id or self.snowflake()),
            "channel_id": str(ch.id),
            "author": user.to_payload(),
            "content": content,
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mention_roles": [r for r in RoleMention.findall(content) if target is not None and int(r) in target.roles],
            "attachments": [],
            "embeds": list(embeds),
            "pinned": False,
            "type": 0,
            "flags": 0,
            "components": [],
            "nonce": str(self.snowflake()),
        }
        if reply_to is not None:
            ref = self._message_payload(reply_to)
            payload["type"] = 19
            payload["message_reference"] = {
                "type": 0,
                "message_id": ref["id"],
                "channel_id": ref["channel_id"],
                **({"guild_id": ref["guild_id"]} if ref.get("guild_id") else {}),
            }
            # Discord nests the replied-to message one level deep only.
            payload["referenced_message"] = {k: v for k, v in ref.items() if k != "referenced_message"}
            author_id = int(ref["author"]["id"])
            if author_id != user.id:
                with contextlib.suppress(KeyError):
                    mentioned[author_id] = self.user(author_id)
        if target is not None:
            payload["guild_id"] = str(target.id)
            payload["member"] = target.member_payload(user, with_user=False)
            payload["mentions"] = [
                {
                    **m.to_payload(),
                    **({"member": target.member_payload(m, with_user=False)} if m.id in target.members else {}),
                }
                for m in mentioned.values()
            ]
        else:
            payload["mentions"] = [m.to_payload() for m in mentioned.values()]
        return payload


def _infer_option_type(value: Any) -> int:
    if isinstance(value, bool):
        return OPTION_BOOLEAN
    if isinstance(value, int):
        return OPTION_INTEGER
    if isinstance(value, float):
        return OPTION_NUMBER
    if isinstance(value, FakeUser):
        return OPTION_USER
    if isinstance(value, FakeRole):
        return OPTION_ROLE
    if isinstance(value, FakeChannel):
        return OPTION_CHANNEL
    return OPTION_STRING

"""Who a message notifies: Discord's ``allowed_mentions`` rules, so tests can assert a bot never pings
more people than intended.

Rules emulated (https://discord.com/developers/docs/resources/message#allowed-mentions-object):

* Only mentions written in ``content`` can ping (``<@id>``/``<@!id>``, ``<@&id>``, ``@everyone``,
  ``@here``); embeds, components and attachments never ping.
* No ``allowed_mentions`` in the request: every mention in ``content`` is parsed, and a reply pings
  the replied-to author (discord.py only sends ``allowed_mentions`` when the call or the
  ``Client(allowed_mentions=...)`` default sets it, and merges the two).
* With ``allowed_mentions``: ``parse`` lists the types parsed wholesale (``users``, ``roles``,
  ``everyone``); ``users``/``roles`` whitelist ids (only if they also appear in ``content``);
  ``replied_user`` (default false) pings a reply's author. ``parse: ["users"]`` together with a
  ``users`` list (same for roles) is rejected by Discord with 400, as are lists over 100 ids.
* ``@everyone``/``@here`` need the author's MENTION_EVERYONE permission; a role mention pings only
  if the role is mentionable or the author has MENTION_EVERYONE. ``worst_case=True`` ignores these
  two permission checks (what would ping if an admin made a role mentionable tomorrow).
* Nobody is notified of their own mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .payloads import JSON, PERM_MENTION_EVERYONE, FakeGuild

USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")
EVERYONE_MENTION = re.compile(r"@(everyone|here)\b")


@dataclass(frozen=True)
class Pings:
    """Who a message notifies: user ids, role ids, and whether @everyone/@here fires."""

    users: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[int] = field(default_factory=frozenset)
    everyone: bool = False

    def __bool__(self) -> bool:
        return bool(self.users or self.roles or self.everyone)

    def __or__(self, other: Pings) -> Pings:
        return Pings(self.users | other.users, self.roles | other.roles, self.everyone or other.everyone)


NO_PINGS = Pings()


def compute_pings(
    body: JSON,
    *,
    guild: FakeGuild | None,
    author_id: int,
    author_permissions: int,
    replied_author_id: int | None = None,
    worst_case: bool = False,
) -> Pings:
    """Who Discord notifies for a message the bot sends with ``body`` (its JSON: ``content``,
    ``allowed_mentions``); ``replied_author_id`` is the author of the message it replies to."""
    content = str(body.get("content") or "")
    am = body.get("allowed_mentions")
    users_in = {int(u) for u in USER_MENTION.findall(content)}
    roles_in = {int(r) for r in ROLE_MENTION.findall(content)}
    everyone_in = bool(EVERYONE_MENTION.search(content))
    if isinstance(am, dict):
        parse = set(am.get("parse") or [])
        users = users_in if "users" in parse else users_in & {int(u) for u in am.get("users") or []}
        roles = roles_in if "roles" in parse else roles_in & {int(r) for r in am.get("roles") or []}
        everyone = everyone_in and "everyone" in parse
        replied = bool(am.get("replied_user", False))
    else:
        users, roles, everyone, replied = users_in, roles_in, everyone_in, True
    if replied and replied_author_id is not None:
        users = users | {replied_author_id}
    can_everyone = worst_case or bool(author_permissions & PERM_MENTION_EVERYONE)
    if guild is not None:
        roles = {r for r in roles if r in guild.roles and r != guild.id}
        if not can_everyone:
            roles = {r for r in roles if guild.roles[r].mentionable}
    else:
        roles = set()  # no roles in DMs
    return Pings(frozenset(users - {author_id}), frozenset(roles), everyone and can_everyone and guild is not None)

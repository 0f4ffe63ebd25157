"""Who may use /kb and Save as FAQ: members with Manage Server, or the server's moderator role (set by
`/config moderator-role`, else MODERATOR_ROLE_ID).

`default_permissions` only hides /kb from the others, and a server admin can override that in the
Integrations settings, so every /kb interaction is checked here as well.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.core.errors import RoadmapBotError
from bot.discord_app.client import Interaction

log = logging.getLogger(__name__)

REFUSAL = "Only moderators can use /kb (it needs Manage Server or the moderator role)."


class NotModerator(app_commands.CheckFailure, RoadmapBotError):
    """A CheckFailure the error handler shows as is (its message is a RoadmapBotError's: safe and short)."""


def is_moderator(member: discord.Member, permissions: discord.Permissions, role_id: int | None) -> bool:
    """`permissions` are the member's resolved ones (administrators have them all)."""
    return permissions.manage_guild or (role_id is not None and member.get_role(role_id) is not None)


async def require_moderator(interaction: Interaction, refusal: str = REFUSAL) -> bool:
    """The /kb check: raises instead of returning False, so the refusal says why."""
    user = interaction.user
    if interaction.guild is None or not isinstance(user, discord.Member):
        raise app_commands.NoPrivateMessage()
    if interaction.permissions.manage_guild:
        return True
    bot = interaction.client
    config = await bot.run_blocking(bot.services.community.guild, interaction.guild.id)
    if not is_moderator(user, interaction.permissions, config.moderator_role_id):  # the server's, else the default
        log.info("Refused a moderators' command to user %s (not a moderator)", user.id)
        raise NotModerator(refusal)
    return True


def actor(interaction: Interaction) -> str:
    """Who the audit log records: the member's id, the same id as everywhere else (export and forget
    find it), rendered back as a mention by /kb audit."""
    return str(interaction.user.id)

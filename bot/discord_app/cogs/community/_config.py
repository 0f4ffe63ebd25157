"""`/config`: a server's own settings, for members with Manage Server only.

`default_permissions` hides the group from others, but a server admin can change that in the
Integrations settings, so every subcommand checks Manage Server again on the bot's side. Roles and
channels must belong to the server the command runs in.
"""

from __future__ import annotations

import logging
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.community import ChannelMode, ConfigInvalid
from bot.discord_app.client import Interaction, RoadmapBot
from bot.discord_app.cogs.community._render import MODE_NOTES, config_embed
from bot.discord_app.cogs.kb._access import NotModerator

log = logging.getLogger(__name__)

REFUSAL = "Only members with Manage Server can change the bot's settings."
OTHER_SERVER = "That {what} is not part of this server."
Mode = Literal["off", "mention", "auto", "threads"]


def _same_guild(interaction: Interaction, what: str, item: discord.abc.Snowflake | None) -> None:
    """Discord's client offers only the server's own roles and channels, but an interaction can name any
    id (and discord.py attaches what it names to this server): look it up in the server itself."""
    guild = interaction.guild
    if item is None or guild is None:
        return
    found = guild.get_role(item.id) if isinstance(item, discord.Role) else guild.get_channel(item.id)
    if found is None:
        raise ConfigInvalid(what, OTHER_SERVER.format(what=what))


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Config(commands.GroupCog, group_name="config", group_description="Server admins: where and how the bot answers"):
    def __init__(self, bot: RoadmapBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: Interaction, /) -> bool:  # type: ignore[override]
        if interaction.guild is None:
            raise app_commands.NoPrivateMessage()
        if not interaction.permissions.manage_guild:
            log.info("Refused /config to user %s (no Manage Server)", interaction.user.id)
            raise NotModerator(REFUSAL)
        return True

    async def _show(self, interaction: Interaction, note: str | None = None) -> None:
        assert interaction.guild_id is not None
        config = await self.bot.run_blocking(self.bot.services.community.guild, interaction.guild_id)
        embed = config_embed(config, self.bot.settings.message_content_intent)
        await interaction.followup.send(note or "", embed=embed, ephemeral=True)

    @app_commands.command(name="show", description="This server's settings: roles, digest channel, channel modes")
    async def show(self, interaction: Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._show(interaction)

    @app_commands.command(name="channel", description="How the bot answers in a channel: off, mention, auto, threads")
    @app_commands.describe(mode="off, mention (default), auto or threads", channel="The channel (default: this one)")
    async def channel(
        self,
        interaction: Interaction,
        mode: Mode,
        channel: discord.TextChannel | discord.ForumChannel | None = None,
    ) -> None:
        _same_guild(interaction, "channel", channel)
        target = channel.id if channel is not None else interaction.channel_id
        assert interaction.guild_id is not None and target is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        changed = await self.bot.run_blocking(
            self.bot.services.community.set_channel_mode, interaction.guild_id, target, mode
        )
        self.bot.channel_modes.remember(changed.guild_id, changed.channel_id, changed.mode)
        note = f"<#{target}> is now `{changed.mode.value}`: the bot {MODE_NOTES[changed.mode]}."
        if changed.mode in (ChannelMode.AUTO, ChannelMode.THREADS) and not self.bot.settings.message_content_intent:
            if isinstance(channel or interaction.channel, discord.ForumChannel):
                note += " Without the Message Content intent, posts are answered from their titles."
            else:
                note += " Without the Message Content intent, text channels still answer mentions only."
        await self._show(interaction, note)

    @app_commands.command(name="moderator-role", description="The role that may use /kb and Save as FAQ")
    @app_commands.describe(role="The role (leave empty to use the bot's default)")
    async def moderator_role(self, interaction: Interaction, role: discord.Role | None = None) -> None:
        await self._update(interaction, "role", role, moderator_role=role.id if role else None)

    @app_commands.command(name="helper-role", description="The role pinged when the bot hands a question to humans")
    @app_commands.describe(role="The role (leave empty for none: handoffs ping nobody)")
    async def helper_role(self, interaction: Interaction, role: discord.Role | None = None) -> None:
        await self._update(interaction, "role", role, helper_role=role.id if role else None)

    @app_commands.command(name="digest-channel", description="Where the weekly knowledge digest is posted")
    @app_commands.describe(channel="The channel (leave empty for no digest)")
    async def digest_channel(self, interaction: Interaction, channel: discord.TextChannel | None = None) -> None:
        await self._update(interaction, "channel", channel, digest_channel=channel.id if channel else None)

    async def _update(
        self, interaction: Interaction, what: str, item: discord.abc.Snowflake | None, **change: int | None
    ) -> None:
        _same_guild(interaction, what, item)
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.bot.run_blocking(self.bot.services.community.update_guild, interaction.guild_id, **change)
        await self._show(interaction, "Saved.")

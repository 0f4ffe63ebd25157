"""`/help`: what the bot can do, generated from the command tree so it never drifts from the commands."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import Interaction, RoadmapBot
from bot.discord_app.embeds import help_embed


def slash_commands(
    tree: app_commands.CommandTree[RoadmapBot],
) -> list[tuple[app_commands.Command[Any, ..., Any], discord.Permissions | None]]:
    """Every slash command in registration order, subcommands of a group one by one, with the
    permissions Discord requires to see it (None: everyone)."""
    found: list[tuple[app_commands.Command[Any, ..., Any], discord.Permissions | None]] = []
    for command in tree.get_commands(type=discord.AppCommandType.chat_input):
        if isinstance(command, app_commands.Group):
            found += [
                (c, command.default_permissions) for c in command.walk_commands() if isinstance(c, app_commands.Command)
            ]
        elif isinstance(command, app_commands.Command):
            found.append((command, command.default_permissions))
    return found


def usage(command: app_commands.Command[Any, ..., Any]) -> str:
    """`/roadmap goal <roadmap> [target_date]`: required options in <>, optional ones in []."""
    options = [f"<{p.name}>" if p.required else f"[{p.name}]" for p in command.parameters]
    return " ".join([f"/{command.qualified_name}", *options])


def command_list(
    tree: app_commands.CommandTree[RoadmapBot], permissions: discord.Permissions | None = None
) -> list[tuple[str, str]]:
    """(usage, description) for every slash command the member may use, in registration order.

    Commands whose default permissions the member lacks (the moderators' `/kb`) are left out, as
    Discord hides them from that member too; `permissions=None` (a DM) leaves out all of those.
    """
    return [
        (usage(command), command.description)
        for command, required in slash_commands(tree)
        if required is None or (permissions is not None and required.is_subset(permissions))
    ]


class Help(commands.Cog):
    def __init__(self, bot: RoadmapBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What this bot can do")
    async def help(self, interaction: Interaction) -> None:
        permissions = interaction.permissions if interaction.guild is not None else None
        commands_shown = command_list(self.bot.tree, permissions)
        await interaction.response.send_message(embed=help_embed(commands_shown), ephemeral=True)


async def setup(bot: RoadmapBot) -> None:
    await bot.add_cog(Help(bot))

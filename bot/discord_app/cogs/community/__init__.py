"""Where the community asks: `/config`, forum auto-answers with handoff and Solved, Save as FAQ, and
the weekly digest to each server's digest channel."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.discord_app.client import RoadmapBot
from bot.discord_app.cogs.community._config import Config
from bot.discord_app.cogs.community._forum import Community, SolvedButton
from bot.discord_app.cogs.community._save_faq import save_as_faq

SAVE_AS_FAQ = "Save as FAQ"

__all__ = ["Community", "SolvedButton"]


def save_as_faq_menu() -> app_commands.ContextMenu:
    menu = app_commands.ContextMenu(name=SAVE_AS_FAQ, callback=save_as_faq)
    menu.guild_only = True
    menu.default_permissions = None  # shown to everyone allowed by the server; the callback checks the role
    return menu


async def setup(bot: RoadmapBot) -> None:
    # Registered before the gateway connects, so Solved buttons on answers sent before a restart are routed.
    bot.add_dynamic_items(SolvedButton)
    await bot.add_cog(Config(bot))
    await bot.add_cog(Community(bot))
    bot.tree.add_command(save_as_faq_menu())


async def teardown(bot: RoadmapBot) -> None:
    bot.tree.remove_command(SAVE_AS_FAQ, type=discord.AppCommandType.message)
    bot.remove_dynamic_items(SolvedButton)

"""The command tree's single error handler: domain errors and cooldowns become short private messages.

The mapping itself lives in `bot.discord_app.failures`, shared with views and the mention listener.
"""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import Interaction, RoadmapBot
from bot.discord_app.failures import send_failure


class ErrorHandler(commands.Cog):
    def __init__(self, bot: RoadmapBot) -> None:
        self.bot = bot
        self._previous = bot.tree.on_error

    async def cog_load(self) -> None:
        self.bot.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]

    async def cog_unload(self) -> None:
        self.bot.tree.on_error = self._previous  # type: ignore[method-assign]

    async def on_app_command_error(self, interaction: Interaction, error: app_commands.AppCommandError) -> None:
        await send_failure(interaction, error)


async def setup(bot: RoadmapBot) -> None:
    await bot.add_cog(ErrorHandler(bot))

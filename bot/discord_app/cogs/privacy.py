"""`/privacy export` and `/privacy forget`: a member's own data, always answered privately."""

from __future__ import annotations

import io
import json

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import Interaction, RoadmapBot
from bot.discord_app.views import ForgetView

FORGET_PROMPT = (
    "This permanently deletes your goals, step progress, notes, reminders, streak history, leaderboard "
    "and peer opt-ins, answer feedback and the questions you asked, and removes your name from FAQ "
    "entries you added. It cannot be undone. Forget everything about you?"
)


class Privacy(commands.GroupCog, group_name="privacy", group_description="See or erase what the bot stores about you"):
    def __init__(self, bot: RoadmapBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="export", description="Download everything the bot stores about you, as JSON")
    async def export(self, interaction: Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        user = str(interaction.user.id)
        data = await self.bot.run_blocking(self.bot.services.export, user)
        payload = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
        file = discord.File(io.BytesIO(payload), filename=f"roadmap-bot-data-{user}.json")
        await interaction.followup.send("Everything I store about you:", file=file, ephemeral=True)

    @app_commands.command(name="forget", description="Erase everything the bot stores about you (asks first)")
    async def forget(self, interaction: Interaction) -> None:
        view = ForgetView(interaction.user.id)
        await interaction.response.send_message(FORGET_PROMPT, view=view, ephemeral=True)
        view.message = await interaction.original_response()


async def setup(bot: RoadmapBot) -> None:
    await bot.add_cog(Privacy(bot))

"""`/faq [topic]`: one FAQ entry, or the list of questions. Public: the FAQ is nobody's personal data."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot.discord_app import limits
from bot.discord_app.client import Interaction, RoadmapBot
from bot.discord_app.embeds import faq_embed, faq_list_embed


async def faq_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    entries = interaction.client.services.search_faq(current)
    return [app_commands.Choice(name=n, value=v) for n, v in limits.choices((e.meta.question, e.id) for e in entries)]


class Faq(commands.Cog):
    def __init__(self, bot: RoadmapBot) -> None:
        self.bot = bot

    @app_commands.command(name="faq", description="Frequently asked questions: one answer, or the list")
    @app_commands.describe(topic="The question (type to search); leave empty to list them all")
    @app_commands.autocomplete(topic=faq_choices)
    async def faq(self, interaction: Interaction, topic: str | None = None) -> None:
        services = self.bot.services
        if topic is None or not topic.strip():
            await interaction.response.send_message(embed=faq_list_embed(services.faq_entries()))
            return
        await interaction.response.send_message(embed=faq_embed(services.faq(topic)))


async def setup(bot: RoadmapBot) -> None:
    await bot.add_cog(Faq(bot))

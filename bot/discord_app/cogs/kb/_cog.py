"""The /kb group: moderators see an edit of knowledge/ live in seconds, and where the bot fails members.

Every reply is private: the output is for moderators and quotes members' questions. All core calls
block (embedding, disk, database), so they run in a thread after the interaction is deferred.
"""

from __future__ import annotations

from typing import Literal

from discord import app_commands
from discord.ext import commands

from bot.discord_app import limits
from bot.discord_app.client import Interaction, RoadmapBot
from bot.discord_app.cogs.kb._access import actor, require_moderator
from bot.discord_app.cogs.kb._render import (
    audit_embed,
    feedback_embed,
    gaps_embed,
    reload_embed,
    status_embed,
)
from bot.discord_app.cogs.kb._views import FaqAddModal, FaqRemoveView

Period = Literal["week", "month"]
PERIOD_DAYS: dict[str, int] = {"week": 7, "month": 30}
GAP_GROUPS = 10
FEEDBACK_ITEMS = 20


@app_commands.check(require_moderator)
async def faq_id_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    """FAQ ids by id or question; moderators only (the check answers others with no choices)."""
    entries = interaction.client.services.search_faq(current)
    pairs = ((f"{e.id} — {e.meta.question}", e.id) for e in entries)
    return [app_commands.Choice(name=n, value=v) for n, v in limits.choices(pairs)]


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Kb(commands.GroupCog, group_name="kb", group_description="Moderators: reload and inspect the knowledge base"):
    def __init__(self, bot: RoadmapBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: Interaction, /) -> bool:  # type: ignore[override]
        """Every /kb subcommand: Manage Server or the moderator role, whatever Discord shows."""
        return await require_moderator(interaction)

    @app_commands.command(name="reload", description="Validate knowledge/ and make it live now (only changes rebuild)")
    async def reload(self, interaction: Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.bot.run_blocking(self.bot.services.moderation.reload, actor(interaction))
        await interaction.followup.send(embed=reload_embed(result), ephemeral=True)

    @app_commands.command(name="status", description="The live index: build, model, counts, pending changes")
    async def status(self, interaction: Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        status = await self.bot.run_blocking(self.bot.services.moderation.status)
        await interaction.followup.send(embed=status_embed(status), ephemeral=True)

    @app_commands.command(name="faq-add", description="Add an FAQ entry (a form opens), then reload")
    async def faq_add(self, interaction: Interaction) -> None:
        await interaction.response.send_modal(FaqAddModal())

    @app_commands.command(name="faq-remove", description="Delete an FAQ entry, after you confirm, then reload")
    @app_commands.rename(faq_id="id")
    @app_commands.describe(faq_id="The FAQ entry (type to search by id or question)")
    @app_commands.autocomplete(faq_id=faq_id_choices)
    async def faq_remove(self, interaction: Interaction, faq_id: app_commands.Range[str, 1, 300]) -> None:
        found = self.bot.services.faq(faq_id)  # NotFound, with suggestions, before anything is asked
        view = FaqRemoveView(interaction.user.id, found.id)
        question = limits.clip(limits.one_line(found.meta.question), 300)
        await interaction.response.send_message(
            f"Remove `faq/{found.id}.md` — “{question}”? The index is rebuilt without it.", view=view, ephemeral=True
        )
        view.message = await interaction.original_response()

    @app_commands.command(name="audit", description="Recent knowledge changes and reloads: who, what, when")
    @app_commands.describe(limit="How many of the newest entries (default 15)")
    async def audit(self, interaction: Interaction, limit: app_commands.Range[int, 1, 50] = 15) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        entries = await self.bot.run_blocking(self.bot.services.moderation.audit, limit)
        await interaction.followup.send(embed=audit_embed(entries), ephemeral=True)

    @app_commands.command(name="gaps", description="The questions the bot answers worst, grouped, with what to edit")
    @app_commands.describe(
        period="The last week (7 days) or month (30 days), instead of days",
        days="Look back this many days (default 30)",
    )
    async def gaps(
        self, interaction: Interaction, period: Period | None = None, days: app_commands.Range[int, 1, 365] = 30
    ) -> None:
        days = PERIOD_DAYS[period] if period else days
        await interaction.response.defer(ephemeral=True, thinking=True)
        groups = await self.bot.run_blocking(
            self.bot.services.moderation.gaps, days, GAP_GROUPS, guild_id=interaction.guild_id
        )
        await interaction.followup.send(embed=gaps_embed(groups, days), ephemeral=True)

    @app_commands.command(name="feedback", description="Answers members voted unhelpful, with their sources")
    @app_commands.describe(
        period="The last week (7 days) or month (30 days), instead of days",
        days="Look back this many days (default 30)",
    )
    async def feedback(
        self, interaction: Interaction, period: Period | None = None, days: app_commands.Range[int, 1, 365] = 30
    ) -> None:
        days = PERIOD_DAYS[period] if period else days
        await interaction.response.defer(ephemeral=True, thinking=True)
        items = await self.bot.run_blocking(
            self.bot.services.moderation.feedback, days, FEEDBACK_ITEMS, guild_id=interaction.guild_id
        )
        await interaction.followup.send(embed=feedback_embed(items, days), ephemeral=True)

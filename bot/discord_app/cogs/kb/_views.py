"""The FAQ modal of /kb faq-add and the confirmation of /kb faq-remove.

Modal text is hostile until the core has cleaned it (`Moderation.add_faq`): nothing typed here is
written or echoed before that, and replies quote the cleaned entry from the live index.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.core.errors import NotFound
from bot.core.moderation import faq_files
from bot.discord_app.client import Interaction
from bot.discord_app.cogs.kb._access import actor, require_moderator
from bot.discord_app.cogs.kb._render import change_embed
from bot.discord_app.failures import send_failure
from bot.discord_app.views import OwnerView

log = logging.getLogger(__name__)

MAX_TAGS_TEXT = 400


class FaqAddModal(discord.ui.Modal, title="New FAQ entry"):
    question: discord.ui.TextInput[FaqAddModal] = discord.ui.TextInput(
        label="Question",
        custom_id="kb-faq-question",
        placeholder="How do I …?",
        max_length=faq_files.MAX_QUESTION,
    )
    answer: discord.ui.TextInput[FaqAddModal] = discord.ui.TextInput(
        label="Answer (markdown)",
        custom_id="kb-faq-answer",
        style=discord.TextStyle.paragraph,
        max_length=faq_files.MAX_ANSWER,
    )
    tags: discord.ui.TextInput[FaqAddModal] = discord.ui.TextInput(
        label="Tags (comma separated, optional)",
        custom_id="kb-faq-tags",
        placeholder="baking, bread",
        required=False,
        max_length=MAX_TAGS_TEXT,
    )

    async def interaction_check(self, interaction: Interaction, /) -> bool:  # type: ignore[override]
        return await require_moderator(interaction)  # they may have lost the role since opening it

    async def on_submit(self, interaction: Interaction, /) -> None:  # type: ignore[override]
        await interaction.response.defer(ephemeral=True, thinking=True)
        bot = interaction.client
        change = await bot.run_blocking(
            bot.services.moderation.add_faq, actor(interaction), self.question.value, self.answer.value, self.tags.value
        )
        question = None
        if change.ok:
            try:
                question = bot.services.faq(change.faq_id).meta.question
            except NotFound:  # another reload swapped it out meanwhile; the reply still names the file
                log.warning("FAQ entry %s was added but is not live", change.faq_id)
        await interaction.followup.send(embed=change_embed(change, question), ephemeral=True)

    async def on_error(self, interaction: discord.Interaction[Any], error: Exception, /) -> None:  # type: ignore[override]
        await send_failure(interaction, error)


class FaqRemoveView(OwnerView):
    """Deleting an entry takes a second, deliberate press by the moderator who asked."""

    def __init__(self, owner_id: int, faq_id: str) -> None:
        super().__init__(owner_id)
        self.faq_id = faq_id

    @discord.ui.button(label="Remove it", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: Interaction, button: discord.ui.Button[FaqRemoveView]) -> None:
        self.stop()
        await interaction.response.edit_message(content=f"Removing `{self.faq_id}` and reloading…", view=None)
        bot = interaction.client
        change = await bot.run_blocking(bot.services.moderation.remove_faq, actor(interaction), self.faq_id)
        await interaction.edit_original_response(content=None, embed=change_embed(change))

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: Interaction, button: discord.ui.Button[FaqRemoveView]) -> None:
        self.stop()
        await interaction.response.edit_message(content="Nothing was removed.", view=None)

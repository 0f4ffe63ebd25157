""" "Save as FAQ": a moderator turns a helper's good reply into a knowledge entry in one edit.

The message context menu opens the /kb faq-add form pre-filled with the thread's question (its
title, or the post's first line when the title is a word or two) and the reply with mentions and
chat markup removed; submitting goes through the same path as /kb faq-add (validation, reload, audit).
"""

from __future__ import annotations

import discord

from bot.core.community.questions import long_enough
from bot.core.moderation import faq_files
from bot.core.text import clip, one_line, plain_text
from bot.discord_app.client import Interaction
from bot.discord_app.cogs.kb._access import require_moderator
from bot.discord_app.cogs.kb._views import FaqAddModal

REFUSAL = "Only moderators can save answers as FAQ entries (Manage Server or the moderator role)."
NO_TEXT = "That message has no text to save; open the form with `/kb faq-add` instead."


def thread_question(channel: object, message: discord.Message) -> str:
    """The question a reply answers: its thread's title (or the post's first line when the title is a
    word or two), else the message it replies to."""
    if isinstance(channel, discord.Thread):
        title = one_line(channel.name)
        starter = channel.starter_message
        if not long_enough(title) and starter is not None and starter.content.strip():
            return one_line(plain_text(starter.content).split("\n", 1)[0])
        return title
    replied = message.reference.resolved if message.reference is not None else None
    if isinstance(replied, discord.Message):
        return one_line(plain_text(replied.content))
    return ""


async def save_as_faq(interaction: Interaction, message: discord.Message) -> None:
    await require_moderator(interaction, REFUSAL)
    answer = plain_text(message.content)
    if not answer:
        await interaction.response.send_message(NO_TEXT, ephemeral=True)
        return
    modal = FaqAddModal()
    question = clip(thread_question(interaction.channel, message), faq_files.MAX_QUESTION)
    if question:
        modal.question.default = question
    modal.answer.default = clip(answer, faq_files.MAX_ANSWER)
    await interaction.response.send_modal(modal)

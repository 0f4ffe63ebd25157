"""One mapping from exceptions to the short message a member sees; unexpected ones are logged in full.

Used by the command tree's error handler (cogs/errors.py), by views and by the mention listener, so
every entry point answers a failure the same way.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import RoadmapBotError
from bot.core.roadmap.errors import NoGoal, RoadmapGone, StepOnOtherRoadmap
from bot.discord_app import limits
from bot.discord_app.render import GOAL_COMMAND

log = logging.getLogger(__name__)

CHANNEL_NOT_HERE = "I can't find that channel in this server (or I can't see it); pick one of this server's channels."
UNEXPECTED = "Something went wrong on my side. It has been logged; please try again later."


def unwrap(error: BaseException) -> BaseException:
    """The exception a command raised, not discord.py's wrapper around it."""
    while isinstance(error, app_commands.CommandInvokeError | commands.CommandInvokeError):
        error = error.original
    return error


def describe(error: BaseException) -> tuple[str, bool]:
    """(message for the member, whether it was unexpected and needs a traceback in the log)."""
    error = unwrap(error)
    if isinstance(error, RoadmapBotError):
        return limits.clip(str(error) + next_move(error), limits.CONTENT), False
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"You're asking quickly — try again in {max(1, math.ceil(error.retry_after))} s.", False
    if isinstance(error, app_commands.TransformerError):
        if error.type is discord.AppCommandOptionType.channel:
            return CHANNEL_NOT_HERE, False
        return "I couldn't understand one of the options you gave; please check it and try again.", False
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that command here.", False
    if isinstance(error, discord.Forbidden):
        return "I don't have permission to do that here.", True
    return UNEXPECTED, True


def next_move(error: RoadmapBotError) -> str:
    """What a member does about it, in Discord's own commands (the core's message names none)."""
    if isinstance(error, NoGoal | RoadmapGone):
        return f" Choose one with {GOAL_COMMAND}."
    if isinstance(error, StepOnOtherRoadmap):
        return f" Switch to it with `/roadmap goal {error.roadmap_id}`."
    return ""


async def send_failure(interaction: discord.Interaction[Any], error: BaseException) -> None:
    """Tell the member what went wrong, privately, whatever state the interaction is in."""
    message, unexpected = describe(error)
    if unexpected:
        command = interaction.command.qualified_name if interaction.command else interaction.data
        log.error("Interaction failed (%s, user %s)", command, interaction.user.id, exc_info=unwrap(error))
    if interaction.type is discord.InteractionType.autocomplete:
        return  # nothing can be shown; discord.py already logs autocomplete errors
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
    except discord.HTTPException as exc:  # the interaction expired or the channel vanished
        log.warning("Could not report a failure to user %s: %s", interaction.user.id, exc)

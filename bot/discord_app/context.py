"""What views and cogs need from the running bot, as a Protocol: views import this, not the client,
so `client.py` (which builds the views' shared state) and `views.py` do not import each other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ParamSpec, Protocol, TypeVar, cast

import discord

from bot.core.service import Services
from bot.discord_app.votes import RecentVotes

P = ParamSpec("P")
R = TypeVar("R")


class BotContext(Protocol):
    services: Services
    recent_votes: RecentVotes

    async def run_blocking(self, func: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R: ...


def bot_of(interaction: discord.Interaction[Any]) -> BotContext:
    """Dynamic items get discord.py's generic interaction; in this app the client is always the bot."""
    return cast(BotContext, interaction.client)

"""The bot: receives Settings and Services, loads the model and index before it connects, then the cogs.

No privileged intents by default: mentions and DMs carry their content without MESSAGE_CONTENT, and
every other feature is a slash command or a forum post's title. MESSAGE_CONTENT_INTENT=true asks for
it (answering questions in `auto` text channels needs it). Nothing can ping from the bot's messages
unless a call opts in: only the handoff to a server's helper role does, naming that role alone.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.community.questions import RateLimits
from bot.core.service import Services
from bot.discord_app.channel_modes import ChannelModes
from bot.discord_app.cooldowns import UserCooldowns
from bot.discord_app.moderation_tasks import REFRESH_SECONDS, ModerationTasks
from bot.discord_app.reminders import SPACING_SECONDS, ReminderSender
from bot.discord_app.votes import RecentVotes
from bot.settings import Settings

log = logging.getLogger(__name__)

# The bot never joins voice, so discord.py's warnings about missing voice libraries are noise.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False

P = ParamSpec("P")
R = TypeVar("R")

EXTENSIONS = (
    "bot.discord_app.cogs.errors",
    "bot.discord_app.cogs.ask",
    "bot.discord_app.cogs.roadmap",
    "bot.discord_app.cogs.faq",
    "bot.discord_app.cogs.privacy",
    "bot.discord_app.cogs.help",
    "bot.discord_app.cogs.kb",
    "bot.discord_app.cogs.community",
)

QUESTIONS_PER_WINDOW = 3
QUESTION_WINDOW_SECONDS = 30.0


def intents(message_content: bool = False) -> discord.Intents:
    """Default intents (guilds, guild and DM messages, reactions); the privileged message_content only
    when the settings ask for it."""
    chosen = discord.Intents.default()
    chosen.message_content = message_content
    chosen.members = False
    chosen.presences = False
    return chosen


class RoadmapBot(commands.Bot):
    """Slash commands, mention and DM answers over one `Services` facade.

    `load_index=False` and `sync_on_start=False` serve the `sync` subcommand, which needs the
    command tree but neither the model nor a gateway connection (nor the background tasks).
    `kb_refresh_seconds` is how often a build made by another process is looked for;
    `reminder_seconds` how often due reminders are looked for (default: the settings').
    """

    def __init__(
        self,
        settings: Settings,
        services: Services,
        *,
        load_index: bool = True,
        sync_on_start: bool = True,
        question_rate: tuple[int, float] = (QUESTIONS_PER_WINDOW, QUESTION_WINDOW_SECONDS),
        kb_refresh_seconds: float = REFRESH_SECONDS,
        reminder_seconds: float | None = None,
        reminder_spacing: float | None = None,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(settings.message_content_intent),
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            **shard_options(self, settings),
        )
        self.settings = settings
        self.services = services
        self.load_index = load_index
        self.sync_on_start = sync_on_start
        self.question_cooldowns = UserCooldowns(*question_rate)
        self.channel_modes = ChannelModes(services.community)
        self.auto_limits = RateLimits(
            settings.auto_answers_per_thread, settings.auto_answers_per_member_hour, time.monotonic
        )
        self.recent_votes = RecentVotes()
        self.moderation_tasks = ModerationTasks(
            services.moderation, watch=settings.watch_knowledge, refresh_seconds=kb_refresh_seconds
        )
        self.reminders = ReminderSender(
            self,
            services,
            poll_seconds=reminder_seconds or settings.reminder_poll_seconds,
            spacing_seconds=SPACING_SECONDS if reminder_spacing is None else reminder_spacing,
        )

    async def setup_hook(self) -> None:
        """Runs once, before the gateway connects: the first question must not pay for the model load."""
        if self.load_index:
            log.info("Loading the embedding model and the knowledge index...")
            await asyncio.to_thread(self.services.advisor.ensure_index, log.info)
            await asyncio.to_thread(self.services.advisor.warm_up)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.sync_on_start and runs_first_shard(self.settings):
            synced = await self.sync_commands()
            log.info("Synced %d application commands", len(synced))
        if self.load_index:
            self.moderation_tasks.start()
            self.reminders.start()  # its first check waits for the gateway, then catches up once

    async def close(self) -> None:
        """Background tasks end first: a reload or a reminder in flight finishes before the connection closes."""
        await self.reminders.stop()
        await self.moderation_tasks.stop()
        await super().close()

    async def sync_commands(self) -> list[app_commands.AppCommand]:
        """To the configured guild (instant, for development) or globally (may take an hour to show)."""
        guild_id = self.settings.discord_guild_id
        if guild_id is not None:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            return await self.tree.sync(guild=guild)
        return await self.tree.sync()

    async def run_blocking(self, func: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Model, search and database work runs in a worker thread so the gateway heartbeat never stalls."""
        return await asyncio.to_thread(func, *args, **kwargs)

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: questions in messages are handled by the ask cog's listener."""

    async def on_ready(self) -> None:
        log.info(
            "Connected as %s (id %s) to %d server(s)", self.user, self.user.id if self.user else "?", len(self.guilds)
        )


class ShardedRoadmapBot(RoadmapBot, commands.AutoShardedBot):
    """The same bot over several gateway shards (SHARD_COUNT, SHARD_IDS): one process may run some
    shards and other processes the rest; they share the database and the knowledge/index volumes.
    Discord routes each server's events to one shard and direct messages to shard 0."""

    async def on_shard_ready(self, shard_id: int) -> None:
        log.info("Shard %d of %s ready", shard_id, self.shard_count)


def shard_options(bot: discord.Client, settings: Settings) -> dict[str, Any]:
    """discord.py's sharding arguments, for the sharded class only (a plain Client would misread them)."""
    if not isinstance(bot, commands.AutoShardedBot) or settings.shard_count is None:
        return {}
    return {"shard_count": settings.shard_count, "shard_ids": settings.shard_ids}


def runs_first_shard(settings: Settings) -> bool:
    """One process registers the slash commands: the one with shard 0 (every process when unsharded)."""
    return settings.shard_ids is None or 0 in settings.shard_ids


def make_bot(settings: Settings, services: Services, **options: Any) -> RoadmapBot:
    """The bot `roadmap-bot run` serves: sharded when SHARD_COUNT is set, else one gateway connection."""
    cls = ShardedRoadmapBot if settings.shard_count is not None else RoadmapBot
    return cls(settings, services, **options)


Interaction = discord.Interaction[RoadmapBot]

"""The weekly digest: one loop per bot process posts each server's digest to its digest channel.

Each server's digest is claimed in the database before it is built and posted, so with several
processes (or shards) it goes out once; a failed post gives the claim back for the next check.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import discord

from bot.core.store import utcnow
from bot.discord_app.cogs.community._render import digest_embed
from bot.discord_app.context import BotContext
from bot.discord_app.polling import PollingLoop

log = logging.getLogger(__name__)

POLL_SECONDS = 300.0
DIGEST_DAYS = 7
DIGEST_ITEMS = 5


def last_slot(now: datetime, weekday: int, hour: int) -> datetime:
    """The latest moment at or before `now` that falls on `weekday` at `hour` (UTC)."""
    slot = now.replace(hour=hour, minute=0, second=0, microsecond=0) - timedelta(days=(now.weekday() - weekday) % 7)
    return slot if slot <= now else slot - timedelta(days=7)


class DigestPoster(PollingLoop):
    """`start()` runs the loop, `stop()` ends it, `run_once()` checks once (tests drive it directly)."""

    what = "posting the weekly digest"

    def __init__(
        self,
        client: discord.Client,
        bot: BotContext,
        *,
        weekday: int,
        hour: int,
        poll_seconds: float = POLL_SECONDS,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(client, poll_seconds)
        self.bot = bot
        self.weekday = weekday
        self.hour = hour
        self.clock = clock

    async def check(self) -> None:
        await self.run_once()

    async def run_once(self) -> int:
        """Post every due digest of the servers this process serves; returns how many were posted."""
        community = self.bot.services.community
        due_after = last_slot(self.clock(), self.weekday, self.hour)
        posted = 0
        for config in await self.bot.run_blocking(community.digest_guilds):
            if self.client.get_guild(config.guild_id) is None or config.digest_channel_id is None:
                continue  # another shard's (or a server the bot left)
            if not await self.bot.run_blocking(community.claim_digest, config.guild_id, self.worker, due_after):
                continue
            try:
                digest = await self.bot.run_blocking(
                    self.bot.services.moderation.digest, config.guild_id, DIGEST_DAYS, DIGEST_ITEMS
                )
                channel = self.client.get_channel(config.digest_channel_id)
                if not isinstance(channel, discord.TextChannel) or channel.guild.id != config.guild_id:
                    log.warning("The digest channel of server %s is gone; not posting", config.guild_id)
                    await self.bot.run_blocking(community.finish_digest, config.guild_id, self.worker)
                    continue
                await channel.send(embed=digest_embed(digest))
            except Exception:
                await self.bot.run_blocking(community.release_digest, config.guild_id, self.worker)
                raise
            await self.bot.run_blocking(community.finish_digest, config.guild_id, self.worker)
            posted += 1
        return posted

"""Each channel's mode, read on every message, so it is cached for a few seconds: a server's `/config`
applies at once in this process (the entry is replaced) and within seconds in the others."""

from __future__ import annotations

import asyncio
import time

from bot.core.community import ChannelMode, CommunityConfig

TTL_SECONDS = 10.0
MAX_ENTRIES = 10_000


class ChannelModes:
    def __init__(self, config: CommunityConfig, ttl: float = TTL_SECONDS) -> None:
        self._config = config
        self._ttl = ttl
        self._cache: dict[tuple[int, int], tuple[ChannelMode, float]] = {}

    async def get(self, guild_id: int, channel_id: int) -> ChannelMode:
        """The channel's mode (database work in a thread, never on the event loop)."""
        key = (guild_id, channel_id)
        cached = self._cache.get(key)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        mode = await asyncio.to_thread(self._config.channel_mode, guild_id, channel_id)
        if len(self._cache) >= MAX_ENTRIES:
            self._cache.clear()
        self._cache[key] = (mode, time.monotonic() + self._ttl)
        return mode

    def remember(self, guild_id: int, channel_id: int, mode: ChannelMode) -> None:
        """A change made here applies at once."""
        self._cache[(guild_id, channel_id)] = (mode, time.monotonic() + self._ttl)

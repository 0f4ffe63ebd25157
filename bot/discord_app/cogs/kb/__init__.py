"""`/kb`: the moderators' commands (reload, status, FAQ entries, audit, gaps, feedback)."""

from __future__ import annotations

from bot.discord_app.client import RoadmapBot
from bot.discord_app.cogs.kb._cog import Kb


async def setup(bot: RoadmapBot) -> None:
    await bot.add_cog(Kb(bot))

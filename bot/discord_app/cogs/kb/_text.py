"""Plain-text pieces of the /kb replies (no discord import, tested directly)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from bot.core.moderation import ReloadResult
from bot.discord_app import limits

# A Discord member's id (earlier versions wrote it as `discord:<id>`).
DISCORD_ACTOR = re.compile(r"(?:discord:)?([1-9][0-9]{14,20})")
MAX_PROBLEM = 300
FENCE = "```"


def actor_label(actor: str) -> str:
    """A member id becomes the mention <@123…> (embeds never ping); anyone else is shown as code."""
    match = DISCORD_ACTOR.fullmatch(actor)
    if match:
        return f"<@{match.group(1)}>"
    return "`" + limits.clip(actor.replace("`", "'"), 60) + "`"


def timestamp(at: datetime, style: str = "f") -> str:
    """A Discord timestamp, shown in each reader's own time zone; naive times are UTC."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return f"<t:{int(aware.timestamp())}:{style}>"


def problems_block(problems: Sequence[str], limit: int) -> str:
    """Problems as `path:line: message` lines in a code block within `limit` characters; the lines
    that do not fit become '… and N more'. A code block shows paths and markdown as written."""
    lines = [limits.clip(limits.one_line(p).replace(FENCE, "'''"), MAX_PROBLEM) for p in problems]
    body = limits.fit_lines(lines, limit - 2 * len(FENCE) - 2)
    return f"{FENCE}\n{body}\n{FENCE}"


def reload_line(result: ReloadResult) -> str:
    """One line for /kb status: how the last reload went, when and by whom."""
    when = timestamp(result.finished_at, "R")
    who = actor_label(result.actor)
    if result.ok:
        return (
            f"OK {when} by {who}: build `{result.build_id}` in {result.seconds:.2f} s "
            f"({result.embedded} embedded, {result.reused} reused)"
        )
    return f"Failed {when} by {who}: {len(result.problems)} problem(s), build `{result.build_id}` kept"

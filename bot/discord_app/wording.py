"""Core messages name the console's commands; on Discord the same action is a slash command.

Only command names are translated here; the sentences themselves stay the core's.
"""

from __future__ import annotations

_COMMANDS = (
    ("`goal set ROADMAP`", "`/roadmap goal`"),
    ("`goal set`", "`/roadmap goal`"),
)


def discord_wording(text: str) -> str:
    for console, slash in _COMMANDS:
        text = text.replace(console, slash)
    return text

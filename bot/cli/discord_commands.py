"""Subcommands of the Discord side: `sync` registers the slash commands and exits; `commands` lists
them, from the same command tree `/help` reads, without connecting to Discord."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from bot.cli.output import print_json
from bot.settings import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = sub.add_parser(
        "sync",
        help="log in to Discord, register the slash commands (to DISCORD_GUILD_ID if set, else globally), exit",
    )
    sync.add_argument(
        "--global", dest="global_sync", action="store_true", help="sync globally even when DISCORD_GUILD_ID is set"
    )
    sync.set_defaults(func=cmd_sync)

    listing = sub.add_parser("commands", help="list every Discord slash command with its options (no connection)")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=cmd_commands, quiet_logs=True)


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    from bot.discord_app.runner import sync_discord

    if args.global_sync:
        settings = settings.model_copy(update={"discord_guild_id": None})
    return sync_discord(settings)


def slash_command_rows(settings: Settings) -> list[dict[str, Any]]:
    """The bot's command tree, built offline: cogs loaded, no model, no gateway."""
    from bot.discord_app.client import RoadmapBot
    from bot.discord_app.cogs.help import slash_commands, usage
    from bot.wiring import open_services

    async def build() -> list[dict[str, Any]]:
        with open_services(settings) as services:
            bot = RoadmapBot(settings, services, load_index=False, sync_on_start=False)
            async with bot:
                await bot.setup_hook()
                rows = []
                for command, required in slash_commands(bot.tree):
                    rows.append(
                        {
                            "command": f"/{command.qualified_name}",
                            "usage": usage(command),
                            "description": command.description,
                            "options": [
                                {"name": p.name, "required": p.required, "description": p.description}
                                for p in command.parameters
                            ],
                            "moderators_only": required is not None,
                        }
                    )
                return rows

    return asyncio.run(build())


def cmd_commands(args: argparse.Namespace, settings: Settings) -> int:
    rows = slash_command_rows(settings)
    if args.json:
        print_json(rows)
        return 0
    if not sys.stdout.isatty():  # a pipe or a file: one line per command, options indented below it
        for row in rows:
            note = " (Manage Server or the moderator role)" if row["moderators_only"] else ""
            print(f"{row['usage']}: {row['description']}{note}")
            for o in row["options"]:
                print(f"    {o['name']}{'' if o['required'] else ' (optional)'}: {o['description']}")
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Discord slash commands", title_justify="left", show_lines=False)
    table.add_column("command", style="bold cyan", overflow="fold")
    table.add_column("what it does", overflow="fold")
    table.add_column("options", overflow="fold")
    for row in rows:
        options = "\n".join(
            f"{o['name']}{'' if o['required'] else ' (optional)'}: {o['description']}" for o in row["options"]
        )
        note = " (Manage Server or the moderator role)" if row["moderators_only"] else ""
        table.add_row(row["usage"], row["description"] + note, options)
    Console().print(table)
    return 0

"""Subcommands of the Discord side: `sync` registers the slash commands and exits."""

from __future__ import annotations

import argparse

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


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    from bot.discord_app.runner import sync_discord

    if args.global_sync:
        settings = settings.model_copy(update={"discord_guild_id": None})
    return sync_discord(settings)

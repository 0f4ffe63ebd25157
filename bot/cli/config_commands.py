"""`roadmap-bot config ...`: the servers' own settings (set on Discord with /config), for backups and audits."""

from __future__ import annotations

import argparse

from bot.cli.output import print_json
from bot.settings import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    config = sub.add_parser("config", help="the servers' settings set with /config: roles, digest, channel modes")
    actions = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="every server's settings and channel modes as JSON")
    export.set_defaults(func=cmd_export)
    show = actions.add_parser("show", help="every server's settings and channel modes as text")
    show.set_defaults(func=cmd_show)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.wiring import open_services

    with open_services(settings) as services:
        exported = services.community.export()
    print_json(exported.model_dump(mode="json"))
    return 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    from bot.wiring import open_services

    with open_services(settings) as services:
        exported = services.community.export()
    default_role = exported.default_moderator_role_id or "none"
    print(
        f"Channels not listed answer in `{exported.default_mode.value}` mode; default moderator role: {default_role}."
    )
    if not exported.guilds:
        print("No server has changed its settings yet (/config on Discord).")
    for guild in exported.guilds:
        role = guild.moderator_role_id or "none"
        print(f"Server {guild.guild_id}:")
        print(f"  moderator role: {role}{' (default)' if guild.moderator_role_default else ''}")
        print(f"  helper role: {guild.helper_role_id or 'none'}")
        print(f"  digest channel: {guild.digest_channel_id or 'none'}")
        for channel in guild.channels:
            print(f"  channel {channel.channel_id}: {channel.mode.value}")
    return 0

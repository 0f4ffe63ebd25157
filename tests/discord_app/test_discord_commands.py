"""The command tree the bot syncs, /help generated from it, and the `sync` subcommand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord
import pytest
from discord_standin import DiscordStandIn, patched_discord, running_bot

from bot.cli import build_parser
from bot.cli.discord_commands import cmd_sync
from bot.core.service import Services
from bot.discord_app.client import EXTENSIONS, RoadmapBot, intents
from bot.discord_app.runner import sync_once
from bot.settings import Settings

EXPECTED = {
    "ask": {"question": (True, False), "private": (False, False)},
    "faq": {"topic": (False, True)},
    "help": {},
    "roadmap goal": {"roadmap": (True, True), "target_date": (False, False)},
    "roadmap next": {"share": (False, False)},
    "roadmap start": {"step": (True, True)},
    "roadmap done": {"step": (True, True)},
    "roadmap skip": {"step": (True, True)},
    "roadmap undo": {"step": (True, True)},
    "roadmap progress": {"member": (False, False), "share": (False, False)},
    "roadmap show": {"share": (False, False)},
    "roadmap review": {"step": (True, True), "days": (False, False)},
    "roadmap today": {"share": (False, False)},
    "roadmap streak": {"share": (False, False)},
    "roadmap note": {"step": (True, True), "text": (False, False), "clear": (False, False)},
    "roadmap card": {"share": (False, False)},
    "roadmap remind": {
        "cadence": (False, False),
        "time": (False, False),
        "timezone": (False, True),
        "day": (False, False),
    },
    "roadmap leaderboard": {"join": (False, False), "share": (False, False)},
    "roadmap peers": {"step": (False, True), "join": (False, False)},
    "privacy export": {},
    "privacy forget": {},
}
# The moderators' group: hidden by default from members without Manage Server.
EXPECTED_KB = {
    "kb reload": {},
    "kb status": {},
    "kb faq-add": {},
    "kb faq-remove": {"id": (True, True)},
    "kb audit": {"limit": (False, False)},
    "kb gaps": {"period": (False, False), "days": (False, False)},
    "kb feedback": {"period": (False, False), "days": (False, False)},
}
# Server settings: hidden by default from members without Manage Server (and refused to them).
EXPECTED_CONFIG = {
    "config show": {},
    "config channel": {"mode": (True, False), "channel": (False, False)},
    "config moderator-role": {"role": (False, False)},
    "config helper-role": {"role": (False, False)},
    "config digest-channel": {"channel": (False, False)},
}
# The message context menu: shown to everyone, checked on the bot's side (moderators only).
CONTEXT_MENUS = {"Save as FAQ"}
ALL_NAMES = {"ask", "faq", "help", "roadmap", "privacy", "kb", "config"} | CONTEXT_MENUS


def leaves(commands: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Synced schema flattened to 'group sub' -> command/subcommand JSON."""
    out: dict[str, dict[str, Any]] = {}
    for command in commands:
        subs = [o for o in command.get("options", []) if o["type"] == 1]
        if subs:
            out.update({f"{command['name']} {s['name']}": s for s in subs})
        else:
            out[command["name"]] = command
    return out


async def test_synced_tree_names_options_autocomplete_and_permissions(
    env: tuple[RoadmapBot, DiscordStandIn],
) -> None:
    bot, standin = env
    sync = standin.requests_of("commands_sync")
    assert len(sync) == 1
    assert sync[0].route == f"/applications/{standin.application_id}/guilds/{standin.guild.id}/commands"
    assert standin.global_commands == []
    synced = standin.guild_commands[standin.guild.id]
    assert standin.command_names() == ALL_NAMES
    found = leaves(synced)
    assert set(found) == set(EXPECTED) | set(EXPECTED_KB) | set(EXPECTED_CONFIG) | CONTEXT_MENUS
    assert standin.command_names(type=3) == CONTEXT_MENUS
    for name, options in {**EXPECTED, **EXPECTED_KB, **EXPECTED_CONFIG}.items():
        schema = found[name]
        assert schema["description"], name
        got = {o["name"]: (bool(o.get("required")), bool(o.get("autocomplete"))) for o in schema.get("options", [])}
        assert got == options, name
    for command in synced:  # everyone may use every command but the moderators' group
        if command["name"] in ("kb", "config"):
            assert int(command["default_member_permissions"]) == discord.Permissions(manage_guild=True).value
            continue
        assert command.get("default_member_permissions") is None
        assert standin.command_visible_to(command["name"], standin.member, type=command.get("type", 1))
    ask_question = next(o for o in found["ask"]["options"] if o["name"] == "question")
    assert ask_question["max_length"] == 1000
    member = next(o for o in found["roadmap progress"]["options"] if o["name"] == "member")
    assert member["type"] == 6  # a user option
    # No privileged intent requested: the bot works without message_content.
    assert not discord.Intents._from_value(standin.connection.intents).message_content
    assert bot.allowed_mentions is not None and bot.allowed_mentions.to_dict()["parse"] == []


async def test_every_extension_loads_and_command_names_are_unique(settings: Settings, services: Services) -> None:
    bot = RoadmapBot(settings, services)
    try:
        for extension in EXTENSIONS:
            await bot.load_extension(extension)
        names = [c.qualified_name for c in bot.tree.walk_commands()]
        assert len(names) == len(set(names)) and len(names) >= len(EXPECTED)
        assert {n for n in names if " " in n} | {"ask", "faq", "help"} >= set(EXPECTED) | set(EXPECTED_KB)
    finally:
        await bot.close()
    assert not intents().message_content and not intents().members
    assert intents(message_content=True).message_content


async def test_help_lists_every_command_from_the_tree(env: tuple[RoadmapBot, DiscordStandIn]) -> None:
    _, standin = env
    reply = await (await standin.interact(standin.slash("help"))).response()
    assert reply.callback_type == 4 and reply.ephemeral
    text = "\n".join(f["value"] for f in reply.embed["fields"])
    for name in EXPECTED:
        assert f"`/{name}" in text
    assert "`/kb" not in text  # an ordinary member cannot use it, so it is not offered
    assert "`/roadmap goal <roadmap> [target_date]` — Choose the roadmap" in text
    assert "mention me" in reply.embed["description"]


async def test_help_shows_moderators_the_kb_commands(env: tuple[RoadmapBot, DiscordStandIn]) -> None:
    _, standin = env
    reply = await (await standin.interact(standin.slash("help", user=standin.moderator))).response()
    text = "\n".join(f["value"] for f in reply.embed["fields"])
    for name in [*EXPECTED, *EXPECTED_KB]:
        assert f"`/{name}" in text


async def test_global_sync_without_a_guild_id(settings: Settings, services: Services) -> None:
    async with running_bot(lambda: RoadmapBot(settings, services), capture_loggers=("discord", "bot")) as (_, standin):
        assert standin.command_names(False) == ALL_NAMES
        assert standin.guild_commands.get(standin.guild.id, []) == []


async def test_sync_subcommand_logs_in_syncs_and_exits(
    settings: Settings, services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    standin = DiscordStandIn()
    await standin.start()
    try:
        with patched_discord(standin):
            configured = settings.model_copy(update={"discord_guild_id": standin.guild.id})
            assert await sync_once(configured, services, standin.token) == 0
    finally:
        await standin.stop()
    assert standin.command_names() == ALL_NAMES
    assert not standin.connections  # it never opened the gateway
    assert f"Synced {len(ALL_NAMES)} commands to server" in capsys.readouterr().out
    args = build_parser().parse_args(["sync", "--global"])
    assert args.func is cmd_sync and args.global_sync


def test_run_and_sync_without_a_token_refuse(settings: Settings, make_bot: Callable[..., Any]) -> None:
    from bot.discord_app.runner import run_discord, sync_discord

    assert run_discord(settings) == 2
    assert sync_discord(settings) == 2


def test_readme_invite_asks_only_for_the_permissions_the_bot_needs() -> None:
    from pathlib import Path

    needed = discord.Permissions(
        view_channel=True,
        manage_threads=True,  # a forum's Solved / Needs human tags
        send_messages=True,
        send_messages_in_threads=True,
        create_public_threads=True,
        embed_links=True,
        attach_files=True,
        read_message_history=True,
        use_application_commands=True,
    )
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"permissions={needed.value}" in readme and "scope=bot+applications.commands" in readme

"""Process entry points: run the bot until SIGINT/SIGTERM, or log in once to sync the commands.

The token goes from Settings (a SecretStr, masked in any repr) straight to discord.py; nothing here
logs or prints it. Shutdown closes the gateway first, then the database engine.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Coroutine
from typing import Any

import aiohttp
import discord

from bot.core.errors import RoadmapBotError
from bot.core.service import Services
from bot.discord_app.client import RoadmapBot, make_bot
from bot.settings import Settings

log = logging.getLogger(__name__)

NO_TOKEN = "DISCORD_TOKEN is not set; put the bot token in the environment or .env."
FIRST_RETRY_SECONDS = 5.0
MAX_RETRY_SECONDS = 300.0
# What an unreachable Discord looks like from here: DNS, refused or reset connections, TLS, timeouts.
UNREACHABLE: tuple[type[BaseException], ...] = (
    aiohttp.ClientError,
    OSError,
    asyncio.TimeoutError,
    discord.GatewayNotFound,
)
BAD_TOKEN = "Discord refused the token; check DISCORD_TOKEN (Developer Portal > your app > Bot > Reset Token)."


def run_discord(settings: Settings) -> int:
    """`roadmap-bot run` with a token: serve until interrupted; the exit code says how it ended."""
    return _with_services(settings, serve)


def sync_discord(settings: Settings) -> int:
    """`roadmap-bot sync`: log in, register the slash commands, exit (no gateway, no model)."""
    return _with_services(settings, sync_once)


def _with_services(settings: Settings, main: Callable[[Settings, Services, str], Coroutine[Any, Any, int]]) -> int:
    """Build the core once, run `main` with the token, and always close the database."""
    if settings.discord_token is None:
        log.error(NO_TOKEN)
        return 2
    from bot.wiring import open_services

    with open_services(settings) as services:
        try:
            return asyncio.run(main(settings, services, settings.discord_token.get_secret_value()))
        except KeyboardInterrupt:  # a second Ctrl-C during shutdown
            return 130


def _install_signal_handlers(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> list[signal.Signals]:
    installed: list[signal.Signals] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
            continue
        installed.append(sig)
    return installed


async def serve(settings: Settings, services: Services, token: str, stop: asyncio.Event | None = None) -> int:
    """Run the bot until `stop` is set (SIGINT and SIGTERM set it) or the connection ends for good."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    installed = _install_signal_handlers(loop, stop)
    try:
        async with make_bot(settings, services) as bot:
            gateway = asyncio.create_task(connect(bot, token, settings, stop), name="discord-gateway")
            stopping = asyncio.create_task(stop.wait(), name="discord-stop")
            await asyncio.wait({gateway, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if stopping.done():
                log.info("Shutting down: closing the Discord connection")
                await bot.close()
            stopping.cancel()
            return await _outcome(gateway)
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
        log.info("Discord bot stopped")


class DiscordUnreachable(RoadmapBotError):
    """Discord could not be reached and DISCORD_OUTAGE=exit asked to give up (a supervisor restarts us)."""


def unreachable_reason(error: BaseException) -> str:
    return str(error).splitlines()[0][:200] if str(error) else type(error).__name__


async def connect(bot: RoadmapBot, token: str, settings: Settings, stop: asyncio.Event) -> None:
    """Log in and stay connected. While Discord cannot be reached: one line per attempt and a retry
    with backoff (5 s doubling to 5 min), or, with DISCORD_OUTAGE=exit, one line and a non-zero exit.
    Once connected, discord.py itself reconnects after a dropped gateway."""
    delay = FIRST_RETRY_SECONDS
    while True:
        try:
            await bot.start(token)
            return
        except UNREACHABLE as exc:
            if settings.discord_outage == "exit":
                raise DiscordUnreachable(f"Discord cannot be reached: {unreachable_reason(exc)}") from None
            log.error("Discord cannot be reached (%s); trying again in %.0f s", unreachable_reason(exc), delay)
        try:
            await asyncio.wait_for(stop.wait(), timeout=delay)
            return  # asked to stop while waiting
        except TimeoutError:
            delay = min(delay * 2, MAX_RETRY_SECONDS)


async def _outcome(gateway: asyncio.Task[None]) -> int:
    try:
        await gateway
    except discord.LoginFailure:
        log.error(BAD_TOKEN)
        return 1
    except discord.PrivilegedIntentsRequired:
        log.error("Discord refused the requested intents; this bot needs no privileged intents.")
        return 1
    except DiscordUnreachable as exc:
        log.error("%s", exc)
        return 1
    except RoadmapBotError as exc:
        log.error("Could not start: %s", exc)
        return 1
    except asyncio.CancelledError:
        return 0
    return 0


async def sync_once(settings: Settings, services: Services, token: str) -> int:
    async with RoadmapBot(settings, services, load_index=False, sync_on_start=False) as bot:
        try:
            await bot.login(token)
        except discord.LoginFailure:
            log.error(BAD_TOKEN)
            return 1
        except UNREACHABLE as exc:
            log.error("Discord cannot be reached: %s", unreachable_reason(exc))
            return 1
        synced = await bot.sync_commands()
        where = f"server {settings.discord_guild_id}" if settings.discord_guild_id else "all servers (global)"
        names = ", ".join(sorted(c.name for c in synced))
        print(f"Synced {len(synced)} commands to {where}: {names}")
    return 0

"""The process runner: starts the real bot, stops cleanly on SIGTERM or a stop event, never logs the token."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
import time

import pytest
from discord_standin import DiscordStandIn, patched_discord
from pydantic import SecretStr

from bot.core.service import Services
from bot.discord_app.runner import serve
from bot.settings import Settings

TOKEN = "secret-token-that-must-never-be-logged"


async def _serve_until(settings: Settings, services: Services, stop: asyncio.Event | None, trigger: str) -> int:
    standin = DiscordStandIn(token=TOKEN, check_token=True)
    await standin.start()
    try:
        with patched_discord(standin):
            configured = settings.model_copy(update={"discord_guild_id": standin.guild.id})
            running = asyncio.create_task(serve(configured, services, TOKEN, stop=stop))
            await standin.wait_until(lambda: standin.command_names() and standin.connections, timeout=10)
            await standin.wait_until(lambda: any(c.ready for c in standin.connections), timeout=10)
            if trigger == "signal":
                os.kill(os.getpid(), signal.SIGTERM)
            else:
                assert stop is not None
                stop.set()
            code = await asyncio.wait_for(running, timeout=10)
            assert all(c.closed for c in standin.connections)  # the gateway was closed, not dropped
            return code
    finally:
        await standin.stop()


async def test_serve_stops_on_sigterm_without_logging_the_token(
    settings: Settings, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert await _serve_until(settings, services, None, "signal") == 0
    assert "Shutting down" in caplog.text and "Synced 8 application commands" in caplog.text  # 7 slash, 1 context menu
    assert TOKEN not in caplog.text
    # The handlers are removed again: SIGTERM is back to its default.
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


async def test_serve_stops_on_request(settings: Settings, services: Services) -> None:
    assert await _serve_until(settings, services, asyncio.Event(), "event") == 0


async def test_a_refused_token_exits_with_an_error(settings: Settings, services: Services) -> None:
    standin = DiscordStandIn(token=TOKEN, check_token=True)
    await standin.start()
    try:
        with patched_discord(standin):
            assert await serve(settings, services, "wrong-token") == 1
    finally:
        await standin.stop()


def test_run_discord_serves_until_sigterm_then_closes_the_database(
    settings: Settings, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real entry point (`roadmap-bot run`): asyncio.run in the main thread, the stand-in in another."""
    from bot.discord_app.runner import run_discord

    closed: list[bool] = []
    real_close = services.close
    monkeypatch.setattr(services, "close", lambda: (closed.append(True), real_close())[1])
    monkeypatch.setattr("bot.wiring.make_services", lambda _settings, _embedder=None: services)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    standin = DiscordStandIn(token=TOKEN, check_token=True)
    asyncio.run_coroutine_threadsafe(standin.start(), loop).result(5)

    def stop_when_ready() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(c.ready for c in list(standin.connections)):
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGTERM)

    try:
        with patched_discord(standin):
            configured = settings.model_copy(
                update={"discord_guild_id": standin.guild.id, "discord_token": SecretStr(TOKEN)}
            )
            threading.Thread(target=stop_when_ready, daemon=True).start()
            assert run_discord(configured) == 0
    finally:
        asyncio.run_coroutine_threadsafe(standin.stop(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
    assert closed == [True]
    assert standin.command_names() == {"ask", "faq", "help", "roadmap", "privacy", "kb", "config", "Save as FAQ"}


async def test_an_outage_is_one_line_then_the_bot_connects_when_discord_is_back(
    settings: Settings, services: Services, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.discord_app import runner

    monkeypatch.setattr(runner, "FIRST_RETRY_SECONDS", 0.2)
    standin = DiscordStandIn(token=TOKEN, check_token=True)
    port = (await standin.start()).port
    await standin.stop()  # Discord is down: connections to its address are refused
    stop = asyncio.Event()
    try:
        with patched_discord(standin), caplog.at_level(logging.INFO):
            configured = settings.model_copy(update={"discord_guild_id": standin.guild.id})
            running = asyncio.create_task(serve(configured, services, TOKEN, stop=stop))
            deadline = time.monotonic() + 60
            while "Discord cannot be reached" not in caplog.text:
                assert time.monotonic() < deadline, caplog.text
                await asyncio.sleep(0.05)
            await standin.start(port=port)  # and back
            await standin.wait_until(lambda: any(c.ready for c in standin.connections), timeout=30)
            stop.set()
            assert await asyncio.wait_for(running, timeout=10) == 0
    finally:
        await standin.stop()
    failures = [r for r in caplog.records if "Discord cannot be reached" in r.getMessage()]
    assert failures and all(r.exc_info is None and "\n" not in r.getMessage() for r in failures)
    assert "Traceback" not in caplog.text and TOKEN not in caplog.text


async def test_an_outage_with_exit_chosen_ends_in_one_line_and_a_non_zero_exit(
    settings: Settings, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    standin = DiscordStandIn(token=TOKEN, check_token=True)
    await standin.start()
    await standin.stop()
    with patched_discord(standin), caplog.at_level(logging.INFO):
        configured = settings.model_copy(update={"discord_outage": "exit"})
        assert await asyncio.wait_for(serve(configured, services, TOKEN), timeout=30) == 1
    [line] = [r.getMessage() for r in caplog.records if "cannot be reached" in r.getMessage()]
    assert line.startswith("Discord cannot be reached:") and "Traceback" not in caplog.text

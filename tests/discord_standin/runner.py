"""Run a real discord.py bot against the stand-in: patch discord.py's endpoints, start, wait, close.

discord.py 2.7.1 builds every REST URL from the class attribute ``discord.http.Route.BASE``
(``'https://discord.com/api/v10'``; the webhook/interaction adapter imports the same ``Route``).
A non-sharded ``Client.connect`` never calls ``GET /gateway/bot``: it connects straight to
``DiscordWebSocket.DEFAULT_GATEWAY`` (``wss://gateway.discord.gg/``) and only later switches to
READY's ``resume_gateway_url``. So both class attributes are patched (and restored afterwards);
``AutoShardedClient`` does ask ``/gateway/bot``, which the stand-in answers with its own URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from types import SimpleNamespace
from typing import Any, TypeVar

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from .server import DiscordStandIn, owns

ClientT = TypeVar("ClientT", bound=discord.Client)
BotFactory = Callable[[], ClientT | Awaitable[ClientT]] | Callable[[DiscordStandIn], ClientT | Awaitable[ClientT]]

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_active: DiscordStandIn | None = None


class NonLoopbackRequestError(RuntimeError):
    """The bot tried to reach a host other than the loopback stand-in."""


@contextlib.contextmanager
def patched_discord(standin: DiscordStandIn) -> Iterator[None]:
    """Point discord.py's REST base and default gateway at a running stand-in; restore on exit."""
    global _active
    if _active is standin:
        yield
        return
    if _active is not None:
        raise RuntimeError("another DiscordStandIn is already patched into discord.py")
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = standin.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(standin.gateway_url)
    _active = standin
    try:
        yield
    finally:
        Route.BASE = old_base
        DiscordWebSocket.DEFAULT_GATEWAY = old_gateway
        _active = None


def install_loopback_guard(client: discord.Client, standin: DiscordStandIn) -> None:
    """Make the client's aiohttp session refuse any non-loopback URL (recorded in ``blocked_urls``).

    Must run before ``login`` creates the session. Uses discord.py's ``http_trace`` hook.
    """

    async def on_request_start(
        session: aiohttp.ClientSession, ctx: SimpleNamespace, params: aiohttp.TraceRequestStartParams
    ) -> None:
        if params.url.host not in LOOPBACK_HOSTS:
            standin.blocked_urls.append(str(params.url))
            raise NonLoopbackRequestError(f"blocked non-loopback request: {params.method} {params.url}")

    trace = client.http.http_trace
    if trace is None:
        trace = aiohttp.TraceConfig()
        client.http.http_trace = trace
    if trace.on_request_start.frozen:  # already used by a session (a re-used client): can't extend
        return
    trace.on_request_start.append(on_request_start)


class _ErrorCapture(logging.Handler):
    """Collects ERROR log records (with tracebacks) into ``standin.bot_errors`` and wakes waiters."""

    def __init__(self, standin: DiscordStandIn, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(logging.ERROR)
        self.standin = standin
        self.loop = loop
        self.setFormatter(logging.Formatter("%(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.standin.bot_errors.append(self.format(record))
        if not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.standin.notify_change)


async def _make_client(factory: Any, standin: DiscordStandIn) -> discord.Client:
    if isinstance(factory, discord.Client):
        return factory
    params = inspect.signature(factory).parameters
    result = factory(standin) if params else factory()
    if inspect.isawaitable(result):
        result = await result
    if not isinstance(result, discord.Client):
        raise TypeError(f"bot factory returned {type(result).__name__}, expected a discord.Client")
    return result


async def _close(client: discord.Client, task: asyncio.Task[None]) -> None:
    await client.close()
    try:
        await asyncio.wait_for(task, timeout=5)
    except (asyncio.CancelledError, TimeoutError):
        task.cancel()
    except Exception:
        # The connection loop may surface a closed-socket error after close(); the bot is down.
        pass


@contextlib.asynccontextmanager
async def running_bot(
    bot_factory: BotFactory[ClientT] | ClientT,
    standin: DiscordStandIn | None = None,
    *,
    token: str | None = None,
    ready_timeout: float = 10.0,
    fast_ready: bool = True,
    strict: bool = True,
    capture_loggers: Sequence[str] = ("discord",),
) -> AsyncIterator[tuple[ClientT, DiscordStandIn]]:
    """Start the stand-in (if needed), run ``bot.start(token)`` against it and yield ``(bot, standin)``
    once the bot is ready and has the test guild; then close the bot, restore discord.py and stop
    a stand-in this call started.

    ``bot_factory`` is a Client/Bot, or a callable (optionally taking the stand-in, optionally
    async) returning one; it is built while discord.py is patched. ``fast_ready`` lowers
    discord.py's ``guild_ready_timeout`` (default 2 s of waiting for more GUILD_CREATEs after
    READY) to 0.05 s. With ``strict``, leaving the block raises AssertionError if the bot logged
    errors (loggers in ``capture_loggers``), hit a route the stand-in lacks, or tried to leave
    loopback; clear ``standin.bot_errors`` in tests that provoke errors on purpose.
    """
    standin = standin or DiscordStandIn()
    owns = not standin.is_running
    if owns:
        await standin.start()
    capture = _ErrorCapture(standin, asyncio.get_running_loop())
    loggers = [logging.getLogger(name) for name in capture_loggers]
    for logger in loggers:
        logger.addHandler(capture)
    try:
        with patched_discord(standin):
            bot: Any = await _make_client(bot_factory, standin)
            standin.bot = bot
            if fast_ready:
                bot._connection.guild_ready_timeout = min(bot._connection.guild_ready_timeout, 0.05)
            install_loopback_guard(bot, standin)
            task: asyncio.Task[None] = asyncio.create_task(bot.start(token or standin.token), name="standin-bot")
            try:
                await _wait_ready(bot, task, standin, ready_timeout)
                yield bot, standin
                await _settle(standin)
            finally:
                await _close(bot, task)
                standin.bot = None
    finally:
        for logger in loggers:
            logger.removeHandler(capture)
        if owns:
            await standin.stop()
    if strict:
        standin.assert_clean()


async def _wait_ready(bot: discord.Client, task: asyncio.Task[None], standin: DiscordStandIn, timeout: float) -> None:
    ready = asyncio.create_task(bot.wait_until_ready())
    done, _ = await asyncio.wait({task, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    if ready not in done:
        ready.cancel()
        if task in done:
            exc = task.exception()
            if exc is None:
                raise RuntimeError(standin.report("bot.start() returned before the bot was ready"))
            exc.add_note(standin.report("bot.start() failed before the bot was ready (discord stand-in)"))
            raise exc
        raise TimeoutError(standin.report(f"bot not ready after {timeout}s"))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 2.0
    while missing := _missing_guilds(bot, standin):
        if loop.time() > deadline:
            raise TimeoutError(standin.report(f"bot is ready but never received guild(s) {missing}"))
        await asyncio.sleep(0.01)


def _missing_guilds(bot: discord.Client, standin: DiscordStandIn) -> list[int]:
    """The primary guild, and other guilds (``add_guild``) a ready connection of the bot owns, that
    discord.py has not loaded yet."""
    shards = [c.identify.get("shard") for c in standin.connections if c.ready and not c.closed and c.identify]
    wanted = [standin.guild.id] + [
        g for g in standin.guilds if g != standin.guild.id and any(owns(shard, g) for shard in shards)
    ]
    return [g for g in wanted if (found := bot.get_guild(g)) is None or found.unavailable]


async def _settle(standin: DiscordStandIn, timeout: float = 2.0) -> None:
    """Let requests the bot already started finish before it is closed (avoids spurious errors)."""
    await asyncio.sleep(0)
    with contextlib.suppress(AssertionError):
        await standin.wait_until(lambda: all(r.done for r in standin.requests), timeout=timeout)

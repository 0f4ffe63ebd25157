"""The bot's background upkeep of the knowledge base, so moderators never restart it.

- poll `Moderation.refresh()` every few seconds: a `roadmap-bot kb reload` run in another process
  (or on another host sharing the index folder) goes live here without a command;
- with WATCH_KNOWLEDGE, reload automatically (debounced) when files under knowledge/ change;
- purge question logs past their retention at start and then daily.

Blocking work runs in threads so the gateway heartbeat never waits on it. A failure is logged and the
loop carries on: upkeep must never take the bot down. Discord-free, so it is tested directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from bot.core.moderation import Moderation, ReloadResult
from bot.core.moderation.watcher import watch_knowledge

log = logging.getLogger(__name__)

REFRESH_SECONDS = 5.0
PURGE_SECONDS = 24 * 60 * 60.0
WATCH_DEBOUNCE_MS = 1600
WATCH_RETRY_SECONDS = (5.0, 300.0)  # first and longest wait before restarting a watcher that failed
STOP_GRACE_SECONDS = 5.0  # an in-flight reload may finish; after this the tasks are cancelled


class ModerationTasks:
    """Starts the loops with `start()`; `stop()` ends them (idempotent; safe if never started)."""

    def __init__(
        self,
        moderation: Moderation,
        *,
        watch: bool = False,
        refresh_seconds: float = REFRESH_SECONDS,
        purge_seconds: float = PURGE_SECONDS,
        debounce_ms: int = WATCH_DEBOUNCE_MS,
    ) -> None:
        self.moderation = moderation
        self.watch = watch
        self.refresh_seconds = refresh_seconds
        self.purge_seconds = purge_seconds
        self.debounce_ms = debounce_ms
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def running(self) -> bool:
        return any(not t.done() for t in self._tasks)

    def start(self) -> None:
        if self._tasks:
            return
        self._stop.clear()
        refresh = self._every(self.refresh_seconds, "refresh", self.moderation.refresh, first_delay=True)
        self._spawn("kb-refresh", refresh)
        self._spawn("kb-purge", self._every(self.purge_seconds, "purge", self.moderation.purge_expired))
        if self.watch:
            self._spawn("kb-watch", self._watch())

    async def stop(self) -> None:
        self._stop.set()
        tasks, self._tasks = self._tasks, []
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=STOP_GRACE_SECONDS)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    def _spawn(self, name: str, coro: Coroutine[Any, Any, None]) -> None:
        self._tasks.append(asyncio.get_running_loop().create_task(coro, name=name))

    async def _sleep(self, seconds: float) -> bool:
        """Wait `seconds` unless stopped first; True when it is time to stop."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)
        return self._stop.is_set()

    async def _every(self, seconds: float, what: str, func: Callable[[], object], *, first_delay: bool = False) -> None:
        """Run `func` in a thread every `seconds`; a traceback is logged once per run of failures."""
        failing = False
        if first_delay and await self._sleep(seconds):
            return
        while not self._stop.is_set():
            try:
                await asyncio.to_thread(func)
            except Exception:
                if not failing:
                    log.exception("Background %s failed; retrying every %g s", what, seconds)
                failing = True
            else:
                if failing:
                    log.info("Background %s works again", what)
                failing = False
            if await self._sleep(seconds):
                return

    async def _watch(self) -> None:
        """Keep a watcher running; if it dies (folder gone, inotify limit), restart it with back-off."""
        delay, longest = WATCH_RETRY_SECONDS
        while not self._stop.is_set():
            try:
                await watch_knowledge(
                    self.moderation, self._stop, debounce_ms=self.debounce_ms, on_reload=log_watch_reload
                )
            except Exception:
                log.exception("Watching the knowledge folder failed; retrying in %.0f s", delay)
            else:
                if self._stop.is_set():
                    return
                log.warning("Watching the knowledge folder ended unexpectedly; retrying in %.0f s", delay)
            if await self._sleep(delay):
                return
            delay = min(delay * 2, longest)


async def log_watch_reload(result: ReloadResult) -> None:
    """The watcher already warns about problems; say when an edit went live, for the operator's log."""
    if result.ok:
        log.info(
            "Knowledge changed: build %s live after %.2f s (%d embedded)",
            result.build_id,
            result.seconds,
            result.embedded,
        )

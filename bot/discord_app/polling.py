"""One background loop per job that checks the database every few seconds (reminders, the digest).

The first check runs as soon as the bot is connected, so work that fell due during downtime goes out
then. A failing check is logged once per run of failures and the loop carries on: a background job
must never take the bot down, nor flood the log while the database is away.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid

import discord

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 5.0  # an in-flight check may finish; after this the task is cancelled


def worker_name() -> str:
    """Unique per loop: two bots in one process must not share a claim."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class PollingLoop:
    """`start()` runs the loop, `stop()` ends it (idempotent), `check()` is one round (tests call it)."""

    what = "a background check"

    def __init__(self, client: discord.Client, poll_seconds: float) -> None:
        self.client = client
        self.poll_seconds = poll_seconds
        self.worker = worker_name()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    async def check(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        if self._task is None:
            self._stop.clear()
            self._task = asyncio.get_running_loop().create_task(self._loop(), name=type(self).__name__)

    async def stop(self) -> None:
        self._stop.set()
        task, self._task = self._task, None
        if task is None:
            return
        _, pending = await asyncio.wait({task}, timeout=STOP_GRACE_SECONDS)
        for left in pending:
            left.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def _loop(self) -> None:
        await self.client.wait_until_ready()
        failing = False
        while not self._stop.is_set():
            try:
                await self.check()
            except Exception:
                if not failing:
                    log.exception("%s failed; retrying every %g s", self.what.capitalize(), self.poll_seconds)
                failing = True
            else:
                if failing:
                    log.info("%s works again", self.what.capitalize())
                failing = False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.poll_seconds)

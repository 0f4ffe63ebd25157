"""Event-loop health: 20 questions at once must not stall the loop (the gateway heartbeat shares it)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from discord_standin import DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, DiscordStandIn, running_bot

from bot.discord_app.client import RoadmapBot

QUESTIONS = [
    "How often do I feed a sourdough starter?",
    "Which flour should I use?",
    "When is the best time to look at the night sky?",
    "How much air should my bicycle tyres have?",
    "What is the capital of Peru?",
]
MAX_LAG = 0.100


class LagMonitor:
    """Sleeps 10 ms in a loop and records how late each wake-up is: the loop's worst stall."""

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.worst = 0.0
        self.samples = 0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(self.interval)
            self.worst = max(self.worst, time.perf_counter() - started - self.interval)
            self.samples += 1

    def __enter__(self) -> LagMonitor:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def test_twenty_concurrent_questions_keep_the_loop_responsive(
    make_bot: Callable[[DiscordStandIn], RoadmapBot], standin: DiscordStandIn
) -> None:
    askers = [standin.add_user(f"asker{n}") for n in range(20)]  # one each: no cooldown in the way
    async with running_bot(make_bot, standin, capture_loggers=("discord", "bot")) as (_, standin):
        payloads = [
            standin.slash("ask", {"question": QUESTIONS[n % len(QUESTIONS)]}, user=user)
            for n, user in enumerate(askers)
        ]
        with LagMonitor() as monitor:
            started = time.perf_counter()
            records = await asyncio.gather(*(standin.interact(p) for p in payloads))
            callbacks = await asyncio.gather(*(r.response() for r in records))
            answers = await asyncio.gather(*(r.followup(timeout=30) for r in records))
            elapsed = time.perf_counter() - started
        assert all(c.callback_type == DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE for c in callbacks)
        assert all(r.callback is not None and r.callback.at - r.dispatched_at < 3 for r in records)
        assert len(answers) == 20 and all(a.ok and a.embed["description"] for a in answers)
        print(f"\n20 concurrent /ask: {elapsed:.2f} s, max loop lag {monitor.worst * 1000:.1f} ms")
        assert monitor.samples > 10
        assert monitor.worst < MAX_LAG, f"event loop stalled {monitor.worst * 1000:.0f} ms"

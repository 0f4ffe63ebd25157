"""Event-loop health: core work (model, search, database) runs off the loop that carries the gateway
heartbeat. Proven by construction, not by timing: a core call that cannot finish until the loop has
ticked would deadlock if it ran on the loop, and times out instead of passing."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest
from discord_standin import DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, DiscordStandIn, running_bot

from bot.core.service import Services
from bot.discord_app.client import RoadmapBot

QUESTIONS = [
    "How often do I feed a sourdough starter?",
    "Which flour should I use?",
    "When is the best time to look at the night sky?",
    "How much air should my bicycle tyres have?",
    "What is the capital of Peru?",
]
DEADLOCK_SECONDS = 30


class LoopProof:
    """Blocks a core call until the event loop has run `ticks` times after the call began."""

    def __init__(self, ticks: int = 5) -> None:
        self.ticks = ticks
        self.began = threading.Event()
        self.released = threading.Event()

    def wait_in_core(self) -> None:
        self.began.set()
        assert self.released.wait(DEADLOCK_SECONDS), "the loop never ran while a core call was in progress"

    async def tick(self) -> None:
        while not self.began.is_set():
            await asyncio.sleep(0.005)
        for _ in range(self.ticks):
            await asyncio.sleep(0)
        self.released.set()


async def test_the_loop_keeps_running_while_the_core_answers(
    make_bot: Callable[[DiscordStandIn], RoadmapBot],
    standin: DiscordStandIn,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    proof = LoopProof()
    answer_batch = services.advisor._answer_requests
    log_answer = services.log_answer

    def slow_batch(requests: Any) -> Any:
        proof.wait_in_core()  # in the advisor's batch thread
        return answer_batch(requests)

    monkeypatch.setattr(services.advisor, "_answer_requests", slow_batch)
    async with running_bot(make_bot, standin) as (_, standin):
        ticking = asyncio.get_running_loop().create_task(proof.tick())
        record = await standin.interact(standin.slash("ask", {"question": QUESTIONS[0]}))
        answer = await record.followup(timeout=DEADLOCK_SECONDS + 5)
        await ticking
        assert answer.ok and "Feed the starter every day" in answer.embed["description"]

        # The database write after the answer runs off the loop as well.
        proof = LoopProof()
        monkeypatch.setattr(services, "log_answer", lambda *a: (proof.wait_in_core(), log_answer(*a))[1])
        monkeypatch.setattr(services.advisor, "_answer_requests", answer_batch)
        ticking = asyncio.get_running_loop().create_task(proof.tick())
        record = await standin.interact(standin.slash("ask", {"question": QUESTIONS[1]}))
        assert (await record.followup(timeout=DEADLOCK_SECONDS + 5)).ok
        await ticking


async def test_twenty_concurrent_questions_are_all_answered(
    make_bot: Callable[[DiscordStandIn], RoadmapBot], standin: DiscordStandIn, services: Services
) -> None:
    askers = [standin.add_user(f"asker{n}") for n in range(20)]  # one each: no cooldown in the way
    async with running_bot(make_bot, standin, capture_loggers=("discord", "bot")) as (_, standin):
        payloads = [
            standin.slash("ask", {"question": QUESTIONS[n % len(QUESTIONS)]}, user=user)
            for n, user in enumerate(askers)
        ]
        records = await asyncio.gather(*(standin.interact(p) for p in payloads))
        callbacks = await asyncio.gather(*(r.response() for r in records))
        answers = await asyncio.gather(*(r.followup(timeout=60) for r in records))
        assert all(c.callback_type == DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE for c in callbacks)
        assert len(answers) == 20 and all(a.ok and a.embed["description"] for a in answers)
        batcher = services.advisor._batcher
        assert batcher is not None and batcher.items >= 20  # all went through the micro-batcher

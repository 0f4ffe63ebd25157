"""The bot's background upkeep (ModerationTasks): watcher reloads, daily purge, and surviving failures.

Discord-free: the tasks are driven directly on a private copy of the small knowledge folder and index.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

import pytest
from sqlmodel import select

from bot.core.moderation import Moderation
from bot.core.service import Services
from bot.core.store import QuestionLog, log_question, reading, transaction, utcnow
from bot.discord_app.moderation_tasks import ModerationTasks
from bot.settings import Settings


@pytest.fixture
def settings(private_settings: Settings) -> Settings:
    """These tests edit knowledge/, so every fixture built on `settings` uses a private copy."""
    return private_settings


async def poll_until(condition: Callable[[], bool], timeout: float) -> float:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "timed out"
        await asyncio.sleep(0.02)
    return time.monotonic() - started


def question_count(services: Services) -> int:
    with reading(services.engine) as session:
        return len(list(session.exec(select(QuestionLog))))


async def test_watcher_reloads_an_edit_and_purge_runs_at_start(services: Services, settings: Settings) -> None:
    services.advisor.ensure_index()
    before = services.advisor.loaded_index.artifacts.manifest.build_id  # type: ignore[union-attr]
    with transaction(services.engine) as session:
        log_question("42", "an old question", 0.1, True, session=session, now=utcnow() - timedelta(days=400))
    tasks = ModerationTasks(services.moderation, watch=True, refresh_seconds=60, debounce_ms=300)
    tasks.start()
    try:
        await poll_until(lambda: question_count(services) == 0, timeout=5)  # purged at start
        await asyncio.sleep(0.5)  # the watcher registers its inotify watches
        sky = settings.knowledge_dir / "faq" / "best-night-sky.md"
        sky.write_text(sky.read_text().replace("Moonless nights", "Dark moonless nights"))
        took = await poll_until(
            lambda: services.advisor.loaded_index.artifacts.manifest.build_id != before,  # type: ignore[union-attr]
            timeout=15,
        )
        print(f"\nwatcher: edit live after {took:.2f} s")
    finally:
        await tasks.stop()
    assert not tasks.running
    assert [(e.actor, e.action) for e in services.moderation.audit()] == [("watcher", "reload")]


class Broken:
    """A Moderation whose every call fails: the loops must log and carry on, not die."""

    def __init__(self) -> None:
        self.calls = 0

    def refresh(self) -> bool:
        self.calls += 1
        raise RuntimeError("disk on fire")

    def purge_expired(self) -> int:
        raise RuntimeError("database locked")


async def test_failures_are_logged_once_and_the_loops_keep_going(caplog: pytest.LogCaptureFixture) -> None:
    broken = Broken()
    tasks = ModerationTasks(cast(Moderation, broken), refresh_seconds=0.02, purge_seconds=60)
    with caplog.at_level(logging.INFO, logger="bot.discord_app.moderation_tasks"):
        tasks.start()
        await poll_until(lambda: broken.calls >= 5, timeout=5)
        assert tasks.running
        started = time.monotonic()
        await tasks.stop()
        assert time.monotonic() - started < 1 and not tasks.running
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert sorted(errors) == [
        "Background purge failed; retrying every 60 s",
        "Background refresh failed; retrying every 0.02 s",
    ]
    await tasks.stop()  # idempotent


async def test_tasks_stop_even_if_never_started() -> None:
    tasks = ModerationTasks(cast(Any, object()))
    await tasks.stop()
    assert not tasks.running

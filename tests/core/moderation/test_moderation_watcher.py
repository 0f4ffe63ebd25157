"""The watcher reloads within seconds of an edit, ignores temporary files, and stops on request."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from bot.core.moderation.models import ReloadResult
from bot.core.moderation.watcher import watch_knowledge
from bot.core.service import Services


async def wait_for(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_watcher_reloads_after_an_edit(services: Services) -> None:
    moderation = services.moderation
    knowledge = moderation.knowledge_dir
    results: list[ReloadResult] = []

    async def on_reload(result: ReloadResult) -> None:
        results.append(result)

    stop = asyncio.Event()
    task = asyncio.create_task(watch_knowledge(moderation, stop, debounce_ms=1000, step_ms=200, on_reload=on_reload))
    await asyncio.sleep(0.5)  # the watcher registers its inotify watches

    (knowledge / "faq" / ".scratch.tmp").write_text("an editor's temporary file")
    (knowledge / "faq" / "notes.md~").write_text("a backup file")
    await asyncio.sleep(0.8)
    assert results == []

    sky = knowledge / "faq" / "best-night-sky.md"
    edited = time.monotonic()
    sky.write_text(sky.read_text().replace("Moonless nights", "Dark moonless nights"))
    await wait_for(lambda: bool(results), timeout=20)
    print(f"\nwatcher: edit live after {time.monotonic() - edited:.2f} s")
    assert results[0].ok and results[0].actor == "watcher"
    answer = await asyncio.to_thread(services.ask, "When is the best time to look at the night sky?")
    assert answer.body.startswith("Dark moonless nights")

    sky.write_text(sky.read_text().replace("id: best-night-sky", "id: Best Night Sky"))
    await wait_for(lambda: len(results) == 2, timeout=20)
    assert not results[1].ok and results[1].problems[0].startswith("faq/best-night-sky.md:2:")

    stop.set()
    await asyncio.wait_for(task, timeout=10)
    assert [e.action for e in moderation.audit()] == ["reload", "reload"]

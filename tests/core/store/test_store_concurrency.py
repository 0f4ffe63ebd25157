"""Concurrent writers (processes and threads) on one SQLite file lose nothing."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from bot.core.knowledge.models import Roadmap
from bot.core.roadmap.service import RoadmapService
from bot.core.store.activity import log_question
from bot.core.store.db import open_store, reading, transaction
from bot.core.store.models import Goal, QuestionLog, StepStatus

WRITERS = 4
WRITES = 25


def big_roadmap(steps: int = WRITERS * WRITES) -> Roadmap:
    return Roadmap.model_validate(
        {
            "id": "big",
            "title": "Big",
            "summary": "Many independent steps.",
            "stages": [{"id": "only", "title": "Only"}],
            "steps": [
                {
                    "id": f"step-{i}",
                    "title": f"Step {i}",
                    "stage": "only",
                    "summary": "s",
                    "learn": ["x"],
                    "done_when": ["y"],
                    "effort_hours": 1,
                }
                for i in range(steps)
            ],
        }
    )


def writer(url: str, worker: int) -> None:
    """One process: opens (and races to migrate) the store, then writes on a member shared with the others."""
    engine = open_store(url)
    roadmap = big_roadmap()
    service = RoadmapService(engine, lambda: [roadmap])
    for i in range(WRITES):
        # The first write of every process races to create the shared member's goal.
        service.set_status("shared-member", f"step-{worker * WRITES + i}", StepStatus.DONE)
        with transaction(engine) as session:
            log_question(f"asker-{worker}", f"question {worker}-{i}", 0.5, False, session=session)
    engine.dispose()


def test_processes_lose_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'race.db'}"
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=writer, args=(url, w)) for w in range(WRITERS)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * WRITERS
    engine = open_store(url)
    roadmap = big_roadmap()
    progress = RoadmapService(engine, lambda: [roadmap]).progress("shared-member")
    assert progress.done == progress.total == WRITERS * WRITES
    with reading(engine) as session:
        assert session.exec(select(func.count()).select_from(QuestionLog)).one() == WRITERS * WRITES
        assert len(session.exec(select(Goal)).all()) == 1
    engine.dispose()


def test_threads_lose_nothing(tmp_path: Path) -> None:
    engine = open_store(f"sqlite:///{tmp_path / 'threads.db'}")
    roadmap = big_roadmap(8 * WRITES)
    service = RoadmapService(engine, lambda: [roadmap])

    def work(worker: int) -> None:
        for i in range(WRITES):
            service.set_status("threaded", f"step-{worker * WRITES + i}", StepStatus.IN_PROGRESS)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(work, range(8)))
    assert service.progress("threaded").in_progress == 8 * WRITES
    engine.dispose()

"""Concurrent writers (processes and threads) on one store lose nothing: on a SQLite file and on PostgreSQL.

Several bot processes (and the CLI) share one database: they race to migrate it, to create a member's
goal, to switch goals, to mark steps, and to vote on the same answers.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.synchronize import Barrier

from sqlalchemy import func
from sqlmodel import col, select

from bot.core.knowledge.models import Roadmap
from bot.core.roadmap.service import RoadmapService
from bot.core.store.activity import VoteResult, log_question, record_vote
from bot.core.store.db import current_revision, head_revision, open_store, reading, transaction, utcnow
from bot.core.store.goals import save_goal
from bot.core.store.models import AnswerFeedback, Goal, QuestionLog, StepStatus

WRITERS = 4
WRITES = 25
QUESTIONS = WRITERS * WRITES


def big_roadmap(steps: int = WRITERS * WRITES, roadmap_id: str = "big") -> Roadmap:
    return Roadmap.model_validate(
        {
            "id": roadmap_id,
            "title": roadmap_id.title(),
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


def writer(url: str, worker: int, barrier: Barrier, results: multiprocessing.Queue[tuple[int, str, int]]) -> None:
    """One process: opens (and races to migrate) the store, then writes where the others write too."""
    engine = open_store(url)
    roadmap = big_roadmap()
    service = RoadmapService(engine, lambda: [roadmap])
    for i in range(WRITES):
        # The first write of every process races to create the shared member's goal.
        service.set_status("shared-member", f"step-{worker * WRITES + i}", StepStatus.DONE)
        with transaction(engine) as session:
            log_question(f"asker-{worker}", f"question {worker}-{i}", 0.5, False, session=session)
        with transaction(engine) as session:
            # Every process creates and switches between the same member's goals on four roadmaps.
            save_goal(
                "switcher", f"road-{(worker + i) % WRITERS}", target_date=None, note=None, session=session, now=utcnow()
            )
    barrier.wait(timeout=60)  # every question is logged: now all vote on all of them
    with reading(engine) as session:
        question_ids = list(session.exec(select(QuestionLog.id)))
    recorded = {"own": 0, "shared": 0}
    for question_id in question_ids:
        assert question_id is not None
        for voter, key in ((f"voter-{worker}", "own"), ("shared-voter", "shared")):
            with transaction(engine) as session:
                if record_vote(question_id, voter, worker % 2 == 0, session=session) is VoteResult.RECORDED:
                    recorded[key] += 1
    for key, count in recorded.items():
        results.put((worker, key, count))
    engine.dispose()


def test_processes_lose_nothing(store_url: str) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WRITERS)
    results: multiprocessing.Queue[tuple[int, str, int]] = context.Queue()
    processes = [context.Process(target=writer, args=(store_url, w, barrier, results)) for w in range(WRITERS)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=300)
    assert [p.exitcode for p in processes] == [0] * WRITERS
    counts = [results.get(timeout=5) for _ in range(2 * WRITERS)]

    engine = open_store(store_url)
    assert current_revision(engine) == head_revision()
    roadmap = big_roadmap()
    progress = RoadmapService(engine, lambda: [roadmap]).progress("shared-member")
    assert progress.done == progress.total == WRITERS * WRITES
    with reading(engine) as session:
        assert session.exec(select(func.count()).select_from(QuestionLog)).one() == QUESTIONS
        assert len(session.exec(select(Goal).where(Goal.user_id == "shared-member")).all()) == 1
        switcher = session.exec(select(Goal).where(Goal.user_id == "switcher")).all()
        assert sorted(g.roadmap_id for g in switcher) == [f"road-{n}" for n in range(WRITERS)]
        assert sum(g.active for g in switcher) == 1
        # Every process's own votes are all kept; the one voter all processes share voted once per answer.
        for worker in range(WRITERS):
            own = select(func.count()).where(col(AnswerFeedback.user_id) == f"voter-{worker}")
            assert session.exec(own).one() == QUESTIONS
        shared = select(func.count()).where(col(AnswerFeedback.user_id) == "shared-voter")
        assert session.exec(shared).one() == QUESTIONS
    assert sorted(c for _, key, c in counts if key == "own") == [QUESTIONS] * WRITERS
    assert sum(c for _, key, c in counts if key == "shared") == QUESTIONS
    engine.dispose()


def test_threads_lose_nothing(store_url: str) -> None:
    engine = open_store(store_url)
    common = f"step-{8 * WRITES}"
    roadmap = big_roadmap(8 * WRITES + 1)
    service = RoadmapService(engine, lambda: [roadmap])

    def work(worker: int) -> None:
        for i in range(WRITES):
            # Every thread also writes one step all of them write: the row is created once, never twice.
            service.set_status("threaded", common, StepStatus.DONE if i % 2 else StepStatus.SKIPPED)
            service.set_status("threaded", f"step-{worker * WRITES + i}", StepStatus.IN_PROGRESS)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(work, range(8)))
    progress = service.progress("threaded")
    assert progress.in_progress == 8 * WRITES
    assert progress.done == 1  # done and skipped both close a step
    engine.dispose()

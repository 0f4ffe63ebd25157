"""Two bot processes over one PostgreSQL database and one knowledge/index volume stay consistent.

Each process builds its core the way `roadmap-bot run` does (Settings -> open_services). One adds a FAQ
entry the way `/kb faq-add` does (which rebuilds and makes the new index live); the other adopts that
build by polling, without rebuilding, and answers from it. Meanwhile both write progress, questions and
votes to the shared database: nothing either wrote is lost.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path
from typing import Any

from kb_fixtures import SMALL_DECISION
from pg_server import PostgresServer
from sqlalchemy import func
from sqlmodel import col, select

from bot.core.store import open_store, reading
from bot.core.store.models import AnswerFeedback, QuestionLog, StepStatus
from bot.settings import Settings
from bot.wiring import open_services

QUESTION = "How do I keep a proofing basket from sticking?"
ANSWER = "Dust the basket with rice flour before the dough goes in; rice flour does not turn to glue."
ROUNDS = 20
STEPS = ["starter", "first-loaf", "stargazing"]


def settings_for(root: Path, url: str) -> Settings:
    return Settings(
        knowledge_dir=root / "knowledge",
        index_dir=root / "index",
        database_url=url,
        decision_file=SMALL_DECISION,
        serving_threads=1,
        _env_file=None,  # type: ignore[call-arg]
    )


def bot_process(
    role: str, root: Path, url: str, added: Event, barrier: Barrier, results: multiprocessing.Queue[Any]
) -> None:
    """One bot: role "editor" adds the FAQ entry, role "reader" adopts the other's build."""
    with open_services(settings_for(root, url)) as services:
        services.advisor.ensure_index()
        first_build = services.advisor.live_build_id()
        barrier.wait(timeout=120)  # both serve the same first build
        if role == "editor":
            change = services.moderation.add_faq("mod-1", QUESTION, ANSWER, "baking")
            results.put((role, "added", change.ok))
            added.set()
        else:
            assert added.wait(timeout=300)
            adopted = services.moderation.refresh()
            answer = services.ask(QUESTION)
            results.put((role, "adopted", adopted, services.advisor.live_build_id() != first_build))
            results.put((role, "answer", answer.abstained, answer.body))
            assert services.advisor.stale_reason() is None  # adopted, so nothing left to rebuild
        # Both write to the same member's roadmap and log questions, then vote on every logged answer.
        member = "shared-member"
        for i in range(ROUNDS):
            step = STEPS[i % len(STEPS)]
            services.roadmaps.set_status(member, step, StepStatus.IN_PROGRESS)
            services.ask_logged(f"{role} question {i}: which flour for sourdough?", f"asker-{role}")
        services.roadmaps.set_status(f"member-{role}", "starter", StepStatus.DONE)
        barrier.wait(timeout=120)
        with reading(services.engine) as session:
            ids = [i for i in session.exec(select(QuestionLog.id)) if i is not None]
        kept = sum(services.vote(i, f"voter-{role}", True).name == "RECORDED" for i in ids)
        shared = sum(services.vote(i, "shared-voter", role == "editor").name == "RECORDED" for i in ids)
        results.put((role, "votes", kept, shared))


def test_two_processes_share_a_reload_and_lose_no_writes(
    tmp_path: Path, private_built: tuple[Path, Path], pg_server: PostgresServer
) -> None:
    url = pg_server.create_database()
    context = multiprocessing.get_context("spawn")
    added, barrier = context.Event(), context.Barrier(2)
    results: multiprocessing.Queue[Any] = context.Queue()
    processes = [
        context.Process(target=bot_process, args=(role, tmp_path, url, added, barrier, results))
        for role in ("editor", "reader")
    ]
    try:
        for p in processes:
            p.start()
        for p in processes:
            p.join(timeout=600)
        assert [p.exitcode for p in processes] == [0, 0]
        got = {(r[0], r[1]): r[2:] for r in (results.get(timeout=5) for _ in range(5))}

        assert got["editor", "added"] == (True,)
        assert got["reader", "adopted"] == (True, True)
        abstained, body = got["reader", "answer"]
        assert not abstained and "rice flour" in body
        assert (tmp_path / "knowledge" / "faq").joinpath("how-do-i-keep-a-proofing-basket-from-sticking.md").exists()

        engine = open_store(url)
        with reading(engine) as session:
            logged = session.exec(select(func.count()).select_from(QuestionLog)).one()
            assert logged == 2 * ROUNDS  # every question both processes logged
            for role in ("editor", "reader"):
                own = select(func.count()).where(col(AnswerFeedback.user_id) == f"voter-{role}")
                assert session.exec(own).one() == logged
            shared = select(func.count()).where(col(AnswerFeedback.user_id) == "shared-voter")
            assert session.exec(shared).one() == logged  # one vote per answer, whichever process won
        assert got["editor", "votes"][0] == got["reader", "votes"][0] == logged
        assert got["editor", "votes"][1] + got["reader", "votes"][1] == logged
        with open_services(settings_for(tmp_path, url)) as services:
            progress = services.roadmaps.progress("shared-member")
            assert progress.in_progress == len(STEPS)
            for role in ("editor", "reader"):
                assert services.roadmaps.progress(f"member-{role}").done == 1
        engine.dispose()
    finally:
        for p in processes:
            if p.is_alive():
                p.kill()
        pg_server.drop_database(url)

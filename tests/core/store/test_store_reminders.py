"""Claiming due reminders is atomic on both engines: processes checking at the same moment never get
the same reminder, so no member is sent one twice; a claim is held until finished, by its holder."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta
from multiprocessing.synchronize import Barrier

from sqlalchemy import Engine
from sqlmodel import select

from bot.core.store import engagement as store
from bot.core.store.db import open_store, reading, transaction
from bot.core.store.models import Reminder

NOW = datetime(2030, 1, 1, 12, tzinfo=UTC)
LEASE = timedelta(minutes=10)
PROCESSES = 3
REMINDERS = 120


def _schedule(engine: Engine, count: int) -> None:
    with transaction(engine) as session:
        for n in range(count):
            due = NOW - timedelta(minutes=n % 7)
            store.schedule(f"member-{n}", store.ROUTINE, store.ROUTINE, due, session=session, now=NOW)


def sender(url: str, worker: str, barrier: Barrier, results: multiprocessing.Queue[tuple[str, list[str]]]) -> None:
    """One bot process: claims small batches until nothing is due, 'sends' each, then moves it on."""
    engine = open_store(url)
    sent: list[str] = []
    barrier.wait(timeout=60)  # all processes start checking at the same moment
    while True:
        with transaction(engine) as session:
            claimed = store.claim_due(worker, session=session, now=NOW, limit=4, lease=LEASE)
        if not claimed:
            break
        for row in claimed:
            assert row.id is not None
            sent.append(row.user_id)
            with transaction(engine) as session:
                assert store.finish(row.id, worker, session=session, next_due=NOW + timedelta(days=1))
    results.put((worker, sent))
    engine.dispose()


def test_two_processes_never_send_the_same_reminder(store_url: str) -> None:
    engine = open_store(store_url)
    _schedule(engine, REMINDERS)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    results: multiprocessing.Queue[tuple[str, list[str]]] = context.Queue()
    workers = [f"process-{n}" for n in range(PROCESSES)]
    processes = [context.Process(target=sender, args=(store_url, w, barrier, results)) for w in workers]
    for p in processes:
        p.start()
    collected = dict(results.get(timeout=300) for _ in workers)
    for p in processes:
        p.join(timeout=60)
    assert [p.exitcode for p in processes] == [0] * PROCESSES
    everything = [member for sent in collected.values() for member in sent]
    assert sorted(everything) == sorted(f"member-{n}" for n in range(REMINDERS))  # each exactly once
    with reading(engine) as session:
        rows = list(session.exec(select(Reminder)))
    assert len(rows) == REMINDERS and all(r.claimed_by is None and r.due_at > NOW for r in rows)
    engine.dispose()


def test_a_claim_belongs_to_its_holder_until_its_lease_runs_out(engine: Engine) -> None:
    _schedule(engine, 3)
    with transaction(engine) as session:
        first = store.claim_due("a", session=session, now=NOW, limit=2, lease=LEASE)
    with transaction(engine) as session:
        rest = store.claim_due("b", session=session, now=NOW, limit=10, lease=LEASE)
    assert len(first) == 2 and len(rest) == 1 and {r.id for r in first}.isdisjoint({r.id for r in rest})
    assert first[0].id is not None and rest[0].id is not None
    with transaction(engine) as session:
        assert not store.finish(first[0].id, "b", session=session, next_due=None)  # not b's to finish
        store.release(rest[0].id, "b", session=session)
    with transaction(engine) as session:
        assert [r.id for r in store.claim_due("c", session=session, now=NOW, limit=10, lease=LEASE)] == [rest[0].id]
    later = NOW + LEASE + timedelta(seconds=1)
    with transaction(engine) as session:  # a's process died: after the lease, its claims are taken over
        taken = store.claim_due("d", session=session, now=later, limit=10, lease=LEASE)
    assert {r.id for r in taken} == {r.id for r in first} | {rest[0].id}
    with transaction(engine) as session:
        assert not store.finish(first[0].id, "a", session=session, next_due=None)
        assert store.finish(first[0].id, "d", session=session, next_due=None)
    with reading(engine) as session:
        assert len(list(session.exec(select(Reminder)))) == 2

"""Micro-batching: questions arriving together share one run; each caller gets its own result."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from bot.core.batching import BatcherClosed, MicroBatcher


def test_items_waiting_while_a_batch_runs_form_the_next_batch() -> None:
    gate = threading.Event()
    seen: list[list[int]] = []

    def run(items: Sequence[int]) -> list[int]:
        seen.append(list(items))
        gate.wait(10)
        return [i * 10 for i in items]

    batcher: MicroBatcher[int, int] = MicroBatcher(run, window=0.0)
    first = batcher.submit(0)
    while not seen:  # the worker has taken the first item and is blocked in its batch
        threading.Event().wait(0.001)
    rest = [batcher.submit(n) for n in range(1, 40)]
    gate.set()
    assert first.result(10) == 0 and [f.result(10) for f in rest] == [n * 10 for n in range(1, 40)]
    assert seen[0] == [0] and seen[1] == list(range(1, 40))  # the 39 that queued went as one batch
    batcher.close()


def test_batches_are_capped_and_a_failure_reaches_every_caller_of_its_batch() -> None:
    gate = threading.Event()
    batches: list[list[str]] = []

    def run(items: Sequence[str]) -> list[str]:
        batches.append(list(items))
        gate.wait(10)
        if "bad" in items:
            raise ValueError("boom")
        return [s.upper() for s in items]

    batcher: MicroBatcher[str, str] = MicroBatcher(run, window=0.0, max_batch=4)
    first = batcher.submit("first")
    while not batches:
        threading.Event().wait(0.001)
    futures = [batcher.submit(s) for s in ["a", "b", "c", "d", "bad", "e"]]
    gate.set()
    assert first.result(10) == "FIRST"
    assert [f.result(10) for f in futures[:4]] == ["A", "B", "C", "D"]
    assert batches[1:] == [["a", "b", "c", "d"], ["bad", "e"]]
    for failed in futures[4:]:
        with pytest.raises(ValueError, match="boom"):
            failed.result(10)
    assert batcher.submit("z").result(10) == "Z"  # the worker survived the failure
    batcher.close()
    with pytest.raises(BatcherClosed):
        batcher.submit("after close")

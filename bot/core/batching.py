"""Micro-batching: questions that arrive together are encoded and searched together.

One batched encode of 64 questions costs a fraction of 64 single encodes, but callers (Discord
interactions, the console, `ask --batch`) arrive one at a time. A single worker thread takes the first
waiting question, gathers whatever else arrives within a few milliseconds (up to a batch's size), runs
them as one batch and hands each caller its own result. While a batch runs, newcomers queue and form
the next one, so under load batches grow by themselves and a lone question waits only the window.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

WINDOW_SECONDS = 0.002
MAX_BATCH = 64


class BatcherClosed(RuntimeError):
    """The batcher was closed; no more work is accepted."""


class MicroBatcher(Generic[T, R]):
    def __init__(
        self,
        run: Callable[[Sequence[T]], Sequence[R]],
        window: float = WINDOW_SECONDS,
        max_batch: int = MAX_BATCH,
        name: str = "micro-batcher",
    ) -> None:
        self._run = run
        self.window = window
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[tuple[T, Future[R]] | None] = queue.SimpleQueue()
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()
        self.batches = 0  # how many batches ran, and how many items in all (for benchmarks and tests)
        self.items = 0

    def submit(self, item: T) -> Future[R]:
        future: Future[R] = Future()
        with self._lock:
            if self._closed:
                raise BatcherClosed("the advisor is shutting down")
            self._queue.put((item, future))
        return future

    def __call__(self, item: T) -> R:
        """Blocking convenience for synchronous callers."""
        return self.submit(item).result()

    def close(self, timeout: float = 5.0) -> None:
        """Finish what is queued, then stop the worker."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(None)
        self._thread.join(timeout)

    def _gather(self, first: tuple[T, Future[R]]) -> tuple[list[tuple[T, Future[R]]], bool]:
        batch = [first]
        deadline = time.monotonic() + self.window
        while len(batch) < self.max_batch:
            try:
                remaining = deadline - time.monotonic()
                nxt = self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait()
            except queue.Empty:
                break
            if nxt is None:
                return batch, True
            batch.append(nxt)
        return batch, False

    def _loop(self) -> None:
        stop = False
        while not stop:
            first = self._queue.get()
            if first is None:
                break
            batch, stop = self._gather(first)
            live = [(item, future) for item, future in batch if future.set_running_or_notify_cancel()]
            if not live:
                continue
            self.batches += 1
            self.items += len(live)
            try:
                results = self._run([item for item, _ in live])
            except BaseException as exc:  # every caller learns of the failure; the worker lives on
                log.debug("A batch of %d failed: %s", len(live), exc)
                for _, future in live:
                    future.set_exception(exc)
                continue
            for (_, future), result in zip(live, results, strict=True):
                future.set_result(result)

"""How many cores other processes have left idle lately, so a burst of questions may use them.

A batch of 64 questions encoded on both cores of an idle two-core machine took 373 ms instead of 551 ms
on the one serving thread; next to a CPU-bound process it took 1,132 ms instead of 491 ms, the threads
fighting the other process for its core (docs/speed.md). So a burst widens only onto cores nobody
else was using since the last look: the machine's busy CPU time minus this process's own, over the
time between two looks (psutil reads both from the operating system).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

MIN_WINDOW = 0.25  # seconds: CPU times tick every 10 ms, so a shorter look says little


@dataclass(frozen=True)
class _Look:
    at: float  # monotonic seconds
    busy: float  # CPU seconds all processes spent, summed over cores
    own: float  # CPU seconds this process spent


class SpareCores:
    def __init__(self) -> None:
        import psutil

        self._psutil: Any = psutil
        self._process: Any = psutil.Process()
        self.cores = psutil.cpu_count() or 1
        self._lock = threading.Lock()
        self._last = self._look()
        self._idle = 0.0  # until a first window says otherwise, nothing is known to be idle

    def _look(self) -> _Look:
        machine = self._psutil.cpu_times()
        mine = self._process.cpu_times()
        busy = sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)
        return _Look(time.monotonic(), busy, mine.user + mine.system)

    def idle(self) -> float:
        """Cores other processes left idle since the previous look (a look under `MIN_WINDOW` after it
        repeats that estimate and keeps waiting for a longer window)."""
        with self._lock:
            now = self._look()
            wall = now.at - self._last.at
            if wall >= MIN_WINDOW:
                others = max(0.0, (now.busy - self._last.busy) - (now.own - self._last.own)) / wall
                self._idle = max(0.0, self.cores - others)
                self._last = now
            return self._idle

    def threads(self, serving: int, most: int) -> int:
        """Threads for a burst: the idle cores, rounded, at least `serving` and at most `most`."""
        return max(serving, min(most, int(self.idle() + 0.5)))

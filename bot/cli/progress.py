"""Progress of long operations (the first index build, rebuilds, reloads) on a terminal or in a log.

On a terminal: a live rich progress bar from the first moment (a spinner while the model loads and
the knowledge is read, then a bar with the rate and the time left while texts are embedded). In a
log or a pipe: a line per quarter, so a container log shows the build advancing without noise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

Notify = Callable[[str], None]
Advance = Callable[[int, int], None]


class RateColumn(ProgressColumn):
    """Texts embedded per second, once there is a rate to show."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.0f} texts/s" if task.speed else "", style="progress.data.speed")


class BuildProgress:
    """`notify(message)` for what is happening, `advance(done, total)` for embedding progress."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._quarters = 0

    def start(self) -> None:
        if not self.live or self._progress is not None:
            return
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeRemainingColumn(),
            console=Console(file=self.stream),
            transient=False,
        )
        self._progress.start()
        self._task = self._progress.add_task("Loading the model and reading the knowledge", total=None)

    def notify(self, message: str) -> None:
        if self.live:
            self.start()
            assert self._progress is not None
            self._progress.console.print(message)
        else:
            self.stream.write(message + "\n")
            self.stream.flush()

    def advance(self, done: int, total: int) -> None:
        if self.live:
            self.start()
            assert self._progress is not None and self._task is not None
            self._progress.update(self._task, description="Embedding passages and question anchors", total=total)
            self._progress.update(self._task, completed=done)
            return
        if done == total or done * 4 >= total * (self._quarters + 1):
            self._quarters = done * 4 // max(total, 1)
            self.stream.write(f"Embedding {done}/{total}\n")
            self.stream.flush()

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


@contextmanager
def build_progress(stream: TextIO) -> Iterator[BuildProgress]:
    progress = BuildProgress(stream)
    try:
        yield progress
    finally:
        progress.stop()

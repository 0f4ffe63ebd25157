"""Domain errors. Each carries a message fit to show a user; adapters decide how to show it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.text import shown


class RoadmapBotError(Exception):
    """Base of every error a user can cause; its message is safe and short."""


class InvalidInput(RoadmapBotError):
    """The user's input cannot be used as given (empty, too long, malformed)."""


class NotFound(RoadmapBotError):
    """An id that does not exist; carries the closest existing ids."""

    def __init__(self, kind: str, wanted: str, suggestions: list[str] | None = None) -> None:
        self.kind = kind
        self.wanted = wanted
        self.suggestions = suggestions or []
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"Unknown {kind} '{shown(wanted)}'.{hint}")


@dataclass(frozen=True)
class Problem:
    """One validation problem, located in a file, printed as `path:line: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        """`path:line: message`; a problem with the whole file (line 0) reads `path: message`."""
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


class KnowledgeInvalid(RoadmapBotError):
    """The knowledge folder failed validation; nothing was built or swapped."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"The knowledge folder has {len(problems)} problem(s):\n" + "\n".join(map(str, problems)))


class IndexUnavailable(RoadmapBotError):
    """The index on disk is missing, corrupt, or built by another model."""


class StoreUnavailable(RoadmapBotError):
    """The database in DATABASE_URL cannot be used: a malformed URL, a missing driver, a server that does
    not answer, a path that cannot be written. The message names what to fix, never the password."""


class CopyFailed(RoadmapBotError):
    """`db copy` stopped and nothing was copied: the target held rows, a row did not fit, or the counts
    per table disagreed. `counts` holds (table, rows in the source, rows in the target) when they were read."""

    def __init__(
        self, message: str, counts: list[tuple[str, int, int]] | None = None, *, target_not_empty: bool = False
    ) -> None:
        self.counts = counts or []
        self.target_not_empty = target_not_empty
        super().__init__(message)

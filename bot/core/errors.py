"""Domain errors. Each carries a message fit to show a user; adapters decide how to show it."""

from __future__ import annotations

from dataclasses import dataclass


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
        shown = wanted if len(wanted) <= 60 else wanted[:57] + "..."
        super().__init__(f"Unknown {kind} '{shown}'.{hint}")


@dataclass(frozen=True)
class Problem:
    """One validation problem, located in a file, printed as `path:line: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class KnowledgeInvalid(RoadmapBotError):
    """The knowledge folder failed validation; nothing was built or swapped."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"The knowledge folder has {len(problems)} problem(s):\n" + "\n".join(map(str, problems)))


class IndexUnavailable(RoadmapBotError):
    """The index on disk is missing, corrupt, or built by another model."""

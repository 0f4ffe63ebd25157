"""The next-step rule and the other pure questions about one roadmap and one member's statuses.

No store and no I/O here, so the rules are tested directly (including with generated roadmaps).
Statuses are keyed by current step id; a missing step is `todo`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.core.knowledge.models import Roadmap, RoadmapStep
from bot.core.store.models import StepStatus

StatusMap = Mapping[str, StepStatus]


@dataclass(frozen=True)
class StoredStatus:
    """What the store says about one step id (possibly a former id, possibly a vanished step)."""

    step_id: str
    status: StepStatus
    updated_at: datetime
    started_at: datetime | None = None
    completed_at: datetime | None = None


class RoadmapGraph:
    """A roadmap's steps indexed for the rules: ids, former ids, and prerequisites resolved to current ids."""

    def __init__(self, roadmap: Roadmap) -> None:
        self.roadmap = roadmap
        self.steps: list[RoadmapStep] = list(roadmap.steps)
        self.by_id: dict[str, RoadmapStep] = {s.id: s for s in self.steps}
        self.alias_of: dict[str, str] = {}
        for step in self.steps:
            for alias in step.aliases:
                if alias not in self.by_id:
                    self.alias_of.setdefault(alias, step.id)
        self.prerequisites: dict[str, list[str]] = {}
        for step in self.steps:
            resolved: list[str] = []
            for pre in step.prerequisites:
                current = self.resolve(pre)
                # A prerequisite that names no step cannot be met by anyone; ignoring it beats blocking forever.
                if current is not None and current != step.id and current not in resolved:
                    resolved.append(current)
            self.prerequisites[step.id] = resolved

    def resolve(self, step_id: str) -> str | None:
        """The current id of `step_id`, which may be a current id or a former one (alias)."""
        if step_id in self.by_id:
            return step_id
        return self.alias_of.get(step_id)

    def current_statuses(self, rows: Iterable[StoredStatus]) -> dict[str, StoredStatus]:
        """Map stored rows onto current steps: a row under the current id wins, else the newest former id.

        Rows of steps that vanished map to nothing: they stay in the store and are ignored here.
        """
        exact: dict[str, StoredStatus] = {}
        former: dict[str, StoredStatus] = {}
        for row in rows:
            if row.step_id in self.by_id:
                exact[row.step_id] = row
            elif (current := self.alias_of.get(row.step_id)) is not None:
                best = former.get(current)
                if best is None or row.updated_at > best.updated_at:
                    former[current] = row
        return {**former, **exact}

    @staticmethod
    def status_map(rows: Mapping[str, StoredStatus]) -> dict[str, StepStatus]:
        return {step_id: row.status for step_id, row in rows.items()}

    @staticmethod
    def status(statuses: StatusMap, step_id: str) -> StepStatus:
        return statuses.get(step_id, StepStatus.TODO)

    def open_prerequisites(self, step_id: str, statuses: StatusMap) -> list[str]:
        """Direct prerequisites that are neither done nor skipped."""
        return [p for p in self.prerequisites.get(step_id, []) if not self.status(statuses, p).closed]

    def open_ancestors(self, step_id: str, statuses: StatusMap) -> list[str]:
        """Open prerequisites, and theirs, in roadmap order; a closed step vouches for what lies below it."""
        found: set[str] = set()
        stack = self.open_prerequisites(step_id, statuses)
        while stack:
            current = stack.pop()
            if current in found:
                continue
            found.add(current)
            stack.extend(self.open_prerequisites(current, statuses))
        return [s.id for s in self.steps if s.id in found]

    def is_ready(self, step_id: str, statuses: StatusMap) -> bool:
        """Open itself, with every prerequisite done or skipped."""
        return not self.status(statuses, step_id).closed and not self.open_prerequisites(step_id, statuses)

    def next_steps(self, statuses: StatusMap, limit: int = 3) -> list[RoadmapStep]:
        """Ready steps: those in progress first, then in roadmap order. Never one with an open prerequisite."""
        ready = [s for s in self.steps if self.is_ready(s.id, statuses)]
        ready.sort(key=lambda s: self.status(statuses, s.id) is not StepStatus.IN_PROGRESS)  # stable sort
        return ready[: max(0, limit)]

    def open_steps(self, statuses: StatusMap) -> list[RoadmapStep]:
        return [s for s in self.steps if not self.status(statuses, s.id).closed]

    def is_complete(self, statuses: StatusMap) -> bool:
        return not self.open_steps(statuses)

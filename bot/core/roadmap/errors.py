"""Roadmap errors a member can cause; each message says what to do next."""

from __future__ import annotations

from bot.core.errors import RoadmapBotError
from bot.core.roadmap.schemas import RoadmapRef

GOAL_COMMAND = "`roadmap-bot goal set ROADMAP`"
"""How the command line sets a goal; each adapter names its own command (`/roadmap goal` on Discord)."""


class NoRoadmaps(RoadmapBotError):
    """The knowledge folder holds no roadmap at all."""

    def __init__(self) -> None:
        super().__init__("No roadmaps are available yet; moderators add them under knowledge/roadmaps/.")


class NoGoal(RoadmapBotError):
    """The member has not chosen a roadmap, and there is more than one to choose from."""

    def __init__(self, roadmaps: list[RoadmapRef], goal_command: str = GOAL_COMMAND) -> None:
        self.roadmaps = roadmaps
        listed = ", ".join(f"{r.id} ({r.title})" for r in roadmaps[:10])
        super().__init__(f"You have not chosen a roadmap yet. Choose one with {goal_command}; available: {listed}.")


class RoadmapGone(RoadmapBotError):
    """The member's active goal names a roadmap that left the knowledge folder; their data is kept."""

    def __init__(self, roadmap_id: str, roadmaps: list[RoadmapRef], goal_command: str = GOAL_COMMAND) -> None:
        self.roadmap_id = roadmap_id
        self.roadmaps = roadmaps
        listed = ", ".join(r.id for r in roadmaps[:10]) or "none"
        super().__init__(
            f"Your roadmap '{roadmap_id}' is no longer available (your progress is kept). "
            f"Choose another with {goal_command}; available: {listed}."
        )

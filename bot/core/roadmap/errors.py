"""Roadmap errors a member can cause. Each carries what an adapter needs to say what to do next in
its own words, since every adapter names its own commands; the message itself names no command."""

from __future__ import annotations

from bot.core.errors import InvalidInput, RoadmapBotError
from bot.core.roadmap.schemas import RoadmapRef


class NoRoadmaps(RoadmapBotError):
    """The knowledge folder holds no roadmap at all."""

    def __init__(self) -> None:
        super().__init__("No roadmaps are available yet; moderators add them under knowledge/roadmaps/.")


class NoGoal(RoadmapBotError):
    """The member has not chosen a roadmap yet."""

    def __init__(self, roadmaps: list[RoadmapRef]) -> None:
        self.roadmaps = roadmaps
        listed = ", ".join(f"{r.id} ({r.title})" for r in roadmaps[:10])
        super().__init__(f"You have not chosen a roadmap yet. Available: {listed}.")


class RoadmapGone(RoadmapBotError):
    """The member's active goal names a roadmap that left the knowledge folder; their data is kept."""

    def __init__(self, roadmap_id: str, roadmaps: list[RoadmapRef]) -> None:
        self.roadmap_id = roadmap_id
        self.roadmaps = roadmaps
        listed = ", ".join(r.id for r in roadmaps[:10]) or "none"
        super().__init__(
            f"Your roadmap '{roadmap_id}' is no longer available (your progress is kept). Available: {listed}."
        )


class StepOnOtherRoadmap(InvalidInput):
    """The step exists, but on another roadmap than the member's active one."""

    def __init__(self, step_id: str, roadmap_id: str, active_roadmap_id: str) -> None:
        self.step_id = step_id
        self.roadmap_id = roadmap_id
        self.active_roadmap_id = active_roadmap_id
        super().__init__(
            f"'{step_id}' is a step of the roadmap '{roadmap_id}', not of your active roadmap '{active_roadmap_id}'."
        )

"""Roadmap results as plain text for the command line: no markup, nothing cut, the CLI's own commands.

Member-typed text (notes) is shown on one line with invisible characters removed, so it cannot
forge lines or hide characters in a terminal or a log.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.roadmap import phrases
from bot.core.roadmap.schemas import (
    GoalChange,
    GoalInfo,
    NextSteps,
    Progress,
    RoadmapInfo,
    RoadmapView,
    StatusChange,
)
from bot.core.store.models import StepStatus

GOAL_SET = "roadmap-bot goal set ROADMAP --user ID"
PLAIN = phrases.PLAIN


def roadmaps(items: list[RoadmapInfo]) -> str:
    if not items:
        return "No roadmaps are available yet."
    lines = []
    for r in items:
        lines.append(f"{r.id}: {r.title} ({len(r.steps)} steps, ~{phrases.hours(r.total_hours)})")
        lines.append(f"  {' '.join(r.summary.split())}")
    return "\n".join(lines)


def goal_change(change: GoalChange) -> str:
    return phrases.goal_change(change, PLAIN)


def goals(items: list[GoalInfo]) -> str:
    if not items:
        return f"No goals yet. Choose a roadmap with `{GOAL_SET}`."
    return "\n".join(phrases.goals(items, PLAIN))


def status_change(change: StatusChange, hint: str = "--with-prerequisites") -> str:
    lines = phrases.status_change(change, PLAIN)
    if change.open_prerequisites:
        lines[-1] += f" Add {hint} to mark them done too."
    return "\n".join(lines)


def next_steps(result: NextSteps, article_titles: Mapping[str, str] | None = None) -> str:
    titles = article_titles or {}
    if result.complete:
        return "\n".join(phrases.complete(result, PLAIN))
    lines = [f"Next steps: {result.roadmap_title} ({result.remaining} steps open)"]
    for n, step in enumerate(result.steps, 1):
        started = step.status is StepStatus.IN_PROGRESS
        lines.append(phrases.next_step_head(n, step.title, step.id, step.effort_hours, started, PLAIN))
        lines.append(f"   {' '.join(step.summary.split())}")
        lines.append(f"   Why now: {step.why}")
        lines.extend(f"   - {item}" for item in step.learn)
        if step.articles:
            lines.append("   " + phrases.reading(step.articles, titles, PLAIN))
    return "\n".join(lines)


def progress(result: Progress) -> str:
    return "\n".join(phrases.progress(result, PLAIN, f"`{GOAL_SET} --target-date YYYY-MM-DD`"))


def show(view: RoadmapView) -> str:
    return "\n".join(phrases.show(view, PLAIN))

"""Roadmap results as plain text for the command line: no markup, nothing cut, the CLI's own commands.

Member-typed text (notes) is shown on one line with invisible characters removed, so it cannot
forge lines or hide characters in a terminal or a log.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.roadmap.schemas import (
    STATUS_WORDS,
    GoalChange,
    GoalInfo,
    NextSteps,
    Progress,
    RoadmapInfo,
    RoadmapView,
    StatusChange,
    StepState,
)
from bot.core.store.models import StepStatus
from bot.core.text import shown

GOAL_SET = "roadmap-bot goal set ROADMAP --user ID"
MARKS = {StepStatus.DONE: "[x]", StepStatus.IN_PROGRESS: "[>]", StepStatus.SKIPPED: "[-]", StepStatus.TODO: "[ ]"}


def bar(fraction: float, width: int = 20) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "[" + "#" * filled + "." * (width - filled) + "]"


def hours(value: float) -> str:
    return f"{value:g} h"


def roadmaps(items: list[RoadmapInfo]) -> str:
    if not items:
        return "No roadmaps are available yet."
    lines = []
    for r in items:
        lines.append(f"{r.id}: {r.title} ({len(r.steps)} steps, ~{hours(r.total_hours)})")
        lines.append(f"  {' '.join(r.summary.split())}")
    return "\n".join(lines)


def goal_line(goal: GoalInfo) -> str:
    parts = [f"{goal.roadmap_title} ({goal.roadmap_id})"]
    if goal.target_date:
        parts.append(f"target {goal.target_date.isoformat()}")
    if goal.note:
        parts.append(f"note: {shown(goal.note, 200)}")
    if not goal.available:
        parts.append("no longer available")
    return " · ".join(parts)


def goal_change(change: GoalChange) -> str:
    verb = "Goal set" if change.created else "Goal updated"
    text = f"{verb}: {goal_line(change.goal)}."
    if change.previous_active:
        text += f" It replaces {change.previous_active} as your active goal; that progress is kept."
    return text


def goals(items: list[GoalInfo]) -> str:
    if not items:
        return f"No goals yet. Choose a roadmap with `{GOAL_SET}`."
    return "\n".join(("* " if g.active else "- ") + goal_line(g) for g in items)


def status_change(change: StatusChange, hint: str = "--with-prerequisites") -> str:
    step = f"{change.step.title} ({change.step.id})"
    if change.changed:
        lines = [f"{step}: {STATUS_WORDS[change.previous]} -> {STATUS_WORDS[change.status]}."]
    else:
        lines = [f"{step} was already {STATUS_WORDS[change.status]}."]
    if change.goal_created:
        lines.append(f"({change.roadmap_id} is now your goal: it is the only roadmap.)")
    if change.also_done:
        lines.append("Also marked done: " + ", ".join(s.id for s in change.also_done) + ".")
    if change.open_prerequisites:
        listed = ", ".join(s.id for s in change.open_prerequisites)
        lines.append(f"Note: its prerequisites are still open: {listed}. Add {hint} to mark them done too.")
    return "\n".join(lines)


def next_steps(result: NextSteps, article_titles: Mapping[str, str] | None = None) -> str:
    titles = article_titles or {}
    if result.complete:
        lines = [f"{result.roadmap_title}: every step is done or skipped. Well done!"]
        if result.other_roadmaps:
            lines.append("Another roadmap to try: " + ", ".join(f"{r.id} ({r.title})" for r in result.other_roadmaps))
        return "\n".join(lines)
    lines = [f"Next steps: {result.roadmap_title} ({result.remaining} steps open)"]
    for n, step in enumerate(result.steps, 1):
        started = " · in progress" if step.status is StepStatus.IN_PROGRESS else ""
        lines.append(f"{n}. {step.title} ({step.id}) · ~{hours(step.effort_hours)}{started}")
        lines.append(f"   {' '.join(step.summary.split())}")
        lines.append(f"   Why now: {step.why}")
        lines.extend(f"   - {item}" for item in step.learn)
        if step.articles:
            lines.append("   Read: " + ", ".join(titles.get(a, a) for a in step.articles))
    return "\n".join(lines)


def pace(result: Progress, goal_command: str = GOAL_SET) -> str | None:
    if result.target_date is None:
        return None
    target = f"Target {result.target_date.isoformat()}"
    if result.remaining_hours == 0:
        return f"{target}: nothing left to do."
    if result.overdue:
        return f"{target} has passed; set a new one with `{goal_command} --target-date YYYY-MM-DD`."
    return f"{target} ({result.days_left} days left): about {result.hours_per_week:g} h/week needed."


def progress(result: Progress) -> str:
    extras = [f"{n} {word}" for n, word in ((result.skipped, "skipped"), (result.in_progress, "in progress")) if n]
    lines = [
        f"Progress: {result.roadmap_title}",
        f"{bar(result.percent / 100)} {result.percent:g}% · {result.done}/{result.total} steps"
        + (f" ({', '.join(extras)})" if extras else ""),
        f"Remaining effort: ~{hours(result.remaining_hours)}",
    ]
    line = pace(result)
    if line:
        lines.append(line)
    for stage in result.stages:
        lines.append(f"- {stage.title}: {stage.done}/{stage.total} {bar(stage.percent / 100, 10)} {stage.percent:g}%")
    return "\n".join(lines)


def step_line(state: StepState, next_ids: list[str]) -> str:
    line = f"{MARKS[state.status]} {state.id}: {state.title}"
    if state.id in next_ids:
        line += "  <- next"
    elif state.open_prerequisites and not state.status.closed:
        line += "  (after " + ", ".join(state.open_prerequisites) + ")"
    return line


def show(view: RoadmapView) -> str:
    p = view.progress
    lines = [f"{view.title} · {p.done}/{p.total} done ({p.percent:g}%) {bar(p.percent / 100, 10)}"]
    if view.goal:
        lines.append("Goal: " + goal_line(view.goal))
    for stage in view.stages:
        done = sum(s.status.closed for s in stage.steps)
        lines.append(f"{stage.title} ({done}/{len(stage.steps)})")
        lines.extend("  " + step_line(s, view.next_ids) for s in stage.steps)
    lines.append("[x] done · [>] in progress · [-] skipped · [ ] to do")
    return "\n".join(lines)

"""The sentences about roadmap results that every text adapter shares, with the adapter's own marks.

The wording here is neutral (it names no command and knows no size limit); an adapter passes `Marks`
saying how it sets an id, a title and member-typed text (Discord: `code`, **bold** and markdown
escaped; the command line: as is), and adds its own hints and limits around these lines.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.core.roadmap.schemas import (
    STATUS_WORDS,
    GoalChange,
    GoalInfo,
    NextSteps,
    Progress,
    RoadmapView,
    StatusChange,
    StepState,
)
from bot.core.store.models import StepStatus
from bot.core.text import shown


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Marks:
    code: Callable[[str], str] = _same
    strong: Callable[[str], str] = _same
    heading: Callable[[str], str] = _same
    member_text: Callable[[str], str] = field(default=lambda text: shown(text, 200))
    arrow: str = "->"
    bar: Callable[[float, int], str] = field(default=lambda fraction, width: text_bar(fraction, width))
    status_marks: Mapping[StepStatus, str] = field(
        default_factory=lambda: {
            StepStatus.DONE: "[x]",
            StepStatus.IN_PROGRESS: "[>]",
            StepStatus.SKIPPED: "[-]",
            StepStatus.TODO: "[ ]",
            StepStatus.REVIEW: "[r]",
        }
    )


PLAIN = Marks()


def text_bar(fraction: float, width: int = 20, full: str = "#", empty: str = ".") -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "[" + full * filled + empty * (width - filled) + "]"


def hours(value: float) -> str:
    return f"{value:g} h"


def goal_line(goal: GoalInfo, m: Marks) -> str:
    parts = [f"{m.strong(goal.roadmap_title)} ({m.code(goal.roadmap_id)})"]
    if goal.target_date:
        parts.append(f"target {goal.target_date.isoformat()}")
    if goal.note:
        parts.append(f"note: {m.member_text(goal.note)}")
    if not goal.available:
        parts.append("no longer available")
    return " · ".join(parts)


def goal_change(change: GoalChange, m: Marks) -> str:
    verb = "Goal set" if change.created else "Goal updated"
    text = f"{verb}: {goal_line(change.goal, m)}."
    if change.previous_active:
        text += f" It replaces {m.code(change.previous_active)} as your active goal; that progress is kept."
    return text


def goals(items: list[GoalInfo], m: Marks) -> list[str]:
    return [("* " if g.active else "- ") + goal_line(g, m) for g in items]


def status_change(change: StatusChange, m: Marks) -> list[str]:
    """What changed; open prerequisites are listed, and the adapter says how to mark them."""
    step = f"{m.strong(change.step.title)} ({m.code(change.step.id)})"
    if change.changed:
        lines = [f"{step}: {STATUS_WORDS[change.previous]} {m.arrow} {STATUS_WORDS[change.status]}."]
    else:
        lines = [f"{step} was already {STATUS_WORDS[change.status]}."]
    if change.goal_created:
        lines.append(f"({m.code(change.roadmap_id)} is now your goal: it is the only roadmap.)")
    if change.also_done:
        lines.append("Also marked done: " + ", ".join(m.code(s.id) for s in change.also_done) + ".")
    if change.review_at is not None:
        lines.append(f"A review reminder is set for {change.review_at.date().isoformat()}.")
    if change.open_prerequisites:
        listed = ", ".join(m.code(s.id) for s in change.open_prerequisites)
        lines.append(f"Note: its prerequisites are still open: {listed}.")
    return lines


def complete(result: NextSteps, m: Marks) -> list[str]:
    lines = [f"{m.strong(result.roadmap_title)}: every step is done or skipped. Well done!"]
    if result.other_roadmaps:
        others = ", ".join(f"{m.code(r.id)} ({r.title})" for r in result.other_roadmaps[:5])
        lines.append(f"Another roadmap to try: {others}.")
    return lines


def next_step_head(n: int, step_title: str, step_id: str, effort: float, started: bool, m: Marks) -> str:
    return f"{n}. {m.strong(step_title)} ({m.code(step_id)}) · ~{hours(effort)}" + (" · in progress" if started else "")


def reading(articles: list[str], titles: Mapping[str, str], m: Marks) -> str:
    return "Read: " + ", ".join(titles.get(a, m.code(a)) for a in articles)


def pace(progress: Progress, set_target: str) -> str | None:
    """The pace the target date needs; `set_target` is the adapter's way to set a new date."""
    if progress.target_date is None:
        return None
    target = f"Target {progress.target_date.isoformat()}"
    if progress.remaining_hours == 0:
        return f"{target}: nothing left to do."
    if progress.overdue:
        return f"{target} has passed; set a new one with {set_target}."
    return f"{target} ({progress.days_left} days left): about {progress.hours_per_week:g} h/week needed."


def progress(result: Progress, m: Marks, set_target: str) -> list[str]:
    extras = [f"{n} {word}" for n, word in ((result.skipped, "skipped"), (result.in_progress, "in progress")) if n]
    lines = [
        m.strong(f"Progress: {result.roadmap_title}"),
        f"{m.bar(result.percent / 100, 20)} {result.percent:g}% · {result.done}/{result.total} steps"
        + (f" ({', '.join(extras)})" if extras else ""),
        f"Remaining effort: ~{hours(result.remaining_hours)}",
    ]
    line = pace(result, set_target)
    if line:
        lines.append(line)
    for stage in result.stages:
        lines.append(f"- {stage.title}: {stage.done}/{stage.total} {m.bar(stage.percent / 100, 10)} {stage.percent:g}%")
    return lines


def step_line(state: StepState, next_ids: list[str], m: Marks, shown_prerequisites: int | None = None) -> str:
    line = f"{m.status_marks[state.status]} {m.code(state.id)} {state.title}"
    if state.id in next_ids:
        line += " ← next"
    elif state.open_prerequisites and not state.status.closed:
        listed = state.open_prerequisites[:shown_prerequisites] if shown_prerequisites else state.open_prerequisites
        more = len(state.open_prerequisites) - len(listed)
        line += " · after " + ", ".join(m.code(p) for p in listed) + (f" +{more}" if more > 0 else "")
    return line


def show(view: RoadmapView, m: Marks, shown_prerequisites: int | None = None) -> list[str]:
    p = view.progress
    lines = [f"{m.strong(view.title)} · {p.done}/{p.total} done ({p.percent:g}%) {m.bar(p.percent / 100, 10)}"]
    if view.goal:
        lines.append("Goal: " + goal_line(view.goal, m))
    for stage in view.stages:
        done = sum(s.status.closed for s in stage.steps)
        lines.append(f"{m.heading(stage.title)} ({done}/{len(stage.steps)})")
        lines.extend(step_line(s, view.next_ids, m, shown_prerequisites) for s in stage.steps)
    order = (StepStatus.DONE, StepStatus.REVIEW, StepStatus.IN_PROGRESS, StepStatus.SKIPPED, StepStatus.TODO)
    lines.append(" · ".join(f"{m.status_marks[s]} {STATUS_WORDS[s]}" for s in order))
    return lines

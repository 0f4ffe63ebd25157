"""Roadmap results as plain text for the command line: no markup, nothing cut, the CLI's own commands.

Member-typed text (notes) is shown on one line with invisible characters removed, so it cannot
forge lines or hide characters in a terminal or a log.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.engagement.schemas import WEEKDAYS, HeatDay, StepNoteView, StreakReport, TodayPlan
from bot.core.roadmap import phrases
from bot.core.roadmap.schemas import (
    GoalChange,
    GoalInfo,
    NextSteps,
    Progress,
    RoadmapInfo,
    RoadmapView,
    StatusChange,
    StepContext,
)
from bot.core.store.models import StepStatus
from bot.core.text import shown

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
        if step.note:
            lines.append(f"   Your note: {shown(step.note, 300)}")
    return "\n".join(lines)


def progress(result: Progress) -> str:
    return "\n".join(phrases.progress(result, PLAIN, f"`{GOAL_SET} --target-date YYYY-MM-DD`"))


def show(view: RoadmapView) -> str:
    return "\n".join(phrases.show(view, PLAIN))


def today(plan: TodayPlan) -> str:
    if plan.complete or plan.step is None:
        return f"{plan.roadmap_title}: every step is done or skipped; nothing left for today. Well done!"
    started = plan.status is StepStatus.IN_PROGRESS
    lines = [
        f"Today: {plan.minutes} min on {plan.step.title} ({plan.step.id})",
        ("Keep going with: " if started else "Start: ")
        + (plan.item or "")
        + (f" (item {plan.item_number} of {plan.items_total})" if plan.items_total > 1 else ""),
    ]
    if plan.paced_by_target and plan.target_date:
        lines.append(f"That is {plan.hours_per_week:g} h/week, the pace your target date {plan.target_date} needs.")
    else:
        lines.append(f"A steady {plan.hours_per_week:g} h/week; set a target date (`{GOAL_SET} --target-date`).")
    if plan.done_when:
        lines.append("Done when: " + "; ".join(plan.done_when))
    if plan.note:
        lines.append(f"Your note: {shown(plan.note, 300)}")
    return "\n".join(lines)


def _cell(day: HeatDay) -> str:
    if day.future:
        return " "
    if day.frozen:
        return "~"
    return "#" if day.events >= 3 else "+" if day.events else "."


def streak(report: StreakReport) -> str:
    def days(n: int) -> str:
        return f"{n} day" if n == 1 else f"{n} days"

    lines = [
        f"Streak: {days(report.current)} (best {days(report.best)})"
        + (" · active today" if report.active_today else " · nothing yet today"),
        "Last 12 weeks (columns are weeks, oldest first):",
    ]
    lines += [f"{WEEKDAYS[row][:3].title()} " + " ".join(_cell(w[row]) for w in report.weeks) for row in range(7)]
    used = "used" if report.freeze_used_this_week else "still there"
    lines.append(f". none  + active  # busy  ~ frozen (one missed day a week is bridged; this week's freeze is {used})")
    return "\n".join(lines)


def note(view: StepNoteView) -> str:
    step = f"{view.step.title} ({view.step.id})"
    if view.cleared:
        return f"Your note on {step} is removed."
    if view.text is None:
        return f"No note on {step} yet; add one with --text."
    lines = [("Saved your note on " if view.saved else "Your note on ") + f"{step}:"]
    lines += [shown(line, 1000) for line in view.text.splitlines()]
    return "\n".join(lines)


def step_context(context: StepContext) -> str:
    """The line under an answer for a member with a goal: the step it belongs to and what it builds on."""
    line = f"On your roadmap: {context.step.title} (`{context.step.id}`)."
    if context.missing:
        titles = [s.title for s in context.missing]
        names = titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]
        line += f" This builds on {names}, which you have not marked done (roadmap-bot roadmap done STEP --user ID)."
    return line

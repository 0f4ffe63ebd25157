"""Roadmap results as Discord markdown, each within a message's limit.

Discord caps a message at 2000 characters, so every renderer fits `max_chars`. Text a member typed
(notes, unknown ids) is escaped so it cannot break formatting or ping anyone; knowledge text is
written by moderators in markdown and shown as is. The commands named here are Discord's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from bot.core.members import ForgetReport, forget_summary
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
from bot.core.text import clip

MAX_CHARS = 1900  # a message is 2000; room for a heading an adapter adds
GOAL_COMMAND = "`/roadmap goal`"
PREREQUISITES_HINT = "the button below"
_MARKDOWN = re.compile(r"([\\`*_~|<>#\[\]])")
_MENTION = re.compile(r"@(everyone|here|[!&]?\d+)")
MARKS = {StepStatus.DONE: "[x]", StepStatus.IN_PROGRESS: "[>]", StepStatus.SKIPPED: "[-]", StepStatus.TODO: "[ ]"}


def escape(text: str, limit: int = 200) -> str:
    """Member text made inert: one line, markdown escaped, mentions broken, length capped."""
    flat = clip(" ".join(text.split()), limit)
    return _MENTION.sub("@\u200b\\1", _MARKDOWN.sub(r"\\\1", flat))


def bar(fraction: float, width: int = 20) -> str:
    """A text progress bar, e.g. `[██████░░░░]`."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "[" + "█" * filled + "░" * (width - filled) + "]"


def fit(lines: Iterable[str], max_chars: int = MAX_CHARS) -> str:
    """Join lines, dropping the tail (with a count of what was cut) if they would exceed `max_chars`."""
    all_lines = list(lines)
    out: list[str] = []
    used = 0
    for i, line in enumerate(all_lines):
        rest = len(all_lines) - i
        reserve = len(f"… and {rest} more lines") + 1 if rest > 1 else 0
        if used + len(line) + 1 + reserve > max_chars:
            out.append(f"… and {rest} more lines")
            break
        out.append(line)
        used += len(line) + 1
    return "\n".join(out)


def _clip(text: str, limit: int) -> str:
    return clip(" ".join(text.split()), limit)


def _hours(hours: float) -> str:
    return f"{hours:g} h"


def render_roadmaps(roadmaps: list[RoadmapInfo], max_chars: int = MAX_CHARS) -> str:
    if not roadmaps:
        return "No roadmaps are available yet."
    lines = ["**Roadmaps**"]
    for r in roadmaps:
        lines.append(f"- `{r.id}` **{r.title}**: {len(r.steps)} steps, ~{_hours(r.total_hours)}")
        lines.append(f"  {_clip(r.summary, 160)}")
    return fit(lines, max_chars)


def render_goal(goal: GoalInfo | GoalChange) -> str:
    """One line about a goal (given a GoalChange, the sentence about the change)."""
    if isinstance(goal, GoalChange):
        return render_goal_change(goal)
    return _goal_line(goal)


def _goal_line(goal: GoalInfo) -> str:
    parts = [f"**{goal.roadmap_title}** (`{goal.roadmap_id}`)"]
    if goal.target_date:
        parts.append(f"target {goal.target_date.isoformat()}")
    if goal.note:
        parts.append(f"note: {escape(goal.note)}")
    if not goal.available:
        parts.append("no longer available")
    return " · ".join(parts)


def render_goal_change(change: GoalChange) -> str:
    verb = "Goal set" if change.created else "Goal updated"
    text = f"{verb}: {_goal_line(change.goal)}."
    if change.previous_active:
        text += f" It replaces `{change.previous_active}` as your active goal; that progress is kept."
    return text


def render_goals(goals: list[GoalInfo]) -> str:
    if not goals:
        return f"No goals yet. Choose a roadmap with {GOAL_COMMAND}."
    return "\n".join(("* " if g.active else "- ") + _goal_line(g) for g in goals)


def render_status_change(change: StatusChange, prerequisites_hint: str | None = PREREQUISITES_HINT) -> str:
    """One or two lines; with open prerequisites, `prerequisites_hint` names what marks them done
    (the button under the message), or None when nothing is offered."""
    step = f"**{change.step.title}** (`{change.step.id}`)"
    if change.changed:
        lines = [f"{step}: {STATUS_WORDS[change.previous]} → {STATUS_WORDS[change.status]}."]
    else:
        lines = [f"{step} was already {STATUS_WORDS[change.status]}."]
    if change.goal_created:
        lines.append(f"(`{change.roadmap_id}` is now your goal: it is the only roadmap.)")
    if change.also_done:
        lines.append("Also marked done: " + ", ".join(f"`{s.id}`" for s in change.also_done) + ".")
    if change.open_prerequisites:
        listed = ", ".join(f"`{s.id}`" for s in change.open_prerequisites)
        hint = f" Use {prerequisites_hint} to mark them done too." if prerequisites_hint else ""
        lines.append(f"Note: its prerequisites are still open: {listed}.{hint}")
    return "\n".join(lines)


def render_next_steps(
    result: NextSteps, article_titles: Mapping[str, str] | None = None, max_chars: int = MAX_CHARS
) -> str:
    titles = article_titles or {}
    if result.complete:
        lines = [f"**{result.roadmap_title}**: every step is done or skipped. Well done!"]
        if result.other_roadmaps:
            others = ", ".join(f"`{r.id}` ({r.title})" for r in result.other_roadmaps[:5])
            lines.append(f"Another roadmap to try: {others}.")
        return fit(lines, max_chars)
    lines = [f"**Next steps: {result.roadmap_title}** ({result.remaining} steps open)"]
    for n, step in enumerate(result.steps, 1):
        started = " · in progress" if step.status is StepStatus.IN_PROGRESS else ""
        lines.append(f"{n}. **{step.title}** (`{step.id}`) · ~{_hours(step.effort_hours)}{started}")
        lines.append(f"   {_clip(step.summary, 220)}")
        lines.append(f"   Why now: {step.why}")
        lines.append("   Learn: " + _clip("; ".join(step.learn), 300))
        if step.articles:
            lines.append("   Read: " + ", ".join(titles.get(a, f"`{a}`") for a in step.articles))
    return fit(lines, max_chars)


def _pace(progress: Progress) -> str | None:
    if progress.target_date is None:
        return None
    target = f"target {progress.target_date.isoformat()}"
    if progress.remaining_hours == 0:
        return f"{target}: nothing left to do."
    if progress.overdue:
        return f"{target} has passed; set a new one with {GOAL_COMMAND}."
    return f"{target} ({progress.days_left} days left): about {progress.hours_per_week:g} h/week needed."


def render_progress(progress: Progress, max_chars: int = MAX_CHARS) -> str:
    extras = [f"{n} {word}" for n, word in ((progress.skipped, "skipped"), (progress.in_progress, "in progress")) if n]
    lines = [
        f"**Progress: {progress.roadmap_title}**",
        f"{bar(progress.percent / 100)} {progress.percent:g}% · {progress.done}/{progress.total} steps"
        + (f" ({', '.join(extras)})" if extras else ""),
        f"Remaining effort: ~{_hours(progress.remaining_hours)}",
    ]
    pace = _pace(progress)
    if pace:
        lines.append(pace[0].upper() + pace[1:])
    for stage in progress.stages:
        lines.append(f"- {stage.title}: {stage.done}/{stage.total} {bar(stage.percent / 100, 10)} {stage.percent:g}%")
    return fit(lines, max_chars)


def _step_line(state: StepState, next_ids: list[str]) -> str:
    line = f"{MARKS[state.status]} `{state.id}` {state.title}"
    if state.id in next_ids:
        line += " ← next"
    elif state.open_prerequisites and not state.status.closed:
        shown = ", ".join(f"`{p}`" for p in state.open_prerequisites[:2])
        more = len(state.open_prerequisites) - 2
        line += f" · after {shown}" + (f" +{more}" if more > 0 else "")
    return line


def render_show(view: RoadmapView, max_chars: int = MAX_CHARS) -> str:
    """The roadmap in one message, cut (with a count) if it does not fit; see `render_show_pages`."""
    return fit(_show_lines(view), max_chars)


def render_show_pages(view: RoadmapView, max_chars: int = MAX_CHARS) -> list[str]:
    """The roadmap over as many messages as it needs, each within `max_chars`, never splitting a line."""
    return paginate(_show_lines(view), max_chars)


def paginate(lines: Iterable[str], max_chars: int = MAX_CHARS) -> list[str]:
    pages: list[list[str]] = [[]]
    size = 0
    for line in lines:
        line = line if len(line) <= max_chars else line[: max_chars - 1] + "…"
        if pages[-1] and size + 1 + len(line) > max_chars:
            pages.append([])
            size = 0
        size += len(line) + (1 if pages[-1] else 0)
        pages[-1].append(line)
    return ["\n".join(page) for page in pages if page]


def _show_lines(view: RoadmapView) -> list[str]:
    p = view.progress
    lines = [f"**{view.title}** · {p.done}/{p.total} done ({p.percent:g}%) {bar(p.percent / 100, 10)}"]
    if view.goal:
        lines.append("Goal: " + _goal_line(view.goal))
    for stage in view.stages:
        done = sum(s.status.closed for s in stage.steps)
        lines.append(f"__{stage.title}__ ({done}/{len(stage.steps)})")
        lines.extend(_step_line(s, view.next_ids) for s in stage.steps)
    lines.append("[x] done · [>] in progress · [-] skipped · [ ] to do")
    return lines


def render_forget(report: ForgetReport) -> str:
    return forget_summary(report)

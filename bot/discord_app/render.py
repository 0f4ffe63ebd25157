"""Roadmap results as Discord markdown, each within a message's limit.

Discord caps a message at 2000 characters, so every renderer fits `max_chars`. Text a member typed
(notes, unknown ids) is escaped so it cannot break formatting or ping anyone; knowledge text is
written by moderators in markdown and shown as is. The commands named here are Discord's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from bot.core.members import ForgetReport, forget_summary
from bot.core.roadmap import phrases
from bot.core.roadmap.schemas import GoalChange, GoalInfo, NextSteps, Progress, RoadmapInfo, RoadmapView, StatusChange
from bot.core.store.models import StepStatus
from bot.core.text import clip

MAX_CHARS = 1900  # a message is 2000; room for a heading an adapter adds
GOAL_COMMAND = "`/roadmap goal`"
PREREQUISITES_HINT = "the button below"
_MARKDOWN = re.compile(r"([\\`*_~|<>#\[\]])")
_MENTION = re.compile(r"@(everyone|here|[!&]?\d+)")


def escape(text: str, limit: int = 200) -> str:
    """Member text made inert: one line, markdown escaped, mentions broken, length capped."""
    flat = clip(" ".join(text.split()), limit)
    return _MENTION.sub("@\u200b\\1", _MARKDOWN.sub(r"\\\1", flat))


def bar(fraction: float, width: int = 20) -> str:
    """A text progress bar, e.g. `[██████░░░░]`."""
    return phrases.text_bar(fraction, width, "█", "░")


DISCORD = phrases.Marks(
    code=lambda text: f"`{text}`",
    strong=lambda text: f"**{text}**",
    heading=lambda text: f"__{text}__",
    member_text=escape,
    arrow="→",
    bar=bar,
)


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


def render_roadmaps(roadmaps: list[RoadmapInfo], max_chars: int = MAX_CHARS) -> str:
    if not roadmaps:
        return "No roadmaps are available yet."
    lines = ["**Roadmaps**"]
    for r in roadmaps:
        lines.append(f"- `{r.id}` **{r.title}**: {len(r.steps)} steps, ~{phrases.hours(r.total_hours)}")
        lines.append(f"  {_clip(r.summary, 160)}")
    return fit(lines, max_chars)


def render_goal_change(change: GoalChange) -> str:
    return phrases.goal_change(change, DISCORD)


def render_goals(goals: list[GoalInfo]) -> str:
    if not goals:
        return f"No goals yet. Choose a roadmap with {GOAL_COMMAND}."
    return "\n".join(phrases.goals(goals, DISCORD))


def render_status_change(change: StatusChange, prerequisites_hint: str | None = PREREQUISITES_HINT) -> str:
    """One or two lines; with open prerequisites, `prerequisites_hint` names what marks them done
    (the button under the message), or None when nothing is offered."""
    lines = phrases.status_change(change, DISCORD)
    if change.open_prerequisites and prerequisites_hint:
        lines[-1] += f" Use {prerequisites_hint} to mark them done too."
    return "\n".join(lines)


def render_next_steps(
    result: NextSteps, article_titles: Mapping[str, str] | None = None, max_chars: int = MAX_CHARS
) -> str:
    titles = article_titles or {}
    if result.complete:
        return fit(phrases.complete(result, DISCORD), max_chars)
    lines = [f"**Next steps: {result.roadmap_title}** ({result.remaining} steps open)"]
    for n, step in enumerate(result.steps, 1):
        started = step.status is StepStatus.IN_PROGRESS
        lines.append(phrases.next_step_head(n, step.title, step.id, step.effort_hours, started, DISCORD))
        lines.append(f"   {_clip(step.summary, 220)}")
        lines.append(f"   Why now: {step.why}")
        lines.append("   Learn: " + _clip("; ".join(step.learn), 300))
        if step.articles:
            lines.append("   " + phrases.reading(step.articles, titles, DISCORD))
        if step.note:
            lines.append("   📝 Your note: " + escape(step.note, 300))
    return fit(lines, max_chars)


def render_progress(progress: Progress, max_chars: int = MAX_CHARS) -> str:
    return fit(phrases.progress(progress, DISCORD, GOAL_COMMAND), max_chars)


def render_show(view: RoadmapView, max_chars: int = MAX_CHARS) -> str:
    """The roadmap in one message, cut (with a count) if it does not fit; see `render_show_pages`."""
    return fit(phrases.show(view, DISCORD, shown_prerequisites=2), max_chars)


def render_show_pages(view: RoadmapView, max_chars: int = MAX_CHARS) -> list[str]:
    """The roadmap over as many messages as it needs, each within `max_chars`, never splitting a line."""
    return paginate(phrases.show(view, DISCORD, shown_prerequisites=2), max_chars)


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


def render_forget(report: ForgetReport) -> str:
    return forget_summary(report)

"""Core results as terminal output (rich renderables): markdown rendered as a terminal renders it,
tables for progress and the roadmap, nothing cut, and the console's own commands in every hint.
Colour appears only when the output is a terminal (rich decides)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.padding import Padding
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from bot.core.answers import Answer
from bot.core.engagement.schemas import WEEKDAYS, HeatDay, StepNoteView, StreakReport, TodayPlan
from bot.core.knowledge.models import FaqEntry
from bot.core.roadmap.schemas import (
    STATUS_WORDS,
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

MARKS = {
    StepStatus.DONE: "✔",
    StepStatus.REVIEW: "↻",
    StepStatus.IN_PROGRESS: "▶",
    StepStatus.SKIPPED: "–",
    StepStatus.TODO: "·",
}
STYLES = {
    StepStatus.DONE: "green",
    StepStatus.REVIEW: "cyan",
    StepStatus.IN_PROGRESS: "yellow",
    StepStatus.SKIPPED: "dim",
    StepStatus.TODO: "",
}


_BOLD_LINE = re.compile(r"^(\*\*[^\n]+\*\*)\n(?=\S)", re.MULTILINE)


def _line_breaks(body: str) -> str:
    """A bold line over its text ("**See also: Git**", a part's question) keeps its own line: in
    Markdown a single newline is a space, in Discord it is a line break, and the body is written for both."""
    return _BOLD_LINE.sub(r"\1  \n", body)


def answer(result: Answer) -> RenderableType:
    """The answer as markdown, then its sources, related reading, or the questions it may have meant."""
    parts: list[RenderableType] = [Markdown(_line_breaks(result.body))]
    if result.citations:
        sources = Text("Sources", style="bold")
        for c in result.citations:
            sources.append(f"\n[{c.number}] {c.label} ", style="")
            sources.append(f"({c.source})", style="dim")
        parts.append(Padding(sources, (1, 0, 0, 0), expand=False))
    if result.related:
        related = Text("Related", style="bold")
        for c in result.related:
            related.append(f"\n• {c.label} ")
            related.append(f"({c.source})", style="dim")
        parts.append(related)
    if result.suggestions:
        meant = Text("Did you mean", style="bold")
        for s in result.suggestions:
            meant.append(f"\n• {s}")
        parts.append(Padding(meant, (1, 0, 0, 0), expand=False))
    if result.roadmap_context is not None:
        parts.append(Padding(Text(step_context(result.roadmap_context), style="italic"), (1, 0, 0, 0), expand=False))
    if result.note:
        parts.append(Text(f"({result.note})", style="dim"))
    return Group(*parts)


def step_context(context: StepContext) -> str:
    """Where the answer sits on the member's roadmap, and what it builds on that they have not done."""
    line = f"On your roadmap: step “{context.step.title}” (/show lists them all)."
    if context.missing:
        names = _and(s.title for s in context.missing)
        line += f" This builds on {names}, which you have not marked done (/done STEP)."
    return line


def _and(items: Iterable[str]) -> str:
    names = list(items)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def faq_entry(entry: FaqEntry) -> RenderableType:
    return Group(Text(entry.meta.question, style="bold"), Markdown(entry.answer), Text(entry.path, style="dim"))


def faq_list(entries: list[FaqEntry]) -> RenderableType:
    table = Table(show_header=True, header_style="bold", box=None)
    table.add_column("id", overflow="fold", style="cyan")
    table.add_column("question", overflow="fold")
    for entry in entries:
        table.add_row(entry.id, entry.meta.question)
    return table


def roadmaps(items: list[RoadmapInfo]) -> RenderableType:
    if not items:
        return Text("No roadmaps are available yet.")
    table = Table(show_header=True, header_style="bold")
    for name in ("id", "roadmap", "steps", "hours"):
        table.add_column(name, overflow="fold")
    for r in items:
        table.add_row(r.id, f"{r.title}\n{' '.join(r.summary.split())}", str(len(r.steps)), f"~{r.total_hours:g}")
    return table


def goal_line(goal: GoalInfo) -> Text:
    line = Text(goal.roadmap_title, style="bold")
    line.append(f" ({goal.roadmap_id})")
    if goal.target_date:
        line.append(f" · target {goal.target_date.isoformat()}")
    if goal.note:
        line.append(f" · note: {shown(goal.note, 200)}")
    if not goal.available:
        line.append(" · no longer available", style="red")
    return line


def goal_change(change: GoalChange) -> RenderableType:
    text = Text("Goal set: " if change.created else "Goal updated: ")
    text.append_text(goal_line(change.goal))
    if change.previous_active:
        text.append(f"\nIt replaces {change.previous_active} as your active goal; that progress is kept.")
    return text


def goals(items: list[GoalInfo]) -> RenderableType:
    if not items:
        return Text("No goals yet. Choose a roadmap with /goal ROADMAP.")
    lines = Text()
    for n, goal in enumerate(items):
        lines.append(("\n" if n else "") + ("* " if goal.active else "- "))
        lines.append_text(goal_line(goal))
    return lines


def status_change(change: StatusChange, verb: str) -> RenderableType:
    step = f"{change.step.title} ({change.step.id})"
    if change.changed:
        text = Text(f"{step}: {STATUS_WORDS[change.previous]} → ")
        text.append(STATUS_WORDS[change.status], style=STYLES[change.status] or "bold")
        text.append(".")
    else:
        text = Text(f"{step} was already {STATUS_WORDS[change.status]}.")
    if change.goal_created:
        text.append(f"\n({change.roadmap_id} is now your goal: it is the only roadmap.)")
    if change.review_at is not None:
        text.append(f"\nA review reminder is set for {change.review_at.date().isoformat()}.")
    if change.also_done:
        text.append("\nAlso marked done: " + ", ".join(s.id for s in change.also_done) + ".")
    if change.open_prerequisites:
        listed = ", ".join(s.id for s in change.open_prerequisites)
        text.append(f"\nIts prerequisites are still open: {listed}. ")
        text.append(f"/{verb} {change.step.id} --with-prerequisites", style="bold")
        text.append(" marks them done too.")
    return text


def next_steps(result: NextSteps, article_titles: Mapping[str, str]) -> RenderableType:
    if result.complete:
        text = Text(f"{result.roadmap_title}: every step is done or skipped. Well done!", style="bold green")
        if result.other_roadmaps:
            text.append("\nAnother roadmap to try: " + ", ".join(f"{r.id} ({r.title})" for r in result.other_roadmaps))
        return text
    blocks: list[RenderableType] = [Text(f"Next steps: {result.roadmap_title} ({result.remaining} open)", style="bold")]
    for n, step in enumerate(result.steps, 1):
        head = Text(f"\n{n}. {step.title}", style="bold")
        head.append(f" ({step.id}) · ~{step.effort_hours:g} h", style="")
        if step.status is StepStatus.IN_PROGRESS:
            head.append(" · in progress", style="yellow")
        body = Text(" ".join(step.summary.split()) + f"\nWhy now: {step.why}")
        learn = Text("\n".join(f"• {item}" for item in step.learn))
        rows: list[RenderableType] = [head, _indented(body), _indented(learn)]
        if step.articles:
            read = "Read: " + ", ".join(article_titles.get(a, a) for a in step.articles)
            rows.append(_indented(Text(read, style="dim")))
        if step.note:
            rows.append(_indented(Text(f"Your note: {shown(step.note, 300)}", style="italic")))
        blocks.extend(rows)
    return Group(*blocks)


def _indented(text: Text) -> Padding:
    return Padding(text, (0, 0, 0, 3), expand=False)


def _bar(percent: float, width: int = 24) -> ProgressBar:
    return ProgressBar(total=100, completed=percent, width=width)


def progress(result: Progress) -> RenderableType:
    extras = [f"{n} {word}" for n, word in ((result.skipped, "skipped"), (result.in_progress, "in progress")) if n]
    head = Text(f"Progress: {result.roadmap_title}", style="bold")
    summary = Text(
        f"{result.percent:g}% · {result.done}/{result.total} steps" + (f" ({', '.join(extras)})" if extras else "")
    )
    summary.append(f" · remaining effort ~{result.remaining_hours:g} h")
    table = Table(show_header=True, header_style="bold", box=None)
    table.add_column("stage", overflow="fold")
    table.add_column("done", justify="right")
    table.add_column("", min_width=12)
    table.add_column("%", justify="right")
    for stage in result.stages:
        table.add_row(stage.title, f"{stage.done}/{stage.total}", _bar(stage.percent, 12), f"{stage.percent:g}")
    overall = Table.grid(padding=(0, 1))
    overall.add_row(_bar(result.percent), summary)
    parts: list[RenderableType] = [head, overall]
    if result.target_date is not None:
        target = f"Target {result.target_date.isoformat()}"
        if result.remaining_hours == 0:
            parts.append(Text(f"{target}: nothing left to do."))
        elif result.overdue:
            parts.append(Text(f"{target} has passed; set a new one with /goal {result.roadmap_id} YYYY-MM-DD."))
        else:
            parts.append(
                Text(f"{target} ({result.days_left} days left): about {result.hours_per_week:g} h/week needed.")
            )
    parts.append(table)
    return Group(*parts)


def show(view: RoadmapView) -> RenderableType:
    p = view.progress
    parts: list[RenderableType] = [Text(f"{view.title} · {p.done}/{p.total} done ({p.percent:g}%)", style="bold")]
    if view.goal:
        parts.append(Text("Goal: ").append_text(goal_line(view.goal)))
    for stage in view.stages:
        done = sum(s.status.closed for s in stage.steps)
        table = Table(
            title=f"{stage.title} ({done}/{len(stage.steps)})", title_justify="left", show_header=False, box=None
        )
        table.add_column("", width=1)
        table.add_column("step", overflow="fold", style="cyan")
        table.add_column("title", overflow="fold")
        table.add_column("", overflow="fold")
        for state in stage.steps:
            note = ""
            if state.id in view.next_ids:
                note = "← next"
            elif state.open_prerequisites and not state.status.closed:
                note = "after " + ", ".join(state.open_prerequisites)
            table.add_row(Text(MARKS[state.status], style=STYLES[state.status]), state.id, state.title, note)
        parts.append(table)
    parts.append(Text("✔ done · ↻ to review · ▶ in progress · – skipped · · to do", style="dim"))
    return Group(*parts)


def today(plan: TodayPlan) -> RenderableType:
    if plan.complete or plan.step is None:
        return Text(f"{plan.roadmap_title}: every step is done or skipped. Well done!", style="bold green")
    head = Text(f"Today: {plan.minutes} min", style="bold")
    head.append(f" on {plan.step.title} ({plan.step.id})")
    started = plan.status is StepStatus.IN_PROGRESS
    item = Text("Keep going with: " if started else "Start: ", style="yellow" if started else "cyan")
    item.append(plan.item or "")
    if plan.items_total > 1:
        item.append(f" (item {plan.item_number} of {plan.items_total})", style="dim")
    if plan.paced_by_target and plan.target_date:
        pace = f"That is {plan.hours_per_week:g} h/week, the pace your target date {plan.target_date} needs."
    else:
        pace = f"A steady {plan.hours_per_week:g} h/week; /goal ROADMAP YYYY-MM-DD sets a target date to pace it."
    parts: list[RenderableType] = [head, item, Text(pace, style="dim")]
    if plan.done_when:
        parts.append(Text("Done when: " + "; ".join(plan.done_when)))
    if plan.note:
        parts.append(Text(f"Your note: {shown(plan.note, 300)}", style="italic"))
    return Group(*parts)


def _cell(day: HeatDay) -> Text:
    if day.future:
        return Text("  ")
    if day.frozen:
        return Text("■ ", style="cyan")
    if day.events:
        return Text("■ ", style="bold green" if day.events >= 3 else "green")
    return Text("■ ", style="grey35")


def streak(report: StreakReport) -> RenderableType:
    def days(n: int) -> str:
        return f"{n} day" if n == 1 else f"{n} days"

    head = Text(f"Streak: {days(report.current)}", style="bold")
    head.append(f" · best {days(report.best)}")
    head.append(" · active today" if report.active_today else " · nothing yet today", style="dim")
    grid = Text()
    for row in range(7):
        grid.append(f"{WEEKDAYS[row][:3].title()} ", style="dim")
        for week in report.weeks:
            grid.append_text(_cell(week[row]))
        grid.append("\n")
    used = "used" if report.freeze_used_this_week else "still there"
    legend = Text(
        f"green: active · cyan: frozen (one missed day a week is bridged; this week's is {used})", style="dim"
    )
    return Group(head, grid, legend)


def note(view: StepNoteView) -> RenderableType:
    step = f"{view.step.title} ({view.step.id})"
    if view.cleared:
        return Text(f"Your note on {step} is removed.")
    if view.text is None:
        return Text(f"No note on {step} yet; add one with /note {view.step.id} TEXT.")
    text = Text(("Saved your note on " if view.saved else "Your note on ") + f"{step}:\n", style="bold")
    text.append("\n".join(shown(line, 1000) for line in view.text.splitlines()), style="")
    return text

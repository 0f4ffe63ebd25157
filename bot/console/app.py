"""The console loop: questions are answered, `/commands` act on the member's roadmap.

Commands answer to their console names (`/next`), with or without the slash for `help` and `quit`,
and to the Discord names a member may already know (`/roadmap next`, `/ask …`); commands that only
exist elsewhere (`/kb`, `/privacy`) are answered with what to run instead. Ctrl-C or Ctrl-D leaves.
"""

from __future__ import annotations

import getpass
import io
import sys
from collections.abc import Callable
from typing import TextIO

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from bot.cli.progress import build_progress
from bot.cli.roadmap_commands import save_card
from bot.console import render
from bot.core.errors import RoadmapBotError
from bot.core.roadmap.errors import NoGoal, RoadmapGone, StepOnOtherRoadmap
from bot.core.roadmap.schemas import STATUS_VERBS
from bot.core.roadmap.service import KEEP
from bot.core.service import Services
from bot.core.text import shown, strip_invisible
from bot.settings import Settings

COMMANDS: list[tuple[str, str]] = [
    ("ask QUESTION", "ask a question (or just type it)"),
    ("goal ROADMAP [YYYY-MM-DD]", "follow a roadmap, optionally with a target date (e.g. /goal ml-engineer)"),
    ("goals", "the roadmaps you follow; the active one is starred"),
    ("next", "the steps you can take now"),
    ("start|done|skip|undo STEP", "mark a step (add --with-prerequisites to mark those done too)"),
    ("review STEP [DAYS]", "mark a step done, to review later (default in 7 days)"),
    ("progress", "how far you are, and the pace your target date needs"),
    ("show", "the whole roadmap with your statuses"),
    ("today", "one concrete thing to do now, sized to your target date"),
    ("streak", "your streak of active days and a 12-week heatmap"),
    ("note STEP [TEXT|--clear]", "your private note on a step: see it, save it or remove it"),
    ("card FILE.png", "write your progress card (an image) to a file"),
    ("roadmaps", "the roadmaps available"),
    ("faq [ID]", "the FAQ entries, or one of them"),
    ("help", "this help"),
    ("quit", "leave (Ctrl-D or Ctrl-C work too)"),
]
ELSEWHERE = {
    "kb": "Moderator commands run from the command line here: roadmap-bot kb reload|status|gaps|… (see --help).",
    "privacy": "Your data stays on this machine: roadmap-bot export --user {user}, or roadmap-bot forget --user {user}.",
    "remind": "Reminders come by Discord DM: use /roadmap remind in a server where the bot runs.",
    "leaderboard": "The leaderboard belongs to a Discord server: use /roadmap leaderboard there.",
    "peers": "Study peers belong to a Discord server: use /roadmap peers there.",
}


def _default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "local"


def help_table() -> RenderableType:
    table = Table(title="Ask anything about becoming an ML engineer, or use a command", title_justify="left", box=None)
    table.add_column("command", style="bold cyan", overflow="fold")
    table.add_column("what it does", overflow="fold")
    for command, meaning in COMMANDS:
        table.add_row("/" + command, meaning)
    return table


def next_move(error: RoadmapBotError) -> str:
    """What to type about it, in the console's own commands."""
    if isinstance(error, NoGoal | RoadmapGone):
        return " Choose one with /goal ROADMAP (/roadmaps lists them)."
    if isinstance(error, StepOnOtherRoadmap):
        return f" Switch with /goal {error.roadmap_id}."
    return ""


class ConsoleApp:
    def __init__(self, services: Services, user: str, console: Console) -> None:
        self.services = services
        self.user = user
        self.console = console
        self.handlers: dict[str, Callable[[str], RenderableType]] = {
            "ask": self.ask,
            "goal": self.goal,
            "goals": lambda _: render.goals(services.roadmaps.list_goals(user)),
            "next": lambda _: render.next_steps(services.roadmaps.next_steps(user), services.article_titles()),
            "progress": lambda _: render.progress(services.roadmaps.progress(user)),
            "show": lambda _: render.show(services.roadmaps.show(user)),
            "roadmaps": lambda _: render.roadmaps(services.roadmaps.list_roadmaps()),
            "faq": self.faq,
            "help": lambda _: help_table(),
            **{verb: self.marker(verb) for verb in STATUS_VERBS},
            "review": self.review,
            "today": lambda _: render.today(services.engagement.today(user)),
            "streak": lambda _: render.streak(services.engagement.streak(user)),
            "note": self.note,
            "card": self.card,
        }

    def ask(self, question: str) -> RenderableType:
        if not question.strip():
            return Text("Usage: /ask QUESTION (or just type the question)")
        return render.answer(self.services.ask(question, user_id=self.user))

    def goal(self, rest: str) -> RenderableType:
        parts = rest.split()
        if not parts:
            return Text("Usage: /goal ROADMAP [YYYY-MM-DD]  (/roadmaps lists them)")
        target = parts[1] if len(parts) > 1 else KEEP
        return render.goal_change(self.services.roadmaps.set_goal(self.user, parts[0], target_date=target))

    def marker(self, verb: str) -> Callable[[str], RenderableType]:
        def mark(rest: str) -> RenderableType:
            parts = rest.split()
            steps = [p for p in parts if not p.startswith("--")]
            if not steps:
                return Text(f"Usage: /{verb} STEP [--with-prerequisites]  (/show lists the steps)")
            change = self.services.roadmaps.set_status(
                self.user, " ".join(steps), STATUS_VERBS[verb], with_prerequisites="--with-prerequisites" in parts
            )
            return render.status_change(change, verb)

        return mark

    def review(self, rest: str) -> RenderableType:
        parts = [p for p in rest.split() if not p.startswith("--")]
        days = int(parts.pop()) if len(parts) > 1 and parts[-1].isdigit() and len(parts[-1]) <= 3 else None
        if not parts:
            return Text("Usage: /review STEP [DAYS]  (/show lists the steps)")
        change = self.services.roadmaps.set_status(
            self.user,
            " ".join(parts),
            STATUS_VERBS["review"],
            with_prerequisites="--with-prerequisites" in rest.split(),
            review_days=days,
        )
        return render.status_change(change, "review")

    def note(self, rest: str) -> RenderableType:
        step, _, text = rest.strip().partition(" ")
        if not step:
            return Text("Usage: /note STEP [TEXT | --clear]  (/show lists the steps)")
        clear = text.strip() == "--clear"
        given = None if clear or not text.strip() else text
        return render.note(self.services.engagement.note(self.user, step, given, clear=clear))

    def card(self, rest: str) -> RenderableType:
        if not rest.strip():
            return Text("Usage: /card FILE.png")
        path = save_card(self.services, self.user, rest)
        return Text(f"Wrote your progress card to {shown(str(path), 200)}.")

    def faq(self, rest: str) -> RenderableType:
        if not rest.strip():
            return render.faq_list(self.services.faq_entries())
        return render.faq_entry(self.services.faq(rest))

    def handle(self, line: str) -> RenderableType | None:
        """The reply to one line; None means the member is leaving."""
        text = line.strip()
        lowered = text.lower()
        if lowered in ("/quit", "/exit", "quit", "exit", ":q"):
            return None
        if lowered in ("help", "?", "/?"):
            return help_table()
        if not text.startswith("/"):
            return self.ask(text)
        name, _, rest = text[1:].partition(" ")
        name = name.lower()
        if name == "roadmap":  # the Discord names: /roadmap next, /roadmap goal ml-engineer, ...
            name, _, rest = rest.strip().partition(" ")
            name = name.lower() or "show"
        handler = self.handlers.get(name)
        if handler is not None:
            return handler(rest.strip())
        if name in ELSEWHERE:
            return Text(ELSEWHERE[name].format(user=self.user))
        return Text(f"Unknown command /{shown(name, 40)}. Type /help for the commands.")

    def reply(self, line: str) -> bool:
        """Answer one line; False when the member is leaving."""
        try:
            result = self.handle(line)
        except RoadmapBotError as exc:
            message = strip_invisible(str(exc), keep="\n") + next_move(exc)
            result = Text(f"Sorry: {message}", style="red")
        if result is None:
            return False
        self.console.print(result)
        self.console.print()
        return True


def run_console(
    settings: Settings,
    user: str | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    services: Services | None = None,
) -> int:
    from bot.wiring import open_services

    inp = stdin or _tolerant(sys.stdin)
    out = stdout or sys.stdout
    # On a terminal rich fits the window; elsewhere (a pipe, a log, a test) lines are not wrapped.
    terminal = out.isatty()
    console = Console(file=out, highlight=False, soft_wrap=not terminal, width=None if terminal else 160)
    if services is None:
        with open_services(settings) as opened:
            return _session(opened, user or _default_user(), inp, out, console)
    return _session(services, user or _default_user(), inp, out, console)


def _tolerant(stream: TextIO) -> TextIO:
    """Standard input that turns undecodable bytes into U+FFFD instead of raising mid-session."""
    raw = getattr(stream, "buffer", None)
    if raw is None:
        return stream
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace", line_buffering=True)


def _session(services: Services, user: str, inp: TextIO, out: TextIO, console: Console) -> int:
    interactive = inp.isatty()
    console.print("roadmap-bot console: loading the knowledge base…")
    try:
        with build_progress(out) as progress:
            services.advisor.ensure_index(notify=progress.notify, progress=progress.advance)
        with console.status("Loading the embedding model…"):
            services.advisor.warm_up()
        console.print("Ready. Ask a question, or type /help. (/quit to leave)\n")
        app = ConsoleApp(services, user, console)
        while True:
            if interactive:
                out.write("you> ")
                out.flush()
            line = inp.readline()
            if not line:
                break
            if line.strip() and not app.reply(line):
                break
    except KeyboardInterrupt:
        console.print()
    console.print("Bye!")
    return 0

"""The console advisor: the same answers and roadmap actions as the Discord bot, in a terminal."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from typing import TextIO

from bot.core.errors import RoadmapBotError
from bot.core.service import Services
from bot.settings import Settings

GOAL_COMMAND = "`/goal ROADMAP`"

HELP = """Ask any question about becoming a Machine Learning Engineer, or use a command:
  /goal ROADMAP [YYYY-MM-DD]   set your goal (e.g. /goal ml-engineer)
  /next                        the steps you can take now
  /start STEP, /done STEP, /skip STEP, /undo STEP   (add --with-prerequisites to mark those too)
  /progress                    how far you are
  /show                        the whole roadmap with your statuses
  /roadmaps                    the roadmaps available
  /help                        this help
  /quit                        leave (Ctrl-D works too)"""


def _default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "local"


def run_console(
    settings: Settings,
    user: str | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    services: Services | None = None,
) -> int:
    from bot.wiring import make_services

    inp = stdin or sys.stdin
    out = stdout or sys.stdout
    user_id = user or _default_user()
    interactive = inp.isatty()
    services = services or make_services(settings, goal_command=GOAL_COMMAND)

    def say(text: str) -> None:
        out.write(text + "\n")
        out.flush()

    say("roadmap-bot console — loading the knowledge base...")
    services.advisor.ensure_index(notify=say)
    say("Ready. Ask a question, or type /help. (/quit to leave)\n")
    handlers = _handlers(services, user_id)
    while True:
        if interactive:
            out.write("you> ")
            out.flush()
        line = inp.readline()
        if not line:
            break
        text = line.strip()
        if not text:
            continue
        if text in ("/quit", "/exit", "quit", "exit"):
            break
        try:
            if text.startswith("/"):
                name, _, rest = text[1:].partition(" ")
                handler = handlers.get(name.lower())
                say(handler(rest.strip()) if handler else f"Unknown command /{name[:40]}. Type /help.")
            else:
                answer = services.ask(text, user_id=user_id)
                say(answer.answer + (f"\n({answer.note})" if answer.note else ""))
        except RoadmapBotError as exc:
            say(f"Sorry: {exc}")
        say("")
    say("Bye!")
    services.close()
    return 0


def _handlers(services: object, user_id: str) -> dict[str, Callable[[str], str]]:
    from bot.core.service import Services

    assert isinstance(services, Services)
    from bot.core.roadmap import render

    roadmaps = services.roadmaps

    def goal(rest: str) -> str:
        parts = rest.split()
        if not parts:
            return "Usage: /goal ROADMAP [YYYY-MM-DD]"
        target = parts[1] if len(parts) > 1 else None
        return render.render_goal_change(roadmaps.set_goal(user_id, parts[0], target_date=target))

    def status(kind: str) -> Callable[[str], str]:
        def handler(rest: str) -> str:
            parts = rest.split()
            if not parts:
                return f"Usage: /{kind} STEP [--with-prerequisites]"
            change = roadmaps.set_status(
                user_id, parts[0], kind, with_prerequisites="--with-prerequisites" in parts[1:]
            )
            return render.render_status_change(change, prerequisites_hint=f"/{kind} {parts[0]} --with-prerequisites")

        return handler

    return {
        "help": lambda _: HELP,
        "goal": goal,
        "next": lambda _: render.render_next_steps(roadmaps.next_steps(user_id), services.article_titles()),
        "start": status("start"),
        "done": status("done"),
        "skip": status("skip"),
        "undo": status("undo"),
        "progress": lambda _: render.render_progress(roadmaps.progress(user_id), goal_command=GOAL_COMMAND),
        "show": lambda _: render.render_show(roadmaps.show(user_id)),
        "roadmaps": lambda _: render.render_roadmaps(roadmaps.list_roadmaps()),
    }

"""Subcommands of personal roadmaps: `roadmap ...`, `goal ...`, `export` and `forget`.

The JSON outputs are a contract (scripts and tests read them): keep their keys exactly.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bot.core.roadmap import render
from bot.core.roadmap.service import RoadmapService, parse_target_date
from bot.core.store.models import StepStatus
from bot.settings import Settings

_STATUS_COMMANDS = {
    "start": (StepStatus.IN_PROGRESS, "mark a step as started"),
    "done": (StepStatus.DONE, "mark a step as done"),
    "skip": (StepStatus.SKIPPED, "mark a step as skipped (you know it already, or it does not apply)"),
    "undo": (StepStatus.TODO, "put a step back to 'todo'"),
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _register_roadmap(sub)
    _register_goal(sub)
    export = sub.add_parser("export", help="print everything stored about a user as JSON")
    _user(export)
    export.set_defaults(func=cmd_export)
    forget = sub.add_parser("forget", help="delete everything stored about a user")
    _user(forget)
    forget.set_defaults(func=cmd_forget)


def _user(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", required=True, metavar="ID", help="the user's id (any string up to 100 chars)")


def _register_roadmap(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    roadmap = sub.add_parser("roadmap", help="personal roadmaps: next steps, progress, marking steps")
    actions = roadmap.add_subparsers(dest="roadmap_command", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="the roadmaps in the knowledge folder")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=cmd_list)

    for name, (status, help_text) in _STATUS_COMMANDS.items():
        action = actions.add_parser(name, help=help_text)
        action.add_argument("step", metavar="STEP", help="step id (or exact title)")
        _user(action)
        if status is not StepStatus.TODO:
            action.add_argument(
                "--with-prerequisites", action="store_true", help="also mark its open prerequisites done"
            )
        action.set_defaults(func=cmd_status, status=status)

    nxt = actions.add_parser("next", help="what to do next on your active roadmap")
    _user(nxt)
    nxt.add_argument("--limit", type=int, default=3, help="how many steps (1-25, default 3)")
    nxt.add_argument("--json", action="store_true", help="print JSON")
    nxt.set_defaults(func=cmd_next)

    prog = actions.add_parser("progress", help="how far along you are, with the pace your target date needs")
    _user(prog)
    prog.add_argument("--json", action="store_true", help="print JSON")
    prog.set_defaults(func=cmd_progress)

    show = actions.add_parser("show", help="the whole roadmap with your statuses")
    _user(show)
    show.set_defaults(func=cmd_show)


def _register_goal(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    goal = sub.add_parser("goal", help="choose the roadmap you follow")
    actions = goal.add_subparsers(dest="goal_command", metavar="ACTION", required=True)

    set_ = actions.add_parser("set", help="set (or redefine) your goal on a roadmap and make it active")
    set_.add_argument("roadmap", metavar="ROADMAP", help="roadmap id")
    _user(set_)
    set_.add_argument("--target-date", metavar="YYYY-MM-DD", help="when you want to be done")
    set_.add_argument("--note", metavar="TEXT", help="a note to yourself (up to 500 characters)")
    set_.set_defaults(func=cmd_goal_set)

    listing = actions.add_parser("list", help="your goals; the active one is starred")
    _user(listing)
    listing.set_defaults(func=cmd_goal_list)

    switch = actions.add_parser("switch", help="make another of your goals active, keeping its date and note")
    switch.add_argument("roadmap", metavar="ROADMAP", help="roadmap id")
    _user(switch)
    switch.set_defaults(func=cmd_goal_switch)


@contextmanager
def _service(settings: Settings) -> Iterator[RoadmapService]:
    """A service over the configured store; the knowledge is read once, and only if a command needs it."""
    from bot.core.knowledge.models import Roadmap
    from bot.core.store.db import open_store

    cache: list[list[Roadmap]] = []

    def roadmaps() -> list[Roadmap]:
        if not cache:
            from bot.core.knowledge.loader import load_knowledge

            cache.append(load_knowledge(settings.knowledge_dir).roadmaps)
        return cache[0]

    engine = open_store(settings.database_url)
    try:
        yield RoadmapService(engine, roadmaps)
    finally:
        engine.dispose()


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    with _service(settings) as service:
        roadmaps = service.list_roadmaps()
    if args.json:
        _print_json(
            [
                {
                    "id": r.id,
                    "title": r.title,
                    "steps": [{"id": s.id, "title": s.title, "prerequisites": list(s.prerequisites)} for s in r.steps],
                }
                for r in roadmaps
            ]
        )
    else:
        print(render.render_roadmaps(roadmaps, max_chars=100_000))
    return 0


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    with _service(settings) as service:
        change = service.set_status(
            args.user, args.step, args.status, with_prerequisites=getattr(args, "with_prerequisites", False)
        )
    print(render.render_status_change(change, prerequisites_hint="--with-prerequisites"))
    return 0


def cmd_next(args: argparse.Namespace, settings: Settings) -> int:
    with _service(settings) as service:
        result = service.next_steps(args.user, limit=args.limit)
    if args.json:
        _print_json(
            {
                "roadmap": result.roadmap_id,
                "steps": [
                    {
                        "id": s.id,
                        "title": s.title,
                        "summary": s.summary,
                        "prerequisites": list(s.prerequisites),
                        "articles": list(s.articles),
                    }
                    for s in result.steps
                ],
            }
        )
    else:
        print(render.render_next_steps(result, max_chars=100_000))
    return 0


def cmd_progress(args: argparse.Namespace, settings: Settings) -> int:
    with _service(settings) as service:
        result = service.progress(args.user)
    if args.json:
        _print_json(
            {
                "roadmap": result.roadmap_id,
                "done": result.done,
                "total": result.total,
                "percent": result.percent,
                "steps": [{"id": s.id, "status": s.status.value} for s in result.steps],
            }
        )
    else:
        print(render.render_progress(result, max_chars=100_000))
    return 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    with _service(settings) as service:
        view = service.show(args.user)
    print(render.render_show(view, max_chars=100_000))
    return 0


def cmd_goal_set(args: argparse.Namespace, settings: Settings) -> int:
    target = parse_target_date(args.target_date) if args.target_date is not None else None
    with _service(settings) as service:
        change = service.set_goal(args.user, args.roadmap, target_date=target, note=args.note)
    print(render.render_goal_change(change))
    return 0


def cmd_goal_list(args: argparse.Namespace, settings: Settings) -> int:
    with _service(settings) as service:
        goals = service.list_goals(args.user)
    print(render.render_goals(goals))
    return 0


def cmd_goal_switch(args: argparse.Namespace, settings: Settings) -> int:
    with _service(settings) as service:
        change = service.switch_goal(args.user, args.roadmap)
    print(render.render_goal_change(change))
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    with _service(settings) as service:
        _print_json(service.export(args.user))
    return 0


def cmd_forget(args: argparse.Namespace, settings: Settings) -> int:
    with _service(settings) as service:
        counts = service.forget(args.user)
    print(render.render_forget(counts))
    return 0

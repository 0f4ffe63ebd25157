"""Subcommands of personal roadmaps: `roadmap ...`, `goal ...`, `export` and `forget`.

They read the roadmaps the bot serves (the live index's snapshot) through the same wiring as every
other adapter, without loading the model. The JSON outputs are a contract (scripts and tests read
them): keep their keys exactly.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.cli import render
from bot.cli.output import print_json
from bot.core.errors import InvalidInput
from bot.core.members import forget_summary
from bot.core.roadmap.schemas import STATUS_VERBS
from bot.core.roadmap.service import KEEP, parse_target_date
from bot.core.service import Services
from bot.core.store.models import StepStatus
from bot.core.text import shown
from bot.settings import Settings

_STATUS_HELP = {
    "start": "mark a step as started",
    "done": "mark a step as done",
    "skip": "mark a step as skipped (you know it already, or it does not apply)",
    "undo": "put a step back to 'todo'",
    "review": "mark a step done, to review later (a reminder is scheduled)",
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

    for name, status in STATUS_VERBS.items():
        action = actions.add_parser(name, help=_STATUS_HELP[name])
        action.add_argument("step", metavar="STEP", help="step id (or exact title)")
        _user(action)
        if status is not StepStatus.TODO:
            action.add_argument(
                "--with-prerequisites", action="store_true", help="also mark its open prerequisites done"
            )
        if status is StepStatus.REVIEW:
            action.add_argument("--days", type=int, metavar="N", help="days until the review reminder (default 7)")
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

    today = actions.add_parser("today", help="one concrete thing to do now, sized to your target date")
    _user(today)
    today.add_argument("--json", action="store_true", help="print JSON")
    today.set_defaults(func=cmd_today)

    streak = actions.add_parser("streak", help="your streak of active days and a 12-week heatmap")
    _user(streak)
    streak.add_argument("--json", action="store_true", help="print JSON")
    streak.set_defaults(func=cmd_streak)

    note = actions.add_parser("note", help="your private note on a step: show it, save it or clear it")
    note.add_argument("step", metavar="STEP", help="step id (or exact title)")
    _user(note)
    given = note.add_mutually_exclusive_group()
    given.add_argument("--text", metavar="TEXT", help="the note, up to 1000 characters (text and links)")
    given.add_argument("--clear", action="store_true", help="remove the note")
    note.set_defaults(func=cmd_note)

    card = actions.add_parser("card", help="write your progress card (a PNG image) to a file")
    _user(card)
    card.add_argument("--out", required=True, metavar="FILE.png", help="where to write it (a .png file)")
    card.set_defaults(func=cmd_card)


def _register_goal(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    goal = sub.add_parser("goal", help="choose the roadmap you follow")
    actions = goal.add_subparsers(dest="goal_command", metavar="ACTION", required=True)

    set_ = actions.add_parser(
        "set", help="make a roadmap your active goal (a goal you had comes back with its date and note)"
    )
    set_.add_argument("roadmap", metavar="ROADMAP", help="roadmap id")
    _user(set_)
    set_.add_argument("--target-date", metavar="YYYY-MM-DD", help="when you want to be done ('none' clears it)")
    set_.add_argument("--note", metavar="TEXT", help="a note to yourself, up to 500 characters ('' clears it)")
    set_.set_defaults(func=cmd_goal_set)

    listing = actions.add_parser("list", help="your goals; the active one is starred")
    _user(listing)
    listing.set_defaults(func=cmd_goal_list)

    switch = actions.add_parser("switch", help="the same as `goal set ROADMAP` without options")
    switch.add_argument("roadmap", metavar="ROADMAP", help="roadmap id")
    _user(switch)
    switch.set_defaults(func=cmd_goal_switch)


@contextmanager
def _services(settings: Settings) -> Iterator[Services]:
    """The wiring every adapter uses; roadmap commands never load the model."""
    from bot.wiring import open_services

    with open_services(settings) as services:
        yield services


def _print_json(data: Any) -> None:
    print_json(data)


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    with _services(settings) as services:
        roadmaps = services.roadmaps.list_roadmaps()
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
        print(render.roadmaps(roadmaps))
    return 0


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    with _services(settings) as services:
        change = services.roadmaps.set_status(
            args.user,
            args.step,
            args.status,
            with_prerequisites=getattr(args, "with_prerequisites", False),
            review_days=getattr(args, "days", None),
        )
    print(render.status_change(change))
    return 0


def cmd_next(args: argparse.Namespace, settings: Settings) -> int:
    with _services(settings) as services:
        result = services.roadmaps.next_steps(args.user, limit=args.limit)
        titles = services.article_titles()
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
        print(render.next_steps(result, titles))
    return 0


def cmd_progress(args: argparse.Namespace, settings: Settings) -> int:
    with _services(settings) as services:
        result = services.roadmaps.progress(args.user)
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
        print(render.progress(result))
    return 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    with _services(settings) as services:
        view = services.roadmaps.show(args.user)
    print(render.show(view))
    return 0


def cmd_goal_set(args: argparse.Namespace, settings: Settings) -> int:
    target = args.target_date
    given_date = KEEP if target is None else None if target.strip().lower() == "none" else parse_target_date(target)
    given_note = KEEP if args.note is None else args.note or None
    with _services(settings) as services:
        change = services.roadmaps.set_goal(args.user, args.roadmap, target_date=given_date, note=given_note)
    print(render.goal_change(change))
    return 0


def cmd_goal_list(args: argparse.Namespace, settings: Settings) -> int:
    with _services(settings) as services:
        goals = services.roadmaps.list_goals(args.user)
    print(render.goals(goals))
    return 0


def cmd_goal_switch(args: argparse.Namespace, settings: Settings) -> int:
    with _services(settings) as services:
        change = services.roadmaps.switch_goal(args.user, args.roadmap)
    print(render.goal_change(change))
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    with _services(settings) as services:
        _print_json(services.export(args.user))
    return 0


def cmd_forget(args: argparse.Namespace, settings: Settings) -> int:
    with _services(settings) as services:
        report = services.forget(args.user)
    print(forget_summary(report))
    return 0


def cmd_today(args: argparse.Namespace, settings: Settings) -> int:
    with _services(settings) as services:
        plan = services.engagement.today(args.user)
    if args.json:
        _print_json(
            {
                "roadmap": plan.roadmap_id,
                "complete": plan.complete,
                "step": plan.step.id if plan.step else None,
                "item": plan.item,
                "minutes": plan.minutes,
                "hours_per_week": plan.hours_per_week,
            }
        )
    else:
        print(render.today(plan))
    return 0


def cmd_streak(args: argparse.Namespace, settings: Settings) -> int:
    with _services(settings) as services:
        report = services.engagement.streak(args.user)
    if args.json:
        _print_json(
            {
                "current": report.current,
                "best": report.best,
                "active_today": report.active_today,
                "freeze_used_this_week": report.freeze_used_this_week,
                "frozen_days": [d.isoformat() for d in report.frozen_days],
                "days": [
                    {"day": d.day.isoformat(), "events": d.events} for w in report.weeks for d in w if not d.future
                ],
            }
        )
    else:
        print(render.streak(report))
    return 0


def cmd_note(args: argparse.Namespace, settings: Settings) -> int:
    with _services(settings) as services:
        view = services.engagement.note(args.user, args.step, text=args.text, clear=args.clear)
    print(render.note(view))
    return 0


def cmd_card(args: argparse.Namespace, settings: Settings) -> int:
    with _services(settings) as services:
        path = save_card(services, args.user, args.out)
    print(f"Wrote your progress card to {shown(str(path), 200)}.")
    return 0


def save_card(services: Services, user: str, out: str) -> Path:
    """Render the member's card and write it to `out` (a .png in an existing folder), atomically: a
    reader never sees half an image. The console's /card uses this too."""
    path = Path(out.strip()).expanduser()
    if not out.strip() or path.suffix.lower() != ".png":
        raise InvalidInput(f"'{shown(out, 60)}' is not a .png file name; e.g. card.png.")
    png = services.engagement.card(user)
    try:
        folder = path.parent.resolve()
        if not folder.is_dir():
            raise InvalidInput(f"The folder {shown(str(path.parent), 80)} does not exist.")
        if path.is_dir():
            raise InvalidInput(f"{shown(str(path), 80)} is a folder.")
        handle, temporary = tempfile.mkstemp(prefix=".card-", suffix=".png", dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(png)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a usable path"
        raise InvalidInput(f"Cannot write {shown(str(path), 80)}: {reason}.") from None
    return path

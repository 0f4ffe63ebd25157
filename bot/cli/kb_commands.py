"""`roadmap-bot kb ...`: the moderators' commands for a deployment, the same operations as Discord's /kb.

`kb reload` writes a new index build; a running bot adopts it within seconds (Advisor.refresh).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from pydantic import BaseModel

from bot.cli.output import print_json
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.core.moderation import FaqChange, Moderation, ReloadResult


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kb = sub.add_parser("kb", help="moderate the knowledge base: reload, status, gaps, feedback, audit, FAQ entries")
    actions = kb.add_subparsers(dest="kb_command", metavar="ACTION", required=True)

    reload = actions.add_parser("reload", help="validate the knowledge folder and rebuild the index (only changes)")
    _actor(reload)
    _json(reload)
    reload.set_defaults(func=cmd_reload)

    status = actions.add_parser("status", help="the live index: build, model, counts, pending changes")
    _json(status)
    status.set_defaults(func=cmd_status)

    gaps = actions.add_parser("gaps", help="questions the bot answered badly, grouped, with the closest file")
    gaps.add_argument("--days", type=int, default=30, help="look back this many days (default 30)")
    gaps.add_argument("--limit", type=int, default=10, help="at most this many groups (default 10)")
    _guild(gaps)
    _json(gaps)
    gaps.set_defaults(func=cmd_gaps)

    feedback = actions.add_parser("feedback", help="answers members voted unhelpful")
    feedback.add_argument("--days", type=int, default=30, help="look back this many days (default 30)")
    feedback.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    _guild(feedback)
    _json(feedback)
    feedback.set_defaults(func=cmd_feedback)

    audit = actions.add_parser("audit", help="who changed the knowledge base, and reloads")
    audit.add_argument("--limit", type=int, default=20, help="the newest N entries (default 20)")
    _json(audit)
    audit.set_defaults(func=cmd_audit)

    add = actions.add_parser("faq-add", help="add an FAQ entry (written to knowledge/faq/), then reload")
    add.add_argument("--question", required=True, help="the question, at most 300 characters")
    add.add_argument("--answer", required=True, help="the answer (markdown), at most 4000 characters")
    add.add_argument("--tags", default="", help="comma-separated tags, e.g. career,salary")
    _actor(add)
    _json(add)
    add.set_defaults(func=cmd_faq_add)

    remove = actions.add_parser("faq-remove", help="delete knowledge/faq/ID.md, then reload")
    remove.add_argument("faq_id", metavar="ID", help="the FAQ entry's id (its file name without .md)")
    _actor(remove)
    _json(remove)
    remove.set_defaults(func=cmd_faq_remove)

    diff = actions.add_parser(
        "diff", help="shipped (upstream) knowledge files the live folder lacks or holds differently"
    )
    diff.add_argument(
        "--upstream", metavar="DIR", default=None, help="the shipped copy (default: the image's, /app/knowledge.dist)"
    )
    diff.add_argument("--patch", action="store_true", help="also show how each differing file differs (unified diff)")
    _json(diff)
    diff.set_defaults(func=cmd_diff)


def _actor(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--actor", default=None, help="who is recorded in the audit log (default: cli:<OS user>)")


def _json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _default_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no passwd entry in some containers
        return "cli"


def _guild(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--guild", type=int, default=None, help="only one Discord server's (default: every question)")


@contextmanager
def _moderation(settings: Settings) -> Iterator[Moderation]:
    from bot.wiring import make_services

    services = make_services(settings)
    try:
        yield services.moderation
    finally:
        services.close()


def _print_json(value: BaseModel | Sequence[BaseModel]) -> None:
    data = value.model_dump(mode="json") if isinstance(value, BaseModel) else [v.model_dump(mode="json") for v in value]
    print_json(data)


def _print_reload(result: ReloadResult) -> None:
    if result.ok:
        print(
            f"Reloaded: build {result.build_id} is live ({result.embedded} texts embedded, "
            f"{result.reused} reused, {result.seconds:.1f} s). A running bot picks it up within seconds."
        )
        for advice in result.advice:
            print(f"advice: {advice}")
        return
    for problem in result.problems:
        print(problem, file=sys.stderr)
    print(f"{len(result.problems)} problem(s); build {result.build_id} stays live.", file=sys.stderr)


def cmd_reload(args: argparse.Namespace, settings: Settings) -> int:
    with _moderation(settings) as moderation:
        result = moderation.reload(args.actor or _default_actor())
    if args.json:
        _print_json(result)
    else:
        _print_reload(result)
    return 0 if result.ok else 1


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    with _moderation(settings) as moderation:
        status = moderation.status()
    if args.json:
        _print_json(status)
        return 0
    if status.build_id is None:
        print("No index yet: run `roadmap-bot kb reload`.")
    else:
        built = status.built_at.strftime("%Y-%m-%d %H:%M:%S UTC") if status.built_at else "?"
        print(f"Index build {status.build_id}, built {built} with {status.model}.")
        print(
            f"{status.articles} articles, {status.faq} FAQ entries, {status.roadmaps} roadmap(s) with "
            f"{status.steps} steps, {status.passages} passages."
        )
    print(f"Pending: {status.pending}; run `roadmap-bot kb reload`." if status.pending else "Up to date.")
    if status.decision is not None and status.decision.refit_advised:
        print(
            f"The answer/decline decision was fitted when {status.decision.changed_files:.0%} of today's knowledge "
            "files were different: refit it with `python scripts/eval.py --calibrate` (see docs/retrieval.md)."
        )
    return 0


def cmd_gaps(args: argparse.Namespace, settings: Settings) -> int:
    with _moderation(settings) as moderation:
        groups = moderation.gaps(days=args.days, limit=args.limit, guild_id=args.guild)
    if args.json:
        _print_json(groups)
        return 0
    if not groups:
        print(f"No unanswered or low-confidence questions in the last {args.days} days.")
    for n, group in enumerate(groups, 1):
        print(f"{n}. ({group.count}x, {group.users} member(s)) {group.representative}")
        for example in group.examples[1:]:
            print(f"     also: {example}")
        print(f"     -> {group.suggestion}")
    return 0


def cmd_feedback(args: argparse.Namespace, settings: Settings) -> int:
    with _moderation(settings) as moderation:
        items = moderation.feedback(days=args.days, limit=args.limit, guild_id=args.guild)
    if args.json:
        _print_json(items)
        return 0
    if not items:
        print(f"No answers voted unhelpful in the last {args.days} days.")
    for item in items:
        sources = ", ".join(item.sources) or "no sources"
        print(f"{item.at:%Y-%m-%d %H:%M} {item.question}\n     cited: {sources}")
    return 0


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    with _moderation(settings) as moderation:
        entries = moderation.audit(limit=args.limit)
    if args.json:
        _print_json(entries)
        return 0
    if not entries:
        print("The audit log is empty.")
    for entry in entries:
        print(f"{entry.at:%Y-%m-%d %H:%M:%S} {entry.actor} {entry.action}: {entry.detail}")
    return 0


def _print_change(change: FaqChange, as_json: bool) -> int:
    if as_json:
        _print_json(change)
    elif change.ok:
        verb = "Added" if change.action == "add" else "Removed"
        build = change.reload.build_id if change.reload else "?"
        print(f"{verb} {change.path} (id {change.faq_id}); build {build} is live.")
    else:
        for problem in change.problems:
            print(problem, file=sys.stderr)
        print(f"The change was rolled back: {len(change.problems)} problem(s).", file=sys.stderr)
    return 0 if change.ok else 1


def cmd_faq_add(args: argparse.Namespace, settings: Settings) -> int:
    tags = [t for t in args.tags.split(",") if t.strip()]
    with _moderation(settings) as moderation:
        change = moderation.add_faq(args.actor or _default_actor(), args.question, args.answer, tags)
    return _print_change(change, args.json)


def cmd_faq_remove(args: argparse.Namespace, settings: Settings) -> int:
    with _moderation(settings) as moderation:
        change = moderation.remove_faq(args.actor or _default_actor(), args.faq_id)
    return _print_change(change, args.json)


def cmd_diff(args: argparse.Namespace, settings: Settings) -> int:
    """What a newer image ships that the knowledge volume lacks: the moderators merge it by hand."""
    from pathlib import Path

    from bot.cli.ops_commands import KNOWLEDGE_DIST, kb_diff

    upstream = Path(args.upstream) if args.upstream else KNOWLEDGE_DIST
    return kb_diff(upstream, settings.knowledge_dir, as_json=args.json, patch=args.patch)

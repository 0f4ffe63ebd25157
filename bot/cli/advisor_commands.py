"""Subcommands of the question-answering side: build-index, ask, chat, run."""

from __future__ import annotations

import argparse
import io
import logging
import sys
from collections.abc import Iterator

from bot.cli.output import print_json
from bot.cli.progress import build_progress
from bot.core.errors import InvalidInput, KnowledgeInvalid
from bot.core.text import shown
from bot.settings import Settings

MAX_BATCH_LINES = 10_000
QUESTION_ECHO_CHARS = 200  # a batch's text output names each answer's question, clipped


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    build = sub.add_parser("build-index", help="validate the knowledge folder and build the search index")
    build.add_argument("--check", action="store_true", help="validate only; print every problem as path:line")
    build.set_defaults(func=cmd_build_index)

    ask = sub.add_parser("ask", help="answer one question (or a batch) from the knowledge base")
    ask.add_argument("question", nargs="?", help="the question, in quotes")
    ask.add_argument("--k", type=int, default=5, help="how many passages to return (1-20, default 5)")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument("--batch", metavar="FILE", help="one question per line from FILE ('-' for stdin)")
    ask.add_argument("--user", default=None, help="place each answer on this member's roadmap (their goal)")
    ask.add_argument("--mode", choices=["hybrid", "dense", "bm25"], default=None, help=argparse.SUPPRESS)
    ask.set_defaults(func=cmd_ask, quiet_logs=True)

    chat = sub.add_parser("chat", help="an interactive console session with the advisor")
    chat.add_argument("--user", default=None, help="whose roadmap the console uses (default: your OS user name)")
    chat.set_defaults(func=cmd_chat, quiet_logs=True)

    run = sub.add_parser("run", help="connect to Discord when DISCORD_TOKEN is set, else start the console")
    run.add_argument("--user", default=None, help=argparse.SUPPRESS)
    run.set_defaults(func=cmd_run)


def cmd_build_index(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.index.build import check_knowledge
    from bot.core.opening_check import short_openings
    from bot.wiring import make_advisor

    try:
        kb = check_knowledge(settings.knowledge_dir)
    except KnowledgeInvalid as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s); the index was not changed.", file=sys.stderr)
        return 1
    steps = sum(len(r.steps) for r in kb.roadmaps)
    print(f"OK: {len(kb.articles)} articles, {len(kb.faq)} FAQ entries, {len(kb.roadmaps)} roadmap(s), {steps} steps.")
    for advice in short_openings(kb):
        print(f"advice: {advice}")
    if args.check:
        return 0
    advisor = make_advisor(settings)
    with build_progress(sys.stderr) as progress:
        progress.start()
        report = advisor.rebuild(progress=progress.advance)
    advisor.close()
    print(
        f"Built index {report.build_id}: {report.passages} passages, "
        f"{report.embedded} texts embedded, {report.reused} reused, {report.seconds:.1f} s."
    )
    return 0


def _lines(path: str) -> Iterator[str]:
    """Lines as text whatever bytes they hold: undecodable bytes become U+FFFD, never an exception."""
    if path == "-":
        raw = getattr(sys.stdin, "buffer", None)
        yield from io.TextIOWrapper(raw, encoding="utf-8", errors="replace") if raw is not None else sys.stdin
        return
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            yield from fh
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from exc


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli import render
    from bot.wiring import make_advisor, make_services

    if args.batch is not None and args.question is not None:
        raise InvalidInput("give either a QUESTION or --batch FILE, not both")
    if args.batch is None and args.question is None:
        raise InvalidInput('give a question, e.g. roadmap-bot ask "what should I learn first?"')
    if not 1 <= args.k <= 20:
        raise InvalidInput("--k must be between 1 and 20")
    services = make_services(settings) if args.user else None  # the store only to read the member's goal
    advisor = services.advisor if services is not None else make_advisor(settings)
    with build_progress(sys.stderr) as progress:
        advisor.ensure_index(notify=progress.notify, progress=progress.advance)
    if args.batch is None:
        questions = [args.question]
    else:
        questions = []
        for n, line in enumerate(_lines(args.batch)):
            if n >= MAX_BATCH_LINES:
                raise InvalidInput(f"a batch holds at most {MAX_BATCH_LINES} questions")
            questions.append(line.rstrip("\n"))
    try:
        # Encode in slices so a huge batch streams its answers instead of holding them all.
        for start in range(0, len(questions), 64):
            for answer in advisor.ask_many(questions[start : start + 64], k=args.k, mode=args.mode):
                if services is not None:
                    answer = services.place_on_roadmap(answer, args.user)
                if args.json:
                    data = answer.contract()
                    if answer.roadmap_context is not None:
                        data["roadmap_context"] = answer.roadmap_context.model_dump(mode="json")
                    print_json(data, indent=None)
                else:
                    context = render.step_context(answer.roadmap_context) if answer.roadmap_context else None
                    if args.batch is not None:  # which answer is whose, in a file of many
                        print(f"Q: {shown(answer.question, QUESTION_ECHO_CHARS)}".rstrip())
                    print(answer.answer + (f"\n{context}" if context else "") + "\n", flush=True)
    finally:
        if services is not None:
            services.close()
        else:
            advisor.close()
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_console

    return run_console(settings, user=args.user)


NO_TERMINAL = (
    "No DISCORD_TOKEN is set and there is no terminal for the console: set DISCORD_TOKEN to run the Discord bot, "
    "or run `roadmap-bot chat` in a terminal (in a container: `docker run -it … roadmap-bot chat`)."
)


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.discord_token is None:
        if not sys.stdin.isatty():  # a container or a service with no token would "run" and do nothing
            print(f"roadmap-bot: {NO_TERMINAL}", file=sys.stderr)
            return 2
        print("No DISCORD_TOKEN set: starting the console advisor. (Set it in .env to run the Discord bot.)")
        if not args.verbose:
            logging.getLogger().setLevel(logging.WARNING)  # the console is the interface; logs would clutter it
        return cmd_chat(args, settings)
    from bot.discord_app.runner import run_discord

    return run_discord(settings)

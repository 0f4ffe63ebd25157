"""The command line: `roadmap-bot SUBCOMMAND ...`. Each area registers its own subcommands."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from bot.core.errors import RoadmapBotError
from bot.settings import Settings

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    from bot.cli import advisor_commands, discord_commands, kb_commands, roadmap_commands

    parser = argparse.ArgumentParser(
        prog="roadmap-bot",
        description="A learning-roadmap advisor: cited answers from the knowledge folder, and personal roadmaps.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    advisor_commands.register(sub)
    roadmap_commands.register(sub)
    discord_commands.register(sub)
    kb_commands.register(sub)
    return parser


def configure_logging(level: str, verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Library chatter (progress bars, HTTP) would drown the console advisor.
    for noisy in ("sentence_transformers", "transformers", "httpx", "urllib3", "faiss", "bm25s", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    parser = build_parser()
    given = list(argv) if argv is not None else sys.argv[1:]
    args = parser.parse_args(given)
    if args.command is None:  # the main job: Discord with a token, else the console advisor
        args = parser.parse_args([*given, "run"])
    try:
        settings = Settings().resolved()
    except Exception as exc:  # pydantic's ValidationError names the bad variable
        print(f"roadmap-bot: invalid settings: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level if not getattr(args, "quiet_logs", False) else "WARNING", args.verbose)
    try:
        code: int = args.func(args, settings)
        return code
    except RoadmapBotError as exc:
        print(f"roadmap-bot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130

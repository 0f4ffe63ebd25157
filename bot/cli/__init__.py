"""The command line: `roadmap-bot SUBCOMMAND ...`. Each area registers its own subcommands."""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from bot.core.errors import RoadmapBotError
from bot.core.text import strip_invisible
from bot.settings import Settings

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    from bot.cli import (
        advisor_commands,
        config_commands,
        discord_commands,
        kb_commands,
        ops_commands,
        roadmap_commands,
    )

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
    config_commands.register(sub)
    ops_commands.register(sub)
    return parser


class RedactSecrets(logging.Filter):
    """At DEBUG, discord.py logs gateway payloads: interaction tokens and members' messages. They are
    replaced before any handler writes them."""

    _SECRET = re.compile(r"""(['"](?:token|content|access_token)['"]\s*:\s*)(['"])(?:\\.|(?!\2).)*\2""")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("discord") and record.levelno <= logging.DEBUG:
            message = record.getMessage()
            redacted = self._SECRET.sub(r"\1\2[redacted]\2", message)
            if redacted != message:
                record.msg, record.args = redacted, ()
        return True


def configure_logging(level: str, verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactSecrets())
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
    except ValidationError as exc:
        print(f"roadmap-bot: invalid settings: {settings_problems(exc)}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level if not getattr(args, "quiet_logs", False) else "WARNING", args.verbose)
    try:
        code: int = args.func(args, settings)
        return code
    except RoadmapBotError as exc:
        print(f"roadmap-bot: {strip_invisible(str(exc), keep=chr(10))}{next_move(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, like a process killed by SIGPIPE.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def settings_problems(exc: ValidationError) -> str:
    """One line: each bad variable by its environment name, with what is wrong."""
    parts = []
    for err in exc.errors():
        name = "_".join(str(p) for p in err["loc"]).upper()
        message = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{name}: {message}" if name else message)  # a rule across settings names them itself
    return strip_invisible("; ".join(parts))


def next_move(error: RoadmapBotError) -> str:
    """What to run about it, in the command line's own commands (the core's message names none)."""
    from bot.core.roadmap.errors import NoGoal, RoadmapGone, StepOnOtherRoadmap

    if isinstance(error, NoGoal | RoadmapGone):
        return " Choose one with `roadmap-bot goal set ROADMAP --user ID` (`roadmap-bot roadmap list` lists them)."
    if isinstance(error, StepOnOtherRoadmap):
        return f" Switch with `roadmap-bot goal set {error.roadmap_id} --user ID`."
    return ""

"""Subcommands for whoever runs the bot: health checks, moving the database, seeding a container's volumes.

`health` is the container's HEALTHCHECK; `seed-knowledge` runs before every start in the container
(docker/entrypoint.sh): it fills an empty knowledge (and index) volume from the copy shipped in the
image and never touches one that holds anything, so a moderator's edits survive every upgrade.
`kb diff` (in kb_commands) then lists what a newer image ships that the volume lacks.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bot.cli.output import print_json
from bot.core.errors import CopyFailed, InvalidInput
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.core.store.copy import CopyReport

# Where the image keeps what it ships (see the Dockerfile); volumes are mounted at the settings' folders.
KNOWLEDGE_DIST = Path("/app/knowledge.dist")
INDEX_DIST = Path("/app/index.dist")
STAGING = ".seeding"  # hidden: the knowledge loader and the index skip names starting with "."
COMPLETE = ".complete"
IGNORED_AT_TOP = {"lost+found"}  # a fresh ext4 volume has one; it is not content

Change = Literal["missing", "differs"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    health = sub.add_parser("health", help="exit 0 when the index loads and the database answers, else 1")
    health.set_defaults(func=cmd_health, quiet_logs=True)

    db = sub.add_parser("db", help="the database: copy a deployment's data into another one")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    copy = actions.add_parser(
        "copy", help="copy every row from DATABASE_URL into another database (e.g. SQLite to PostgreSQL)"
    )
    copy.add_argument(
        "--to", required=True, metavar="URL", help="the target, e.g. postgresql+psycopg://user:pw@host/db"
    )
    copy.add_argument("--force", action="store_true", help="replace the rows a non-empty target already holds")
    copy.set_defaults(func=cmd_db_copy, quiet_logs=True)

    seed = sub.add_parser(
        "seed-knowledge",
        help="fill an empty knowledge folder (and index folder) from the shipped copy; never overwrites",
    )
    seed.add_argument("--from", dest="shipped", type=Path, default=KNOWLEDGE_DIST, help=f"default {KNOWLEDGE_DIST}")
    seed.add_argument("--index-from", type=Path, default=INDEX_DIST, help=f"default {INDEX_DIST} (skipped if absent)")
    seed.set_defaults(func=cmd_seed_knowledge)


# health


def cmd_health(args: argparse.Namespace, settings: Settings) -> int:
    """One line either way; never loads the embedding model, never migrates the database."""
    problems: list[str] = []
    index_line = ""
    try:
        from bot.core.retrieval import SearchIndex

        index = SearchIndex.load(settings.index_dir)
        build = index.folder.name if index.folder is not None else "?"
        index_line = f"index build {build} ({len(index.passages)} passages)"
    except Exception as exc:  # a health check reports, it never crashes
        problems.append(f"index: {_one_line(exc)}")
    database_line = ""
    try:
        from bot.core.store.db import ping

        database_line = f"database {ping(settings.database_url)} answers"
    except Exception as exc:
        problems.append(f"database: {_one_line(exc)}")
    if problems:
        print("unhealthy: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(f"healthy: {index_line}, {database_line}")
    return 0


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


# db copy


def cmd_db_copy(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.store.copy import copy_store
    from bot.core.store.db import describe, open_store, parse_url

    if parse_url(args.to) == parse_url(settings.database_url):
        raise InvalidInput("--to names DATABASE_URL itself; give another database to copy into.")
    source = open_store(settings.database_url)
    try:
        target = open_store(args.to)
        try:
            print(f"Copying {describe(source.url)} to {describe(target.url)} in one transaction...")
            report = copy_store(source, target, replace=args.force)
        except CopyFailed as exc:
            if exc.counts:
                _print_counts(exc.counts)
            if exc.target_not_empty:
                raise CopyFailed(f"{exc} Pass --force to replace them.", target_not_empty=True) from exc
            raise
        finally:
            target.dispose()
    finally:
        source.dispose()
    _print_counts([(t.table, t.source, t.target) for t in report.tables])
    print(_summary(report))
    return 0


def _print_counts(counts: list[tuple[str, int, int]]) -> None:
    width = max(len("table"), *(len(name) for name, _, _ in counts))
    print(f"  {'table':<{width}}  {'source':>8}  {'target':>8}")
    for name, source, target in counts:
        mark = "" if source == target else "  MISMATCH"
        print(f"  {name:<{width}}  {source:>8}  {target:>8}{mark}")


def _summary(report: CopyReport) -> str:
    return f"Every table's count matches: {len(report.tables)} tables, {report.rows} rows copied."


# seed-knowledge and kb diff


def cmd_seed_knowledge(args: argparse.Namespace, settings: Settings) -> int:
    shipped: Path = args.shipped
    if not shipped.is_dir():
        raise InvalidInput(f"there is no shipped knowledge at {shipped}; pass --from DIR.")
    copied = seed_folder(shipped, settings.knowledge_dir)
    if copied:
        print(f"Seeded {settings.knowledge_dir} with the {copied} shipped knowledge files.")
    else:
        changes = knowledge_diff(shipped, settings.knowledge_dir)
        note = f"; {len(changes)} shipped file(s) missing or different: see `roadmap-bot kb diff`" if changes else ""
        print(f"Kept the knowledge in {settings.knowledge_dir} as it is{note}.")
    index_from: Path = args.index_from
    if index_from.is_dir() and seed_folder(index_from, settings.index_dir):
        print(f"Seeded {settings.index_dir} with the shipped index.")
    return 0


def _content(folder: Path) -> list[Path]:
    """What a folder holds, leaving out an interrupted seed and a file system's lost+found."""
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.name != STAGING and p.name not in IGNORED_AT_TOP]


def seed_folder(shipped: Path, target: Path) -> int:
    """Copy `shipped` into `target` if `target` holds nothing; returns how many files were copied (0: kept).

    The copy is made in a hidden staging folder inside `target` and then moved into place entry by
    entry (renames within one file system), so a start killed half-way finishes the seed next time
    instead of leaving a half-filled folder that would never be seeded again.
    """
    target.mkdir(parents=True, exist_ok=True)
    staging = target / STAGING
    if staging.is_dir() and not (staging / COMPLETE).is_file():
        shutil.rmtree(staging)  # the copy itself was interrupted: start it over
    if not staging.is_dir():
        if _content(target):
            return 0
        shutil.copytree(shipped, staging, symlinks=False)
        (staging / COMPLETE).write_text("")
    copied = 0
    # Folders before files: an index's CURRENT pointer arrives after the build it names.
    for entry in sorted(staging.iterdir(), key=lambda p: (p.is_file(), p.name)):
        destination = target / entry.name
        if entry.name == COMPLETE or destination.exists():
            continue
        copied += sum(1 for p in entry.rglob("*") if p.is_file()) if entry.is_dir() else 1
        os.replace(entry, destination)
    shutil.rmtree(staging)
    return copied


def _files(root: Path) -> dict[str, Path]:
    """Every file under `root` by relative path; hidden and backup files (as the loader skips them) left out."""
    found: dict[str, Path] = {}
    if not root.is_dir():
        return found
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if path.is_file() and not any(part.startswith((".", "#")) or part.endswith("~") for part in rel.parts):
            found[rel.as_posix()] = path
    return found


def knowledge_diff(upstream: Path, live: Path) -> list[tuple[Change, str]]:
    """Files `upstream` has that `live` lacks ("missing") or holds with other content ("differs"), sorted.

    Files only `live` has (a moderator's own) are not changes: nothing upstream asks to remove them.
    """
    mine = _files(live)
    changes: list[tuple[Change, str]] = []
    for rel, path in sorted(_files(upstream).items()):
        if rel not in mine:
            changes.append(("missing", rel))
        elif mine[rel].read_bytes() != path.read_bytes():
            changes.append(("differs", rel))
    return changes


def kb_diff(upstream: Path, live: Path, *, as_json: bool = False, patch: bool = False) -> int:
    """`roadmap-bot kb diff`: print what the shipped (upstream) knowledge has that the live folder lacks or changed."""
    if not upstream.is_dir():
        raise InvalidInput(f"there is no upstream knowledge at {upstream}; pass --upstream DIR.")
    changes = knowledge_diff(upstream, live)
    if as_json:
        print_json([{"change": change, "path": rel} for change, rel in changes])
        return 0
    if not changes:
        print(f"{live} has every file of {upstream}, unchanged.")
        return 0
    print(f"{len(changes)} file(s) of {upstream} that {live} lacks or holds differently:")
    for change, rel in changes:
        print(f"  {change:<8} {rel}")
        if patch and change == "differs":
            _print_patch(live / rel, upstream / rel, rel)
    print(
        "Copy what you want into the live folder (or merge it by hand), then run `roadmap-bot kb reload`. "
        "Files only the live folder has are the moderators' own and are never listed."
    )
    return 0


def _print_patch(live: Path, upstream: Path, rel: str) -> None:
    try:
        mine = live.read_text(encoding="utf-8").splitlines(keepends=True)
        theirs = upstream.read_text(encoding="utf-8").splitlines(keepends=True)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"    (no patch: {exc})")
        return
    for line in difflib.unified_diff(mine, theirs, f"live/{rel}", f"upstream/{rel}"):
        print("    " + line, end="" if line.endswith("\n") else "\n")

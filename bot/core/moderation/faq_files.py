"""FAQ entry files written from chat: cleaned text, safe names, atomic writes that never overwrite.

Text typed in Discord is hostile until proven otherwise: it may try to escape the folder through the
file name, break the front matter, or ping everyone when the bot quotes it later. Everything written
here is also what a moderator would write by hand, so git edits and chat edits are interchangeable.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import yaml

from bot.core.errors import InvalidInput, NotFound
from bot.core.knowledge.loader import ARTICLES, FAQ
from bot.core.roadmap.matching import suggest
from bot.core.text import clean_text

MAX_QUESTION = 300
MAX_ANSWER = 4000
MAX_TAGS = 10
MAX_TAG = 40
MAX_ACTOR = 100
MAX_SLUG = 60
MAX_SUFFIX = 999
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _bounded(raw: str, limit: int, what: str, *, multiline: bool) -> str:
    if not isinstance(raw, str):
        raise InvalidInput(f"The {what} must be text.")
    if len(raw) > limit * 4:  # refuse before spending time on megabytes of text
        raise InvalidInput(f"The {what} is {len(raw)} characters; the limit is {limit}.")
    text = clean_text(raw, multiline=multiline)
    if not text:
        raise InvalidInput(f"The {what} is empty.")
    if len(text) > limit:
        raise InvalidInput(f"The {what} is {len(text)} characters; the limit is {limit}.")
    return text


def clean_question(raw: str) -> str:
    return _bounded(raw, MAX_QUESTION, "question", multiline=False)


def clean_answer(raw: str) -> str:
    return _bounded(raw, MAX_ANSWER, "answer", multiline=True)


def clean_actor(raw: str) -> str:
    return _bounded(raw, MAX_ACTOR, "moderator name", multiline=False)


def slugify(text: str, limit: int = MAX_SLUG) -> str:
    """ASCII lowercase words joined by hyphens, cut at a word boundary; '' when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        cut = slug[: limit + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:limit]
    return slug.strip("-")


def clean_tags(tags: Iterable[str] | str) -> list[str]:
    """Slugs, deduplicated; a single string is a comma-separated list (as typed in a command)."""
    items = tags.split(",") if isinstance(tags, str) else tags
    out: list[str] = []
    for tag in items:
        slug = slugify(clean_text(str(tag), multiline=False), MAX_TAG)
        if slug and slug not in out:
            out.append(slug)
    if len(out) > MAX_TAGS:
        raise InvalidInput(f"At most {MAX_TAGS} tags, please ({len(out)} given).")
    return out


def base_id(question: str) -> str:
    """The id a question's file is named after; questions with no ASCII letters get a short hash."""
    return slugify(question) or "faq-" + hashlib.sha256(question.encode("utf-8")).hexdigest()[:8]


def render_entry(faq_id: str, question: str, answer: str, tags: list[str], added_by: str) -> str:
    """The file text: YAML front matter (values dumped by safe_dump, never spliced in) and the answer."""
    meta = {"id": faq_id, "question": question, "tags": tags, "added_by": added_by}
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1_000_000)
    if any(line.strip() == "---" for line in front.splitlines()):  # unreachable with one-line values
        raise InvalidInput("The entry cannot be written safely.")
    return f"---\n{front}---\n{answer}\n"


def taken_ids(knowledge_dir: Path) -> set[str]:
    """Ids in use by files on disk (built or not): article and FAQ ids share one namespace."""
    ids: set[str] = set()
    for folder in (ARTICLES, FAQ):
        base = knowledge_dir / folder
        if base.is_dir():
            ids.update(p.stem for p in base.rglob("*.md"))
    return ids


def candidate_ids(wanted_id: str) -> Iterator[str]:
    yield wanted_id
    for n in range(2, MAX_SUFFIX + 1):
        yield f"{wanted_id}-{n}"


def write_new_entry(knowledge_dir: Path, wanted_id: str, render: Callable[[str], str], taken: set[str]) -> Path:
    """Write faq/<id>.md under the first free id of wanted_id, wanted_id-2, ...; never overwrites a file.

    Each attempt goes to a hidden temporary file (the loader and the watcher skip dot files), is synced,
    then hard-linked to its final name: the link fails, instead of replacing, if that name appeared
    meanwhile (another moderator, git), and a crash leaves at most a hidden temporary file.
    """
    folder = knowledge_dir / FAQ
    folder.mkdir(parents=True, exist_ok=True)
    for faq_id in candidate_ids(wanted_id):
        if faq_id in taken:
            continue
        final = folder / f"{faq_id}.md"
        tmp = folder / f".{faq_id}.{secrets.token_hex(6)}.tmp"
        try:
            _write_synced(tmp, render(faq_id).encode("utf-8"))
            if _place(tmp, final):
                _fsync_dir(folder)
                return final
        finally:
            tmp.unlink(missing_ok=True)
    raise InvalidInput(f"Too many FAQ entries are named like '{wanted_id}'; rephrase the question.")


def _place(tmp: Path, final: Path) -> bool:
    """Give `tmp` the name `final` unless that name exists; True when placed."""
    try:
        os.link(tmp, final)
    except FileExistsError:
        return False
    except OSError:  # no hard links here (some network or FUSE file systems): check, then rename
        if final.exists():
            return False
        os.replace(tmp, final)
    return True


def _write_synced(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def entry_path(knowledge_dir: Path, faq_id: str, known: dict[str, str]) -> Path:
    """faq/<id>.md for an existing entry; the id must be a slug, so the path cannot leave the folder.

    `known` maps FAQ ids to questions, for suggestions when the id is unknown.
    """
    wanted = faq_id.strip().lower() if isinstance(faq_id, str) else ""
    if not SLUG.fullmatch(wanted) or len(wanted) > 64:
        raise InvalidInput("An FAQ id is lowercase words joined by hyphens, like 'do-i-need-a-degree'.")
    folder = (knowledge_dir / FAQ).resolve()
    path = folder / f"{wanted}.md"
    if path.parent != folder or not path.is_file():
        on_disk = {p.stem: known.get(p.stem, p.stem) for p in folder.glob("*.md")} if folder.is_dir() else {}
        raise NotFound("FAQ entry", faq_id, suggest(faq_id, {**known, **on_disk}))
    return path


def restore_file(path: Path, data: bytes) -> None:
    """Put a removed file back (after a failed reload) unless someone created a new one meanwhile."""
    tmp = path.with_name(f".{path.stem}.{secrets.token_hex(6)}.tmp")
    try:
        _write_synced(tmp, data)
        _place(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


FORGOTTEN_AUTHOR = "a former member"
_ADDED_BY = re.compile(r"^added_by:[ \t]*(.*?)[ \t]*$", re.MULTILINE)


def authored_by(knowledge_dir: Path, identities: set[str]) -> list[Path]:
    """FAQ files whose front matter names one of `identities` as `added_by`."""
    found: list[Path] = []
    folder = knowledge_dir / FAQ
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        if path.is_symlink():
            continue
        front = path.read_text(encoding="utf-8", errors="replace").split("\n---", 1)[0]
        match = _ADDED_BY.search(front)
        if match and str(yaml.safe_load(match.group(1) or "''") or "") in identities:
            found.append(path)
    return found


def anonymise_author(path: Path) -> None:
    """Rewrite `added_by` to a neutral value, atomically (a temporary file renamed over the entry)."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---")
    head = _ADDED_BY.sub(f"added_by: {FORGOTTEN_AUTHOR}", head, count=1)
    tmp = path.with_name(f".{path.stem}.{secrets.token_hex(6)}.tmp")
    try:
        _write_synced(tmp, (head + sep + body).encode("utf-8"))
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)

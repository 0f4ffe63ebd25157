"""Load the knowledge folder and validate all of it, collecting every problem before giving up.

Moderators fix a folder faster when they see every problem at once, each as `path:line: message`.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.core.errors import KnowledgeInvalid, Problem
from bot.core.knowledge.models import (
    OVERVIEW,
    Article,
    ArticleMeta,
    FaqEntry,
    FaqMeta,
    KnowledgeBase,
    Roadmap,
    ScopeRule,
    Section,
)
from bot.core.knowledge.yaml_lines import line_of, parse_with_lines

log = logging.getLogger(__name__)

ARTICLES = "articles"
FAQ = "faq"
ROADMAPS = "roadmaps"
SCOPE = "scope.yaml"
MAX_FILE_BYTES = 512 * 1024
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ANCHORS_OPEN = re.compile(r"^\s*<!--\s*questions:(.*)$")
_AUDIENCE = re.compile(r"^\s*<!--\s*audience:(.*?)-->\s*$", re.IGNORECASE)
_AUDIENCE_START = re.compile(r"^\s*<!--\s*audience:", re.IGNORECASE)
MAX_AUDIENCE = 20
MAX_ANCHORS = 8
MAX_SCOPE_EXAMPLES = 40


@dataclass(frozen=True)
class Scan:
    files: list[Path]
    outside: list[Path]  # file links that leave the knowledge folder: refused, never read


def scan(root: Path) -> Scan:
    """The files the knowledge base is made of, in a stable order (hidden and backup files skipped).

    Links are not followed out of the folder: a file link whose target lies outside it is refused
    (anything readable could otherwise be indexed and served), a link to a directory is skipped with a
    warning (it could loop, or lead anywhere), and a file link inside the folder is read like a file.
    """
    home = root.resolve()
    found: list[Path] = []
    outside: list[Path] = []
    for folder, suffixes in ((ARTICLES, (".md",)), (FAQ, (".md",)), (ROADMAPS, (".yaml", ".yml"))):
        base = root / folder
        if base.is_symlink():
            log.warning("Skipping %s: it is a link to a directory", base)
            continue
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
            here = Path(dirpath)
            for name in sorted(dirnames):
                if (here / name).is_symlink():
                    log.warning("Skipping %s: it is a link to a directory", (here / name).relative_to(root))
            for name in filenames:
                path = here / name
                if path.suffix not in suffixes or _ignored(path.relative_to(root)):
                    continue
                if path.is_symlink() and not _inside(path, home):
                    outside.append(path)
                elif path.is_file():
                    found.append(path)
    scope = root / SCOPE
    if scope.is_symlink() and not _inside(scope, home):
        outside.append(scope)
    elif scope.is_file():
        found.append(scope)
    return Scan(sorted(set(found)), sorted(outside))


def _inside(link: Path, home: Path) -> bool:
    try:
        return link.resolve(strict=True).is_relative_to(home)
    except (OSError, RuntimeError):  # a broken link or a loop of links
        return False


def knowledge_files(root: Path) -> list[Path]:
    return scan(root).files


def _ignored(rel: Path) -> bool:
    return any(part.startswith((".", "_", "#")) or part.endswith("~") for part in rel.parts)


def fingerprint(root: Path) -> dict[str, str]:
    """sha256 of every knowledge file by relative path: tells whether an index is stale."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in knowledge_files(root)}


def load_knowledge(root: Path) -> KnowledgeBase:
    """Read and validate everything under `root`; raise KnowledgeInvalid listing every problem."""
    problems: list[Problem] = []
    if not root.is_dir():
        raise KnowledgeInvalid([Problem(str(root), 0, "knowledge folder does not exist")])
    articles: list[tuple[Article, Any]] = []
    faq: list[FaqEntry] = []
    roadmaps: list[tuple[Roadmap, Any]] = []
    scope: list[ScopeRule] = []
    found = scan(root)
    for link in found.outside:
        problems.append(Problem(link.relative_to(root).as_posix(), 0, "links outside the knowledge folder"))
    for path in found.files:
        rel = path.relative_to(root).as_posix()
        text = _read(path, rel, problems)
        if text is None:
            continue
        top = rel.split("/", 1)[0]
        if rel == SCOPE:
            scope = _parse_scope(text, rel, problems)
        elif top == ARTICLES:
            article = _parse_article(text, rel, problems)
            if article:
                articles.append(article)
        elif top == FAQ:
            entry = _parse_faq(text, rel, problems)
            if entry:
                faq.append(entry)
        else:
            parsed = _parse_roadmap(text, rel, problems)
            if parsed:
                roadmaps.append(parsed)
    if not articles and not faq and not problems:
        problems.append(
            Problem(root.name or str(root), 0, "no articles or FAQ entries found (expected articles/*.md, faq/*.md)")
        )
    _cross_check(articles, faq, roadmaps, problems)
    if problems:
        raise KnowledgeInvalid(problems)
    return KnowledgeBase(articles=[a for a, _ in articles], faq=faq, roadmaps=[r for r, _ in roadmaps], scope=scope)


def _read(path: Path, rel: str, problems: list[Problem]) -> str | None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        problems.append(Problem(rel, 1, f"file is {size // 1024} KiB; the limit is {MAX_FILE_BYTES // 1024} KiB"))
        return None
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(rel, 1, f"not valid UTF-8 text ({exc.reason} at byte {exc.start})"))
        return None
    if not text.strip():
        problems.append(Problem(rel, 1, "file is empty"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split_front_matter(text: str, rel: str, problems: list[Problem]) -> tuple[str, str, int] | None:
    """Return (front matter, body, line where the body starts)."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        problems.append(Problem(rel, 1, "missing front matter: the file must start with a '---' line"))
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    problems.append(Problem(rel, 1, "front matter is not closed by a '---' line"))
    return None


def _validate(
    model: type[BaseModel], data: Any, node: yaml.Node | None, rel: str, offset: int, problems: list[Problem]
) -> Any:
    if not isinstance(data, dict):
        problems.append(Problem(rel, offset + 1, "expected key: value pairs"))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [p for p in err["loc"] if isinstance(p, (str, int))]
            where = ".".join(str(p) for p in loc) or "(top level)"
            message = err["msg"]
            if err["type"] == "extra_forbidden":
                allowed = ", ".join(model.model_fields)
                message = f"unknown field (allowed: {allowed})"
            elif err["type"] == "string_pattern_mismatch":
                message = "must be lowercase words joined by hyphens, like 'python-basics'"
            problems.append(Problem(rel, offset + line_of(node, loc), f"{where}: {message}"))
        return None


def _parse_yaml(text: str, rel: str, offset: int, problems: list[Problem]) -> tuple[Any, yaml.Node | None] | None:
    try:
        return parse_with_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = offset + (mark.line + 1 if mark is not None else 1)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(Problem(rel, line, f"invalid YAML: {reason}"))
        return None


def _check_file_name(rel: str, item_id: str, problems: list[Problem]) -> None:
    if Path(rel).stem != item_id:
        problems.append(Problem(rel, 2, f"id '{item_id}' must match the file name ('{item_id}{Path(rel).suffix}')"))


def _parse_article(text: str, rel: str, problems: list[Problem]) -> tuple[Article, Any] | None:
    split = _split_front_matter(text, rel, problems)
    if split is None:
        return None
    front, body, body_line = split
    parsed = _parse_yaml(front, rel, 1, problems)
    if parsed is None:
        return None
    meta = _validate(ArticleMeta, parsed[0], parsed[1], rel, 1, problems)
    if meta is None:
        return None
    _check_file_name(rel, meta.id, problems)
    sections = split_sections(body, body_line, meta.title, problems, rel)
    if not sections:
        problems.append(Problem(rel, body_line, "article has no text below its front matter"))
        return None
    return Article(meta=meta, path=rel, sections=sections), parsed[1]


def split_sections(
    body: str, first_line: int, title: str, problems: list[Problem] | None = None, rel: str = ""
) -> list[Section]:
    """Split markdown by `##` headings; a leading `#` title is dropped, text before any `##` is the intro.

    Deeper headings stay inside their section, and headings inside code fences are not headings. A
    `<!-- questions: [...] -->` block (a YAML list, on one line or several) gives the section's
    question anchors, and a one-line `<!-- audience: [teacher, teaching] -->` the words of the members
    it is written for; neither is part of its text.
    """
    problems = problems if problems is not None else []
    sections: list[Section] = []
    current_title, current_line = OVERVIEW, first_line
    buf: list[str] = []
    anchors: list[str] = []
    audience: list[str] = []
    in_fence = False
    lines = body.split("\n")

    def flush() -> None:
        content = "\n".join(buf).strip()
        if content:
            sections.append(
                Section(title=current_title, text=content, line=current_line, questions=anchors, audience=audience)
            )
        elif anchors:
            problems.append(Problem(rel, current_line, f"section '{current_title}' has questions but no text"))

    offset = 0
    while offset < len(lines):
        line = lines[offset]
        if _FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and _AUDIENCE_START.match(line) and not _AUDIENCE.match(line):
            problems.append(
                Problem(rel, first_line + offset, "audience: write it on one line, <!-- audience: [a, b] -->")
            )
        marker = None if in_fence else _AUDIENCE.match(line)
        if marker:
            if audience:
                problems.append(Problem(rel, first_line + offset, f"section '{current_title}' has two audience lines"))
            audience = audience or parse_audience(marker.group(1), rel, first_line + offset, problems)
            offset += 1
            continue
        opener = None if in_fence else _ANCHORS_OPEN.match(line)
        if opener:
            start = offset
            block = [opener.group(1)]
            while "-->" not in block[-1] and offset + 1 < len(lines):
                offset += 1
                block.append(lines[offset])
            offset += 1
            if "-->" not in block[-1]:
                problems.append(Problem(rel, first_line + start, "questions block is not closed by '-->'"))
                continue
            block[-1] = block[-1][: block[-1].index("-->")]
            parsed = _parse_anchors("\n".join(block), rel, first_line + start, problems)
            if anchors and parsed:
                problems.append(Problem(rel, first_line + start, f"section '{current_title}' has two questions blocks"))
            anchors = anchors or parsed
            continue
        match = None if in_fence else _HEADING.match(line)
        if match and len(match.group(1)) == 1 and not sections and not "\n".join(buf).strip():
            offset += 1
            continue  # the article's own title
        if match and len(match.group(1)) == 2:
            flush()
            current_title, current_line, buf, anchors, audience = (
                match.group(2).strip(),
                first_line + offset,
                [],
                [],
                [],
            )
            offset += 1
            continue
        buf.append(line)
        offset += 1
    flush()
    return sections


def parse_audience(text: str, rel: str, line: int, problems: list[Problem]) -> list[str]:
    """A YAML list of 1-20 distinct words or short phrases (2-40 characters), compared lowercased."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    return check_audience(data, rel, line, problems)


def check_audience(data: Any, rel: str, line: int, problems: list[Problem]) -> list[str]:
    strings = isinstance(data, list) and all(isinstance(w, str) for w in data)
    words = [" ".join(w.replace("-", " ").split()).lower() for w in data] if strings else []
    if (
        not strings
        or not 1 <= len(words) <= MAX_AUDIENCE
        or not all(2 <= len(w) <= 40 for w in words)
        or len(set(words)) != len(words)
    ):
        problems.append(
            Problem(rel, line, f"audience: a list of 1 to {MAX_AUDIENCE} distinct words, e.g. [teacher, teaching]")
        )
        return []
    return words


def _parse_anchors(text: str, rel: str, line: int, problems: list[Problem]) -> list[str]:
    """A YAML list of 1-8 distinct questions, each 3-300 characters."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        problems.append(Problem(rel, line, "questions: not a valid YAML list"))
        return []
    return check_anchors(data, rel, line, problems)


def check_anchors(
    data: Any, rel: str, line: int, problems: list[Problem], limit: int = MAX_ANCHORS, what: str = "questions"
) -> list[str]:
    """The same rules for FAQ front matter, article sections and scope examples: learnt once."""
    if not isinstance(data, list) or not all(isinstance(q, str) for q in data):
        problems.append(Problem(rel, line, f"{what}: must be a list of questions, one per line starting with '- '"))
        return []
    cleaned = [" ".join(q.split()) for q in data]
    if not 1 <= len(cleaned) <= limit:
        best = " (3-6 is best)" if limit == MAX_ANCHORS else ""
        problems.append(Problem(rel, line, f"{what}: give 1 to {limit}{best}, not {len(cleaned)}"))
        return []
    bad = [q for q in cleaned if not 3 <= len(q) <= 300]
    if bad:
        problems.append(Problem(rel, line, f"{what}: each must be 3 to 300 characters"))
        return []
    seen: set[str] = set()
    for q in cleaned:
        if q.lower() in seen:
            problems.append(Problem(rel, line, f"{what}: '{q[:60]}' is listed twice"))
            return []
        seen.add(q.lower())
    return cleaned


def _parse_faq(text: str, rel: str, problems: list[Problem]) -> FaqEntry | None:
    split = _split_front_matter(text, rel, problems)
    if split is None:
        return None
    front, body, body_line = split
    parsed = _parse_yaml(front, rel, 1, problems)
    if parsed is None:
        return None
    meta = _validate(FaqMeta, parsed[0], parsed[1], rel, 1, problems)
    if meta is None:
        return None
    _check_file_name(rel, meta.id, problems)
    if meta.questions:
        check_anchors(list(meta.questions), rel, 1 + line_of(parsed[1], ["questions"]), problems)
    if "audience" in parsed[0]:
        audience = check_audience(list(meta.audience) or None, rel, 1 + line_of(parsed[1], ["audience"]), problems)
        meta = meta.model_copy(update={"audience": audience})
    answer = body.strip()
    if not answer:
        problems.append(Problem(rel, body_line, "FAQ entry has no answer below its front matter"))
        return None
    if len(answer) > 20_000:
        problems.append(Problem(rel, body_line, "answer is longer than 20000 characters; split it"))
        return None
    return FaqEntry(meta=meta, path=rel, answer=answer)


def _parse_scope(text: str, rel: str, problems: list[Problem]) -> list[ScopeRule]:
    parsed = _parse_yaml(text, rel, 0, problems)
    if parsed is None:
        return []
    data, node = parsed
    if not isinstance(data, list):
        problems.append(Problem(rel, 1, "expected a list of rules, each starting with '- id:'"))
        return []
    rules: list[ScopeRule] = []
    for i, item in enumerate(data):
        rule = _validate(ScopeRule, item, _item_node(node, i), rel, 0, problems)
        if rule is None:
            continue
        check_anchors(
            list(rule.examples), rel, line_of(node, [i, "examples"]), problems, MAX_SCOPE_EXAMPLES, "examples"
        )
        if any(r.id == rule.id for r in rules):
            problems.append(Problem(rel, line_of(node, [i, "id"]), f"duplicate scope rule id '{rule.id}'"))
        rules.append(rule)
    return rules


def _item_node(node: yaml.Node | None, index: int) -> yaml.Node | None:
    if isinstance(node, yaml.SequenceNode) and index < len(node.value):
        item: yaml.Node = node.value[index]
        return item
    return None


def _parse_roadmap(text: str, rel: str, problems: list[Problem]) -> tuple[Roadmap, Any] | None:
    parsed = _parse_yaml(text, rel, 0, problems)
    if parsed is None:
        return None
    data, node = parsed
    if isinstance(data, dict):
        data = {**data, "path": rel}
    roadmap = _validate(Roadmap, data, node, rel, 0, problems)
    if roadmap is None:
        return None
    _check_file_name(rel, roadmap.id, problems)
    _check_roadmap(roadmap, node, rel, problems)
    return roadmap, node


def _check_roadmap(roadmap: Roadmap, node: yaml.Node | None, rel: str, problems: list[Problem]) -> None:
    stage_ids = [s.id for s in roadmap.stages]
    for i, dup in _duplicates(stage_ids):
        problems.append(Problem(rel, line_of(node, ["stages", i, "id"]), f"duplicate stage id '{dup}'"))
    step_ids = [s.id for s in roadmap.steps]
    for i, dup in _duplicates(step_ids):
        problems.append(Problem(rel, line_of(node, ["steps", i, "id"]), f"duplicate step id '{dup}'"))
    known = set(step_ids)
    seen_alias: dict[str, str] = {}
    for i, step in enumerate(roadmap.steps):
        if step.stage not in stage_ids:
            problems.append(
                Problem(rel, line_of(node, ["steps", i, "stage"]), f"step '{step.id}': unknown stage '{step.stage}'")
            )
        for j, pre in enumerate(step.prerequisites):
            if pre not in known:
                problems.append(
                    Problem(
                        rel,
                        line_of(node, ["steps", i, "prerequisites", j]),
                        f"step '{step.id}': unknown prerequisite '{pre}'{_did_you_mean(pre, known)}",
                    )
                )
            elif pre == step.id:
                problems.append(
                    Problem(rel, line_of(node, ["steps", i, "prerequisites", j]), f"step '{step.id}' requires itself")
                )
        for j, alias in enumerate(step.aliases):
            if alias in known:
                problems.append(
                    Problem(
                        rel,
                        line_of(node, ["steps", i, "aliases", j]),
                        f"step '{step.id}': alias '{alias}' is the id of another step",
                    )
                )
            elif alias in seen_alias:
                problems.append(
                    Problem(
                        rel,
                        line_of(node, ["steps", i, "aliases", j]),
                        f"step '{step.id}': alias '{alias}' is already an alias of '{seen_alias[alias]}'",
                    )
                )
            seen_alias[alias] = step.id
    cycle = find_cycle({s.id: [p for p in s.prerequisites if p in known] for s in roadmap.steps})
    if cycle:
        index = step_ids.index(cycle[0])
        problems.append(
            Problem(
                rel,
                line_of(node, ["steps", index, "prerequisites"]),
                "prerequisites form a cycle: " + " -> ".join([*cycle, cycle[0]]),
            )
        )


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """One cycle in a step -> prerequisites graph, or None when it is a DAG."""
    white, grey, black = 0, 1, 2
    color = dict.fromkeys(graph, white)
    for start in graph:
        if color[start] != white:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = [start]
        color[start] = grey
        while stack:
            vertex, i = stack[-1]
            edges = graph.get(vertex, [])
            if i < len(edges):
                stack[-1] = (vertex, i + 1)
                nxt = edges[i]
                if color.get(nxt, black) == grey:
                    return path[path.index(nxt) :]
                if color.get(nxt) == white:
                    color[nxt] = grey
                    stack.append((nxt, 0))
                    path.append(nxt)
            else:
                color[vertex] = black
                stack.pop()
                path.pop()
    return None


def _duplicates(ids: Iterable[str]) -> list[tuple[int, str]]:
    seen: set[str] = set()
    out: list[tuple[int, str]] = []
    for i, item in enumerate(ids):
        if item in seen:
            out.append((i, item))
        seen.add(item)
    return out


def _did_you_mean(wanted: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(wanted, list(known), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def _cross_check(
    articles: list[tuple[Article, Any]],
    faq: list[FaqEntry],
    roadmaps: list[tuple[Roadmap, Any]],
    problems: list[Problem],
) -> None:
    """Ids are unique across articles and FAQ (citations name them), and every reference resolves."""
    owner: dict[str, str] = {}
    docs: list[Article | FaqEntry] = [*(a for a, _ in articles), *faq]
    for doc in docs:
        if doc.id in owner:
            problems.append(Problem(doc.path, 2, f"duplicate id '{doc.id}' (also used by {owner[doc.id]})"))
        else:
            owner[doc.id] = doc.path
    roadmap_owner: dict[str, str] = {}
    for roadmap, _ in roadmaps:
        if roadmap.id in roadmap_owner:
            problems.append(Problem(roadmap.path, 1, f"duplicate roadmap id '{roadmap.id}'"))
        roadmap_owner[roadmap.id] = roadmap.path
    article_ids = {a.id for a, _ in articles}
    all_steps = {s.id for r, _ in roadmaps for s in r.steps}
    for roadmap, node in roadmaps:
        for i, step in enumerate(roadmap.steps):
            for j, article_id in enumerate(step.articles):
                if article_id not in article_ids:
                    problems.append(
                        Problem(
                            roadmap.path,
                            line_of(node, ["steps", i, "articles", j]),
                            f"step '{step.id}': unknown article '{article_id}'{_did_you_mean(article_id, article_ids)}",
                        )
                    )
    for article, front in articles:
        for j, step_id in enumerate(article.meta.steps):
            if step_id not in all_steps:
                problems.append(
                    Problem(
                        article.path,
                        1 + line_of(front, ["steps", j]),
                        f"unknown roadmap step '{step_id}'{_did_you_mean(step_id, all_steps)}",
                    )
                )

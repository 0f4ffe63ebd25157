"""Server-side checks Discord applies to what a bot sends, so tests catch them before production.

Each check returns a list of :class:`Problem`; the stand-in turns a non-empty list into a
``400 Invalid Form Body`` (code 50035) response shaped like Discord's, which discord.py raises as
``discord.HTTPException`` with a readable ``In embeds.0.description: ...`` message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .payloads import FLAG_IS_COMPONENTS_V2, JSON, walk_components

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
MAX_CHOICES = 25
MAX_CONTEXT_MENUS = 15  # per type (USER / MESSAGE) and scope
COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")


@dataclass(frozen=True)
class Problem:
    """One violated limit: a dotted field path, Discord-style error code and message."""

    path: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _max_len(problems: list[Problem], path: str, value: Any, limit: int) -> None:
    if isinstance(value, str) and len(value) > limit:
        problems.append(
            Problem(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length (got {len(value)}).")
        )


def _required(problems: list[Problem], path: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(path, "BASE_TYPE_REQUIRED", "This field is required"))


def form_error_body(problems: Iterable[Problem]) -> JSON:
    """Nest problems into Discord's ``{"code": 50035, "errors": {...}}`` error payload."""
    errors: JSON = {}
    for problem in problems:
        node = errors
        for part in problem.path.split("."):
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": problem.code, "message": problem.message})
    return {"code": 50035, "message": "Invalid Form Body", "errors": errors}


def embed_problems(embeds: Any, prefix: str = "embeds") -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(embeds, list):
        return problems
    if len(embeds) > MAX_EMBEDS:
        problems.append(Problem(prefix, "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_EMBEDS} or fewer in length."))
    total = 0
    for i, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            continue
        path = f"{prefix}.{i}"
        _max_len(problems, f"{path}.title", embed.get("title"), 256)
        _max_len(problems, f"{path}.description", embed.get("description"), 4096)
        footer = embed.get("footer") or {}
        author = embed.get("author") or {}
        _max_len(problems, f"{path}.footer.text", footer.get("text"), 2048)
        _max_len(problems, f"{path}.author.name", author.get("name"), 256)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            problems.append(Problem(f"{path}.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."))
        for j, fld in enumerate(fields):
            _required(problems, f"{path}.fields.{j}.name", fld.get("name"))
            _required(problems, f"{path}.fields.{j}.value", fld.get("value"))
            _max_len(problems, f"{path}.fields.{j}.name", fld.get("name"), 256)
            _max_len(problems, f"{path}.fields.{j}.value", fld.get("value"), 1024)
            total += len(str(fld.get("name") or "")) + len(str(fld.get("value") or ""))
        for text in (embed.get("title"), embed.get("description"), footer.get("text"), author.get("name")):
            total += len(text) if isinstance(text, str) else 0
    if total > MAX_EMBED_TOTAL:
        problems.append(
            Problem(prefix, "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {MAX_EMBED_TOTAL}")
        )
    return problems


def component_problems(components: Any, *, flags: int = 0, prefix: str = "components") -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(components, list):
        return problems
    if flags & FLAG_IS_COMPONENTS_V2:
        if sum(1 for _ in walk_components(components)) > 40:
            problems.append(Problem(prefix, "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer components in total."))
    elif len(components) > 5:
        problems.append(Problem(prefix, "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length."))
    seen: set[str] = set()
    for i, row in enumerate(components):
        if not isinstance(row, dict):
            continue
        if row.get("type") == 1:
            children = row.get("components") or []
            if not children or len(children) > 5:
                problems.append(
                    Problem(f"{prefix}.{i}.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
                )
            if len(children) > 1 and any(c.get("type") in (3, 5, 6, 7, 8) for c in children):
                problems.append(
                    Problem(f"{prefix}.{i}.components", "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "A select must be alone.")
                )
    for component in walk_components(components):
        custom_id = component.get("custom_id")
        ctype = component.get("type")
        if isinstance(custom_id, str):
            _max_len(problems, f"{prefix}.custom_id", custom_id, 100)
            if custom_id in seen:
                problems.append(
                    Problem(f"{prefix}.custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED", f"Duplicate {custom_id!r}")
                )
            seen.add(custom_id)
        if ctype == 2:
            _max_len(problems, f"{prefix}.label", component.get("label"), 80)
            if component.get("style") == 5 and not component.get("url"):
                problems.append(Problem(f"{prefix}.url", "BASE_TYPE_REQUIRED", "Link buttons need a url"))
            if component.get("style") not in (5, 6) and not custom_id:
                problems.append(Problem(f"{prefix}.custom_id", "BASE_TYPE_REQUIRED", "Buttons need a custom_id"))
        if ctype == 3:
            options = component.get("options") or []
            if not 1 <= len(options) <= 25:
                problems.append(
                    Problem(f"{prefix}.options", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length.")
                )
            _max_len(problems, f"{prefix}.placeholder", component.get("placeholder"), 150)
    return problems


def message_problems(body: Any, *, creating: bool, has_files: bool = False) -> list[Problem]:
    """Limits for a message create (``creating``) or edit body."""
    if not isinstance(body, dict):
        return [Problem("_body", "INVALID_JSON", "Expected a JSON object")]
    problems: list[Problem] = []
    content = body.get("content")
    _max_len(problems, "content", content, MAX_CONTENT)
    problems += embed_problems(body.get("embeds"))
    problems += component_problems(body.get("components"), flags=int(body.get("flags") or 0))
    problems += allowed_mentions_problems(body)
    if creating and not has_files:
        empty = not (isinstance(content, str) and content.strip())
        fields = ("embeds", "components", "attachments", "sticker_ids", "poll")
        if empty and not any(body.get(name) for name in fields):
            problems.append(Problem("_message", "EMPTY_MESSAGE", "Cannot send an empty message"))
    return problems


PARSE_TYPES = frozenset({"users", "roles", "everyone"})


def allowed_mentions_problems(body: JSON) -> list[Problem]:
    """Discord's 400s for a malformed ``allowed_mentions``: unknown ``parse`` types, ``parse``
    containing "users"/"roles" together with a ``users``/``roles`` id list, lists over 100 ids."""
    am = body.get("allowed_mentions")
    if not isinstance(am, dict):
        return []
    problems: list[Problem] = []
    parse = am.get("parse") or []
    if any(value not in PARSE_TYPES for value in parse):
        problems.append(
            Problem("allowed_mentions.parse", "BASE_TYPE_CHOICES", f"Value must be one of {sorted(PARSE_TYPES)}.")
        )
    for kind in ("users", "roles"):
        ids = am.get(kind)
        if ids and kind in parse:
            message = f'parse:["{kind}"] and {kind}: [ids] are mutually exclusive.'
            problems.append(Problem("allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", message))
        if isinstance(ids, list) and len(ids) > 100:
            problems.append(
                Problem(f"allowed_mentions.{kind}", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
            )
    return problems


def autocomplete_problems(data: Any) -> list[Problem]:
    choices = (data or {}).get("choices")
    if not isinstance(choices, list):
        return [Problem("data.choices", "BASE_TYPE_REQUIRED", "This field is required")]
    problems: list[Problem] = []
    if len(choices) > MAX_CHOICES:
        problems.append(Problem("data.choices", "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_CHOICES} or fewer in length."))
    for i, choice in enumerate(choices):
        name = choice.get("name") if isinstance(choice, dict) else None
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            problems.append(Problem(f"data.choices.{i}.name", "BASE_TYPE_BAD_LENGTH", "Must be 1-100 in length."))
        value = choice.get("value") if isinstance(choice, dict) else None
        _max_len(problems, f"data.choices.{i}.value", value, 100)
    return problems


def modal_problems(data: Any) -> list[Problem]:
    if not isinstance(data, dict):
        return [Problem("data", "BASE_TYPE_REQUIRED", "This field is required")]
    problems: list[Problem] = []
    _required(problems, "data.title", data.get("title"))
    _max_len(problems, "data.title", data.get("title"), 45)
    _required(problems, "data.custom_id", data.get("custom_id"))
    _max_len(problems, "data.custom_id", data.get("custom_id"), 100)
    components = data.get("components") or []
    if not 1 <= len(components) <= 5:
        problems.append(Problem("data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."))
    for component in walk_components(components):
        if component.get("type") in (4, 18):
            _max_len(problems, "data.components.label", component.get("label"), 45)
        if component.get("type") == 4:
            _max_len(problems, "data.components.placeholder", component.get("placeholder"), 100)
            _max_len(problems, "data.components.value", component.get("value"), 4000)
    return problems


def command_problems(commands: Any) -> list[Problem]:
    """Checks for a bulk-overwrite of application commands."""
    if not isinstance(commands, list):
        return [Problem("_body", "INVALID_JSON", "Expected a JSON array")]
    problems: list[Problem] = []
    seen: set[tuple[str, int]] = set()
    chat_inputs = 0
    per_type: dict[int, int] = {}
    for i, cmd in enumerate(commands):
        name = cmd.get("name", "")
        ctype = int(cmd.get("type", 1))
        per_type[ctype] = per_type.get(ctype, 0) + 1
        if (name, ctype) in seen:
            problems.append(Problem(f"{i}.name", "APPLICATION_COMMANDS_DUPLICATE_NAME", f"Duplicate name {name!r}"))
        seen.add((name, ctype))
        if ctype in (2, 3):
            # User/message context menus: any-case names with spaces, 1-32 chars; no description/options.
            if not isinstance(name, str) or not 1 <= len(name) <= 32:
                problems.append(Problem(f"{i}.name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length."))
            if cmd.get("description"):
                problems.append(
                    Problem(f"{i}.description", "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION", "Must be empty.")
                )
            if cmd.get("options"):
                problems.append(Problem(f"{i}.options", "APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS", "Not allowed."))
        if ctype == 1:
            chat_inputs += 1
            if not COMMAND_NAME.match(name) or name != name.lower():
                problems.append(Problem(f"{i}.name", "APPLICATION_COMMAND_INVALID_NAME", f"Invalid name {name!r}"))
            desc = cmd.get("description", "")
            if not 1 <= len(desc) <= 100:
                problems.append(Problem(f"{i}.description", "BASE_TYPE_BAD_LENGTH", "Must be 1-100 in length."))
        problems += _option_problems(cmd.get("options") or [], f"{i}.options")
    if chat_inputs > 100:
        problems.append(Problem("_body", "BASE_TYPE_MAX_LENGTH", "Max 100 chat input commands."))
    for ctype, label in ((2, "user"), (3, "message")):
        if per_type.get(ctype, 0) > MAX_CONTEXT_MENUS:
            problems.append(Problem("_body", "BASE_TYPE_MAX_LENGTH", f"Max {MAX_CONTEXT_MENUS} {label} commands."))
    return problems


def _option_problems(options: list[JSON], path: str) -> list[Problem]:
    problems: list[Problem] = []
    if len(options) > 25:
        problems.append(Problem(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."))
    seen_optional = False
    for j, opt in enumerate(options):
        opath = f"{path}.{j}"
        if not 1 <= len(opt.get("description", "")) <= 100:
            problems.append(Problem(f"{opath}.description", "BASE_TYPE_BAD_LENGTH", "Must be 1-100 in length."))
        if len(opt.get("choices") or []) > MAX_CHOICES:
            problems.append(Problem(f"{opath}.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."))
        if opt.get("autocomplete") and opt.get("choices"):
            problems.append(Problem(f"{opath}.autocomplete", "AUTOCOMPLETE_AND_CHOICES", "Cannot have both"))
        if opt.get("type") in (1, 2):
            problems += _option_problems(opt.get("options") or [], f"{opath}.options")
            continue
        if opt.get("required"):
            if seen_optional:
                problems.append(
                    Problem(f"{opath}.required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required first")
                )
        else:
            seen_optional = True
    return problems

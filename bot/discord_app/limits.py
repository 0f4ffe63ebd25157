"""Discord's size limits and pure helpers that fit text to them (no discord import, tested directly).

Discord rejects an over-long message outright (400 Invalid Form Body), so everything the bot sends
passes through one of these helpers. Text is cut at a sentence boundary where possible, so a trimmed
answer never ends mid-thought.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.text import ELLIPSIS, clip, one_line

__all__ = ["ELLIPSIS", "clip", "one_line"]  # re-exported: adapters fit text through this module

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
EMBED_TOTAL = 6000
CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
BUTTON_LABEL = 80
CUSTOM_ID = 100
THREAD_NAME = 100

# A sentence ends with . ! ? or …, maybe followed by closing quotes/brackets and citation markers like " [2]".
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?:\s*\[\d+\])*(?=\s|$)")
_MARKER = re.compile(r"\[(\d+)\]")


def trim_sentences(text: str, limit: int, suffix: str = "") -> tuple[str, bool]:
    """Fit `text` plus `suffix` into `limit` characters, ending on a whole sentence.

    Returns (text, trimmed). `suffix` (e.g. a pointer to the source) is appended only when trimming.
    Falls back to a word boundary when the first sentence alone is too long.
    """
    text = text.strip()
    if len(text) <= limit:
        return text, False
    room = max(0, limit - len(suffix))
    ends = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() <= room]
    kept = text[: ends[-1]].rstrip() if ends else clip(text, room)
    return (kept + suffix)[:limit], True


def first_marker_after(text: str, position: int) -> int | None:
    """The citation number of the first `[n]` marker at or after `position` (whose source a cut text came from)."""
    match = _MARKER.search(text, position)
    return int(match.group(1)) if match else None


def fit_lines(lines: Iterable[str], limit: int) -> str:
    """Join lines within `limit` characters; the lines that do not fit become '… and N more'."""
    items = list(lines)
    out: list[str] = []
    used = -1  # no newline before the first line
    for n, line in enumerate(items):
        after = len(items) - n - 1
        reserve = len(f"\n{ELLIPSIS} and {after} more") if after else 0
        if used + 1 + len(line) + reserve <= limit:
            out.append(line)
            used += 1 + len(line)
            continue
        if not out:  # even the first line is too long: keep what fits of it
            tail = f"\n{ELLIPSIS} and {after} more" if after else ""
            return clip(line, limit - len(tail)) + tail
        return "\n".join([*out, f"{ELLIPSIS} and {len(items) - n} more"])
    return "\n".join(out)


def choices(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Autocomplete (name, value) pairs fit for Discord: at most 25, names clipped to 100 characters.

    A value longer than 100 characters is dropped rather than clipped: a clipped id would name
    something else (or nothing) when the member picks it.
    """
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name, value in pairs:
        if not value or len(value) > CHOICE_VALUE or value in seen:
            continue
        seen.add(value)
        out.append((clip(one_line(name), CHOICE_NAME) or value, value))
        if len(out) == CHOICES:
            break
    return out

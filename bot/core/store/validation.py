"""Checks on text that members send, applied before anything reaches the store."""

from __future__ import annotations

import unicodedata

from bot.core.errors import InvalidInput
from bot.core.store.models import NOTE_MAX, STEP_NOTE_MAX, USER_ID_MAX
from bot.core.text import strip_invisible


def _has_control(text: str, allowed: str = "") -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed for ch in text)


def validate_user_id(user_id: str) -> str:
    """User ids are opaque (a Discord snowflake, a console name): kept as given, but bounded and printable."""
    if not isinstance(user_id, str) or not user_id.strip():
        raise InvalidInput("A user id is required.")
    if len(user_id) > USER_ID_MAX:
        raise InvalidInput(f"A user id can be at most {USER_ID_MAX} characters.")
    if _has_control(user_id):
        raise InvalidInput("A user id cannot contain control characters.")
    return user_id


def clean_note(note: str | None) -> str | None:
    """Notes are free text: trimmed, bounded, and without control characters other than line breaks."""
    if note is None:
        return None
    note = unicodedata.normalize("NFC", note).strip()
    if not note:
        return None
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"The note is {len(note)} characters; keep it under {NOTE_MAX}.")
    if _has_control(note, allowed="\n\t"):
        raise InvalidInput("The note cannot contain control characters.")
    return note


def clean_step_note(text: str | None) -> str | None:
    """A step note: free text and links, trimmed and bounded; invisible and direction marks are dropped
    (they could make a link read as another), other control characters refused."""
    if text is None:
        return None
    if _has_control(text, allowed="\n\t\r"):
        raise InvalidInput("The note cannot contain control characters.")
    cleaned = strip_invisible(unicodedata.normalize("NFC", text).replace("\r\n", "\n"), keep="\n\t").strip()
    if not cleaned:
        return None
    if len(cleaned) > STEP_NOTE_MAX:
        raise InvalidInput(f"The note is {len(cleaned)} characters; keep it under {STEP_NOTE_MAX}.")
    return cleaned


def clip(text: str, limit: int) -> str:
    """Logged text is cut rather than refused: logging must never fail the member's request."""
    text = "".join(ch for ch in text if not _has_control(ch, allowed="\n\t"))
    return text if len(text) <= limit else text[: limit - 1] + "…"

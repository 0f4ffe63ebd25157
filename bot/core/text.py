"""Text hygiene shared by the core and every adapter: one list of invisible characters, one way to
neutralise mentions, clip and flatten. Output limits are the caller's (Discord's 2,000 characters live
in the Discord adapter); these helpers only take a number.

Members' text can hold anything a keyboard, a paste or a terminal can produce: control characters,
zero-width and bidirectional marks (which can make text read differently than it is stored), lone
surrogates from broken UTF-8, and mentions that would ping people when echoed.
"""

from __future__ import annotations

import re
import unicodedata

ELLIPSIS = "…"

# Soft hyphen, zero-width characters, bidi embeddings/overrides/isolates, word joiners, BOM.
_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>")
_MASS_MENTION = re.compile(r"@(everyone|here)\b", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")


def is_control(ch: str) -> bool:
    """A control character or a lone surrogate (what undecodable bytes become)."""
    return unicodedata.category(ch) in ("Cc", "Cs")


def strip_invisible(text: str, *, keep: str = "") -> str:
    """Remove invisible and control characters and lone surrogates, keeping the characters in `keep`
    (e.g. "\\n\\t" for multi-line text); on one line a removed control character becomes a space."""
    text = _INVISIBLE.sub("", text)
    gap = "" if keep else " "
    return "".join(ch if ch in keep or not is_control(ch) else gap for ch in text)


def neutralise_mentions(text: str) -> str:
    """Drop user/role/channel mentions and defuse @everyone/@here (repeated: removals can splice new ones)."""
    while True:
        cleaned = _MASS_MENTION.sub(r"\1", _MENTION.sub(" ", text))
        if cleaned == text:
            return cleaned
        text = cleaned


def one_line(text: str) -> str:
    """Collapse whitespace: names, titles and labels are a single line."""
    return _SPACE.sub(" ", text).strip()


def clean_text(text: str, *, multiline: bool = False) -> str:
    """NFC, no invisible or control characters, no mentions; one line unless `multiline`."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = neutralise_mentions(strip_invisible(text, keep="\n\t" if multiline else ""))
    if not multiline:
        return one_line(text)
    lines = [line.rstrip() for line in text.replace("\t", "    ").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary when one is near, the cut marked with an ellipsis."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    if limit == 1:
        return ELLIPSIS
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= max(1, limit - 20):
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def shown(text: str, limit: int = 60) -> str:
    """Member input quoted back in a message: one line, nothing invisible, clipped."""
    return clip(one_line(strip_invisible(text)), limit)


_CUSTOM_EMOJI = re.compile(r"<a?(:\w+:)\d+>")
_TIMESTAMP = re.compile(r"<t:(\d+)(?::\w)?>")
_LINK = re.compile(r"\[([^\]\n]+)\]\((?:<)?(https?://[^)\s>]+)>?\)")
_EMPHASIS = re.compile(r"(?<!\w)(\*\*\*|\*\*|__|~~|\|\||\*|_)(?=\S)(.+?)(?<=\S)\1(?!\w)", re.DOTALL)
_CODE = re.compile(r"```[\w+-]*\n?|`")
_LINE_MARKS = re.compile(r"^(?:#{1,3} |-# |>>> |> )", re.MULTILINE)


def plain_text(text: str) -> str:
    """A chat message as plain, multi-line text: mentions, chat markdown (emphasis, spoilers, code
    marks, headings, quotes, masked links) and custom emoji ids removed, so it can seed a knowledge entry."""
    text = _CUSTOM_EMOJI.sub(r"\1", _TIMESTAMP.sub("", text))
    text = _LINK.sub(r"\1 (\2)", text)
    text = _LINE_MARKS.sub("", _CODE.sub("", text))
    previous = None
    while previous != text:
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return clean_text(text, multiline=True)

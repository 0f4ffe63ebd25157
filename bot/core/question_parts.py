"""The separate questions in a forum-style post, so each gets its own answer, in order.

"I'm 34 and in marketing. Is it too late? And do I need a degree?" asks two things; retrieving for the
whole post finds one of them. A part is a sentence that asks something (it ends in "?" or starts like
a question); background sentences are left out. A short part ("is it worth it?") borrows the sentence
before it, which usually names what "it" is.
"""

from __future__ import annotations

import re

MAX_PARTS = 3
MIN_WORDS = 5

_SPLIT = re.compile(r"(?<=[?.!])\s+|\n+|(?<=[a-z0-9)])\s*[;]\s+")
_ASKS = re.compile(
    r"^(?:and |also |but |so |or |plus |then |pls |please |btw |lastly |finally |oh and )*"
    r"(?:what|how|should|shoud|can|could|do|does|did|is|are|am|was|which|when|where|why|will|would|any|anyone|"
    r"wat|wht|hw|whats|what's|is there|are there|need|must|i wonder|wondering|thoughts|advice|recommend|tips)\b",
    re.IGNORECASE,
)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT.split(text) if s and s.strip()]


def asks(sentence: str) -> bool:
    return sentence.rstrip().endswith("?") or _ASKS.match(sentence.strip()) is not None


def split_parts(text: str) -> list[str]:
    """The questions of a post, at most three; empty when it asks one thing (or nothing recognisable)."""
    found = sentences(text)
    if len(found) < 2:
        return []
    parts: list[str] = []
    for n, sentence in enumerate(found):
        if not asks(sentence):
            continue
        if len(sentence.split()) < MIN_WORDS and n > 0 and not asks(found[n - 1]):
            sentence = f"{found[n - 1]} {sentence}"
        parts.append(sentence)
    return parts[:MAX_PARTS] if len(parts) >= 2 else []

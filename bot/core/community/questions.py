"""Reading community messages: which look like questions, and what to search for a follow-up.

Pure text rules, no Discord: the adapter decides where they apply.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable

from bot.core.text import clean_text

MIN_WORDS = 3
"""Posts shorter than this are greetings or titles like "help", not questions worth an answer."""
FOLLOW_UP_WORDS = 8
"""A follow-up shorter than this is read together with the question before it."""

_QUESTION_START = re.compile(
    r"^(how|what|why|when|where|which|who|whom|whose|should|shall|can|could|do|does|did|is|are|was|were|"
    r"would|will|any|anyone|anybody|is there|has|have|recommend)\b",
    re.IGNORECASE,
)
_ELLIPTIC = re.compile(r"\b(it|its|this|that|these|those|they|them|one|ones|there|same|else|instead)\b", re.I)
_WORD = re.compile(r"\w+")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def long_enough(text: str, min_words: int = MIN_WORDS) -> bool:
    return word_count(clean_text(text)) >= min_words


def looks_like_question(text: str, min_words: int = MIN_WORDS) -> bool:
    """A message worth answering unasked: a few words, and a question mark or a question's first word."""
    cleaned = clean_text(text)
    if word_count(cleaned) < min_words:
        return False
    return "?" in cleaned or _QUESTION_START.match(cleaned) is not None


def follow_up_query(follow_up: str, earlier: str) -> str:
    """What to search for a follow-up in a thread: the follow-up alone when it stands on its own,
    else (short, or pointing back with "it", "that"…) the follow-up with the earlier question."""
    follow_up, earlier = clean_text(follow_up), clean_text(earlier)
    if not earlier or not follow_up:
        return follow_up or earlier
    if word_count(follow_up) < FOLLOW_UP_WORDS or _ELLIPTIC.search(follow_up):
        return f"{follow_up} {earlier}"
    return follow_up


MAX_TRACKED = 50_000
"""Threads and members remembered at most; the oldest are forgotten first (memory stays bounded)."""


class RateLimits:
    """Automatic answers allowed per thread (in all) and per member per hour, counted in this process.

    `allow` records an answer only when both limits leave room, so a refused answer costs nothing.
    """

    def __init__(self, per_thread: int, per_member_hour: int, clock: Callable[[], float]) -> None:
        self.per_thread = per_thread
        self.per_member_hour = per_member_hour
        self._clock = clock
        self._threads: dict[int, int] = {}
        self._members: dict[int, deque[float]] = {}

    def allow(self, thread_id: int, member_id: int) -> bool:
        now = self._clock()
        recent = self._members.setdefault(member_id, deque())
        while recent and recent[0] <= now - 3600:
            recent.popleft()
        if self._threads.get(thread_id, 0) >= self.per_thread or len(recent) >= self.per_member_hour:
            return False
        self._threads[thread_id] = self._threads.get(thread_id, 0) + 1
        recent.append(now)
        for tracked in (self._threads, self._members):
            while len(tracked) > MAX_TRACKED:
                del tracked[next(iter(tracked))]
        return True

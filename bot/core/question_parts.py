"""The separate questions in a forum-style post, so each gets its own answer, in order.

"I'm 34 and in marketing. Is it too late? And do I need a degree?" asks two things; retrieving for the
whole post finds one of them. A part is a sentence that asks something (it ends in "?" or starts like
a question); background sentences are left out. A short part ("is it worth it?") borrows the sentence
before it, which usually names what "it" is; a follow-up that names no topic of its own ("what am i
doing wrong?", "how is that even possible?") belongs to the question before it and is not a part.
"""

from __future__ import annotations

import re

MAX_PARTS = 3
MIN_WORDS = 5

# Words that say how something is asked, not what about: a sentence made only of these has no topic.
_NO_TOPIC = frozenset(
    """
    a about actually advice am an and any anyone anything are be but can could did do does doing done
    else even exactly fine for get getting go going good help here how i idea if in is it just me
    missing my now of ok okay on or please pls possible really right should so someone something that
    the then there these thing this those thoughts tips to was way we were what whats when where which
    who why will with worth would wrong you your
    """.split()  # noqa: SIM905 (a word list reads best as words)
)
_WORDS = re.compile(r"[a-z']+")

_SPLIT = re.compile(r"(?<=[?.!])\s+|\n+|(?<=[a-z0-9)])\s*[;]\s+")
_ASKS = re.compile(
    r"^(?:and |also |but |so |or |plus |then |pls |please |btw |lastly |finally |oh and )*"
    r"(?:what|how|should|shoud|can|could|do|does|did|is|are|am|was|which|when|where|why|will|would|any|anyone|"
    r"wat|wht|hw|whats|what's|is there|are there|need|must|i wonder|wondering|thoughts|advice|recommend|tips)\b",
    re.IGNORECASE,
)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT.split(text) if s and s.strip()]


# A sentence that ends in a full stop and opens with "when I…" or "where the…" tells ("When I open a
# blank notebook, I freeze."); "when should i learn docker." still asks.
_TELLS = re.compile(
    r"^(?:and |also |but |so |then )*(?:when|where)\s+"
    r"(?:i|i'm|i've|we|you|my|our|your|the|a|an|it|they|he|she|people|everyone|someone)\b",
    re.IGNORECASE,
)


def asks(sentence: str) -> bool:
    text = sentence.strip()
    if text.endswith("?"):
        return True
    if text.endswith((".", "!")) and _TELLS.match(text):
        return False
    return _ASKS.match(text) is not None


def has_topic(sentence: str) -> bool:
    words = [w.strip("'") for w in _WORDS.findall(sentence.lower())]
    return any(len(w) >= 3 and w not in _NO_TOPIC for w in words)


def split_parts(text: str) -> list[str]:
    """The questions of a post, at most three; empty when it asks one thing (or nothing recognisable)."""
    found = sentences(text)
    if len(found) < 2:
        return []
    parts: list[str] = []
    for n, sentence in enumerate(found):
        if not asks(sentence):
            continue
        if n > 0 and not has_topic(sentence) and parts and parts[-1].endswith(found[n - 1]):
            # the sentence before was the last part: this is its follow-up, not a question of its own
            parts[-1] = f"{parts[-1]} {sentence}"
            continue
        if n > 0 and not asks(found[n - 1]) and (len(sentence.split()) < MIN_WORDS or not has_topic(sentence)):
            sentence = f"{found[n - 1]} {sentence}"
        parts.append(sentence)
    return parts[:MAX_PARTS] if len(parts) >= 2 else []

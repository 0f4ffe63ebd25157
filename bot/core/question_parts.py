"""The separate questions in a forum-style post, so each gets its own answer, in order.

"I'm 34 and in marketing. Is it too late? And do I need a degree?" asks two things; retrieving for the
whole post finds one of them. A part is a sentence that asks something (it ends in "?" or starts like
a question), or asks indirectly ("I'm wondering whether…", "not sure if I should…", "Second, do I
need…"); background sentences are left out. A short part ("is it worth it?", "is this normal or am I
behind?") borrows the sentence before it, which usually names what "it" is; a follow-up that names
no topic of its own ("what am i doing wrong?"), a word or two ("Kubeflow?") or an alternative ("Or
do I need experience first?") belongs to the question before it and is not a part.
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


# "I'm wondering whether…", "not sure if…", "can't tell which…": members often ask without a question
# mark, in a sentence that starts with their situation.
_INDIRECT = re.compile(
    r"\b(?:wondering|wonder|not sure|unsure|torn|confused|curious|idk|dunno|no idea|"
    r"(?:can't|cant|cannot|can not) (?:tell|figure out|decide|work out)|"
    r"(?:don't|dont|do not) (?:really )?(?:understand|get|know))"
    r"(?: about)? (?:if|whether|how|what|why|which|when|between)\b",
    re.IGNORECASE,
)
# A short lead before the question: "Second, do I…", "Last thing: how…", "also kinda random but how…",
# "If I buy one later, is a MacBook…". Only leads made of these words, or a clause opened by "if" or
# "given", so that "In my last job, which was…" does not ask.
_LEAD = re.compile(r"^(?P<lead>[^,:;—–?]{1,60}?)(?:\s*[,:;—–]\s*|\s+-\s+|\s+but\s+)(?P<rest>.+)$", re.IGNORECASE)
_CLAUSE_OPENERS = frozenset({"if", "given", "for", "once", "regarding", "about", "as", "with"})
# "If I go that route do I still need the fundamentals" asks after its condition, without a comma.
_IF_THEN_ASKS = re.compile(
    r"^(?:and |also |but |so )*if\b[^,?]*?\b(?:do|does|should|can|would|will|is|are)\s+(?:i|you|we|it|that|there)\b",
    re.IGNORECASE,
)
_LEAD_WORDS = frozenset(
    """
    also and another bonus btw but first finally fourth kinda kind of last lastly more my next oh ok okay
    one other plus q question questions quick random related second side so then thing things third
    unrelated
    """.split()  # noqa: SIM905
)


# "I was thinking of the AWS one, do those matter to recruiters." asks in its last clause.
_TAIL = re.compile(
    r"[,;—–:]\s*(?:and |but |so |or )?(?:(?:do|does|did|is|are|should|can|could|would|will|am)\s+"
    r"(?:i|you|we|they|it|that|this|there|those|these|people|anyone|employers|recruiters|companies|most|my)"
    r"|how (?:do|does|much|many|long|should|can|would|important|hard|exactly))\b",
    re.IGNORECASE,
)
# Without a question mark, "did the fast.ai course and two projects" tells: do/does/did ask only when
# a subject follows.
_TELLING_DO = re.compile(
    r"^(?:and |also |but |so )*(?:do|does|did)\s+(?!i\b|you\b|we\b|they\b|it\b|that\b|this\b|"
    r"there\b|those\b|these\b|people\b|anyone\b|employers\b|recruiters\b|companies\b|most\b|my\b|"
    r"your\b|ml\b|he\b|she\b)",
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
    direct = _ASKS.match(text) is not None and not _TELLING_DO.match(text)
    return direct or _INDIRECT.search(text) is not None or _TAIL.search(text) is not None or _asks_after_lead(text)


def _asks_after_lead(text: str, leads: int = 2) -> bool:
    if _IF_THEN_ASKS.match(text):
        return True
    found = _LEAD.match(text)
    if found is None or leads == 0:
        return False
    lead = [w for w in _WORDS.findall(found["lead"].lower()) if w not in ("and", "also", "but", "so")]
    opens_clause = bool(lead) and lead[0] in _CLAUSE_OPENERS
    if not opens_clause and not all(w in _LEAD_WORDS for w in lead):
        return False
    rest = found["rest"]
    if _ASKS.match(rest) is not None and not _TELLS.match(rest) and not _TELLING_DO.match(rest):
        return True
    return _asks_after_lead(rest, leads - 1)


def has_topic(sentence: str) -> bool:
    words = [w.strip("'") for w in _WORDS.findall(sentence.lower())]
    return any(len(w) >= 3 and w not in _NO_TOPIC for w in words)


_OR = re.compile(r"^or\b", re.IGNORECASE)
# "Is this normal or am I behind?" is about the sentence before it.
_POINTS_BACK = re.compile(r"\b(?:this|that|it|those|these|they)\b", re.IGNORECASE)
SHORT_POINTING_BACK = 10  # words


def split_parts(text: str) -> list[str]:
    """The questions of a post, at most three; empty when it asks one thing (or nothing recognisable)."""
    found = sentences(text)
    if len(found) < 2:
        return []
    parts: list[str] = []
    for n, sentence in enumerate(found):
        if not asks(sentence):
            continue
        words = len(sentence.split())
        follows_part = n > 0 and bool(parts) and parts[-1].endswith(found[n - 1])
        if follows_part and (not has_topic(sentence) or words < MIN_WORDS or _OR.match(sentence)):
            # the sentence before was the last part: this is its follow-up ("Kubeflow?", "Or do I need
            # experience first?"), not a question of its own
            parts[-1] = f"{parts[-1]} {sentence}"
            continue
        short = words < MIN_WORDS or (words < SHORT_POINTING_BACK and _POINTS_BACK.search(sentence) is not None)
        if n > 0 and not asks(found[n - 1]) and (short or not has_topic(sentence)):
            sentence = f"{found[n - 1]} {sentence}"
        parts.append(sentence)
    return parts[:MAX_PARTS] if len(parts) >= 2 else []

"""The separate questions in a forum-style post, so each gets its own answer, in order.

"I'm 34 and in marketing. Is it too late? And do I need a degree?" asks two things; retrieving for the
whole post finds one of them. A part is a sentence that asks something (it ends in "?" or starts like
a question), or asks indirectly ("I'm wondering whether…", "not sure if I should…", "Second, do I
need…"); background sentences are left out. A short part ("is it worth it?", "is this normal or am I
behind?") borrows up to two sentences told before it, which usually name what "it" is; a follow-up
that names no topic of its own ("what am i doing wrong?"), a word or two ("Kubeflow?") or an
alternative ("Or do I need experience first?") belongs to the question before it and is not a part.
"""

from __future__ import annotations

import re

MAX_PARTS = 3
MIN_WORDS = 5

# Words that say how something is asked, not what about: a sentence made only of these has no topic.
_NO_TOPIC = frozenset(
    """
    a about actually advice am an and any anyone anything are be but can could did do does doing done
    better dont don't else even exactly fine for get getting go going good had has have help here how i idea if in is it just
    me missing my now of ok okay on or please pls plz possible really right should so someone something tell that
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


_FILLER = r"(?:and |also |but |so |then )*"
# Who a question is about when its verb comes first ("do recruiters care", "is it worth").
_SUBJECT = (
    r"(?:i|you|we|they|he|she|it|that|this|there|those|these|people|anyone|employers|recruiters|"
    r"companies|most|your|ml)"
)

# "I'm wondering whether…", "not sure if…", "can't tell which…": members often ask without a question
# mark, in a sentence that starts with their situation. Past-tense stories ("I was torn between two
# offers and took one", "I don't know how, but I passed") tell, so the phrases are the asking ones.
_INDIRECT = re.compile(
    r"\b(?:wondering|wonder|not sure|unsure|idk|dunno|no idea|"
    r"(?:^|\b(?:i'm|im|i am|kinda|really|so|bit|also|just) )(?:torn|confused|curious)(?: about| by)?|"
    r"(?:can't|cant|cannot|can not) (?:tell|figure out|decide|work out)|"
    r"(?:don't|dont|do not) (?:really )?(?:understand|get))"
    r"(?: about)? (?:if|whether|how|what|why|which|when|between)\b",
    re.IGNORECASE,
)
# A short lead before the question: "Second, do I…", "Last thing: how…", "also kinda random but how…",
# "If I buy one later, is a MacBook…". Only leads made of `_LEAD_WORDS`, or a clause opened by one of
# `_CLAUSE_OPENERS`, so that "In my last job, which was…" does not ask.
_LEAD = re.compile(r"^(?P<lead>[^,:;—–?]{1,60}?)(?:\s*+[,:;—–]\s*+|\s+-\s+|\s+but\s+)(?P<rest>.+)$", re.IGNORECASE)
_CLAUSE_OPENERS = frozenset({"if", "given", "for", "once", "regarding", "about", "as", "with"})
_LEAD_WORDS = frozenset(
    """
    also and another bonus btw but first finally fourth kinda kind of last lastly more my next oh ok okay
    one other plus q question questions quick random related second side so then thing things third
    unrelated
    """.split()  # noqa: SIM905
)
LEADS = 2  # "Also, given my background, which…" has two
# "If I go that route do I still need the fundamentals" asks after its condition, without a comma;
# "If you want to do it right you need the maths" does not (the question's subject is a person).
_IF_THEN_ASKS = re.compile(
    rf"^{_FILLER}if\b[^,?]*?\b(?:do|does|should|can|would|will)\s+(?:i|you|we)\b(?! (?:can|could|will|would)\b)",
    re.IGNORECASE,
)
# "I was thinking of the AWS one, do those matter to recruiters." asks in its last clause.
_TAIL = re.compile(
    rf"[,;—–:]\s*+(?:and |but |so |or )?(?:(?:do|does|is|are|should|can|could|would|will|am)\s+{_SUBJECT}"
    r"|how (?:do|does|should|can|would|much do|much does|long do|long does|hard is|important is))\b",
    re.IGNORECASE,
)
# Without a question mark, "did the fast.ai course and two projects.", "what I did was build a
# scraper." and "what helped me most was Kaggle." tell; "what kind of projects would make the team take
# me seriously, since my work is dashboards", "how advanced is the maths" and "what speed is needed"
# ask (after "what"/"how" comes neither a teller nor, after "what", a past verb).
_STORY = re.compile(
    rf"^{_FILLER}(?:did\s+(?:the|a|an|my|some|two|three)\b.*[.!]$"
    r"|(?:what|how)\s+(?:i|we|he|she|they|my|our)\b[^?]*?\b(?:was|is)\b"
    r"|what\s+(?:got|made|took|gave|kept|[a-z]+ed)\b(?!\s+(?:is|are)\b)[^?]*?\b(?:was|is)\b)",
    re.IGNORECASE,
)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT.split(text) if s and s.strip()]


# A sentence that ends in a full stop and opens with "when I…" or "where the…" tells ("When I open a
# blank notebook, I freeze."); "when should i learn docker." still asks.
_TELLS = re.compile(
    rf"^{_FILLER}(?:when|where)\s+"
    r"(?:i|i'm|i've|we|you|my|our|your|the|a|an|it|they|he|she|people|everyone|someone)\b",
    re.IGNORECASE,
)


def asks(sentence: str) -> bool:
    text = sentence.strip()
    if text.endswith("?"):
        return True
    if text.endswith((".", "!")) and _TELLS.match(text):
        return False
    return (
        _opens_a_question(text)
        or _INDIRECT.search(text) is not None
        or _TAIL.search(text) is not None
        or _asks_after_lead(text)
    )


def _opens_a_question(text: str) -> bool:
    return _ASKS.match(text) is not None and not _STORY.match(text) and not _TELLS.match(text)


def _asks_after_lead(text: str, leads: int = LEADS) -> bool:
    """Whether the sentence asks once up to `leads` short leads ("Also, given my background, …") are set aside."""
    if _IF_THEN_ASKS.match(text):
        return True
    if leads == 0:
        return False
    found = _LEAD.match(text)
    if found is None:
        return False
    lead = [w for w in _WORDS.findall(found["lead"].lower()) if w not in ("and", "also", "but", "so")]
    opens_clause = bool(lead) and lead[0] in _CLAUSE_OPENERS
    if not opens_clause and not all(w in _LEAD_WORDS for w in lead):
        return False
    return _opens_a_question(found["rest"]) or _asks_after_lead(found["rest"], leads - 1)


# Verbs of learning, asking and needing: "how much should i learn", "I read about it but dont understand when
# it happen", "leetcode for ml jobs?? do i need that" name no topic, because they point back or ask an amount;
# "What should I learn?" has one.
_ASKING_VERBS = frozenset(
    """
    ask asked asks expect explain happen happens happening know learn mean means need needed needs read study
    understand work works
    """.split()  # noqa: SIM905
)
_AMOUNT = frozenset({"much", "more", "enough"})
# "Is this normal or am I behind?" is about the sentence before it.
_POINTS_BACK = re.compile(r"\b(?:this|that|it|those|these|they)\b", re.IGNORECASE)


def has_topic(sentence: str) -> bool:
    words = [w.strip("'") for w in _WORDS.findall(sentence.lower())]
    topical = [w for w in words if len(w) >= 3 and w not in _NO_TOPIC]
    if not topical:
        return False
    points = _POINTS_BACK.search(sentence) is not None or any(w in _AMOUNT or w == "them" for w in words)
    return not (points and all(w in _ASKING_VERBS or w in _AMOUNT or w in ("they", "them") for w in topical))


_OR = re.compile(r"^or\b", re.IGNORECASE)
# "How do the interviews look? 1) coding part 2) ML theory 3) system design?": items that only name
# what the question before asks about. "(2) is there a good resource…?" asks a question of its own.
_MARKER = re.compile(r"(?:^|\s)\(?[1-9][).]\s+")


def _names_items(sentence: str) -> bool:
    items = [item for item in _MARKER.split(sentence) if item.strip()]
    return len(_MARKER.findall(sentence)) >= 2 and not any(_ASKS.match(item.strip()) for item in items)


_SHORT_POINTING_BACK = 10  # words
# A short part borrows up to this many sentences told just before it: "I tune on the test set until it
# looks best. Production is always worse. Am I doing something wrong?" needs both (one was enough for
# "is this normal?" after its story; on tune, calibrate and the development posts two changed no fact).
BORROWED = 2


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
        fragment = words < MIN_WORDS and not _ASKS.match(sentence)
        if follows_part and (not has_topic(sentence) or fragment or _OR.match(sentence) or _names_items(sentence)):
            # the sentence before was the last part: this is its follow-up ("Kubeflow?", "Or do I need
            # experience first?"), not a question of its own
            parts[-1] = f"{parts[-1]} {sentence}"
            continue
        short = words < MIN_WORDS or (words < _SHORT_POINTING_BACK and _POINTS_BACK.search(sentence) is not None)
        if n > 0 and not asks(found[n - 1]) and (short or not has_topic(sentence)):
            start = n - 1
            while start > 0 and n - start < BORROWED and not asks(found[start - 1]):
                start -= 1
            sentence = " ".join([*found[start:n], sentence])
        parts.append(sentence)
    return parts[:MAX_PARTS] if len(parts) >= 2 else []

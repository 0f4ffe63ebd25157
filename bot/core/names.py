"""Employers and programmes a member asks about that the knowledge base never mentions.

"What's the interview loop at Stripe like?" is answered from the general interview knowledge; shown
without a word, it reads as Stripe's loop. A capitalised name the member is being hired by or would
join ("interview at Stripe", "an offer from Shopify", "joining Two Sigma", "Spotify's hiring process"),
none of whose words the knowledge uses, is something the answer knows nothing specific about, and the
answer says so first. Where members work or study now ("I work at Walmart", "a student at Stanford")
and people ("Karpathy's course") are not what they asked about.
"""

from __future__ import annotations

import re
from collections.abc import Container

# Capitalised words on one line, not all capitals (acronyms such as "ML" or "AWS" are technical terms
# more often than organisations); a full stop ends a name ("at Stripe. What should I…").
_WORD_IN_NAME = r"[A-Z][a-z][\w&'’-]*(?:\.\w[\w&-]*)*"
_NAME = rf"{_WORD_IN_NAME}(?:[ \t]+{_WORD_IN_NAME}){{0,2}}"
_HIRING = (
    r"(?i:interviews?|interviewing|loop|onsite|on-site|hiring|hired|offer|offers|job|role|position|"
    r"internship|team|process|recruiter|application|apply|applying)"
)
_AFTER = re.compile(
    rf"\b(?:{_HIRING})\b(?:[ \t]+[\w-]+){{0,3}}?[ \t]+(?i:at|from|with|for)[ \t]+(?P<name>{_NAME})"
    rf"|\b(?i:join|joining)[ \t]+(?P<joined>{_NAME})"
)
_POSSESSIVE = re.compile(rf"(?P<name>{_NAME})['’]s[ \t]+(?:\w+[ \t]+)?(?:{_HIRING}|culture|salar\w*|pay)\b")
_WORD = re.compile(r"[a-z]+")
_NOT_NAMES = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december christmas easter
    """.split()  # noqa: SIM905 (a word list reads best as words)
)


def is_a_date(word: str) -> bool:
    """ "Monday", "Mondays", "Christmas", "December's": a day or season, not part of a name."""
    bare = re.sub(r"['’]s$", "", word.lower())
    return bare in _NOT_NAMES or bare.removesuffix("s") in _NOT_NAMES


def unknown_names(question: str, known: Container[str]) -> list[str]:
    """The names in the question none of whose words the knowledge base uses, in order, once each."""
    found: list[tuple[int, str]] = []
    for pattern in (_AFTER, _POSSESSIVE):
        for match in pattern.finditer(question):
            group = "joined" if pattern is _AFTER and match["joined"] else "name"
            words = match[group].split()
            while words and is_a_date(words[-1]):
                words.pop()
            name = " ".join(words).rstrip(".-")
            lowered = _WORD.findall(name.lower())
            if lowered and not any(w in known for w in lowered) and name not in [n for _, n in found]:
                found.append((match.start(group), name))
    return [name for _, name in sorted(found)]


def nothing_specific(names: list[str]) -> str:
    """The sentence an answer opens with when it can only give the general picture."""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"*I have nothing specific about {listed}, so this is the general picture.*"

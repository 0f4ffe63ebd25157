"""Names a member asks about that the knowledge base never mentions.

"What's the interview loop at Stripe like?" is answered from the general interview knowledge; shown
without a word, it reads as Stripe's loop. A capitalised name the member would work at or join ("at
Stripe", "joining Shopify", "Spotify's hiring process"), which no knowledge text uses, is something
the answer knows nothing specific about, and the answer says so first. Names merely mentioned ("I'm
from Brazil", "Karpathy's videos") are not what was asked about.
"""

from __future__ import annotations

import re
from collections.abc import Container

# "at Stripe", "joining Hugging Face", "Shopify's loop"; a name is capitalised words, not all capitals
# (acronyms such as "ML" or "AWS" are technical terms more often than organisations).
_NAME = r"[A-Z][a-z][\w&.-]*(?:\s+[A-Z][a-z][\w&.-]*){0,2}"
_AFTER = re.compile(rf"\b(?:at|join|joining|inside)\s+(?P<name>{_NAME})")
_POSSESSIVE = re.compile(
    rf"(?P<name>{_NAME})['’]s\s+(?:\w+\s+)?(?:interviews?|hiring|process|loop|team|teams|culture|salar\w*|pay|"
    r"offers?|internships?|programs?|programmes?|bootcamp|course|courses|certificat\w*|exams?|admissions?)\b"
)
_WORD = re.compile(r"[a-z]+")


def unknown_names(question: str, known: Container[str]) -> list[str]:
    """The names in the question none of whose words the knowledge base uses, in order, once each."""
    out: list[str] = []
    for pattern in (_AFTER, _POSSESSIVE):
        for found in pattern.finditer(question):
            name = found["name"].rstrip(".-")
            words = _WORD.findall(name.lower())
            if words and not any(w in known for w in words) and name not in out:
                out.append(name)
    return sorted(out, key=question.index)


def nothing_specific(names: list[str]) -> str:
    """The sentence an answer opens with when it can only give the general picture."""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"*I have nothing specific about {listed}, so this is the general picture.*"

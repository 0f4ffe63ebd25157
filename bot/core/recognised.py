"""Out-of-scope requests recognised by their words, before meaning: a quoted error, a request for code,
one employer's pay.

Scope examples are matched by meaning, and a request that names enough of the knowledge's topics can
sit closer to a passage than to any example: "My spark job fails with java.lang.OutOfMemoryError… how
do I fix it" was answered from the Spark section (probability 0.65 against 0.648), and "Write me an
airflow DAG that retrains an xgboost model weekly" got a bare "I don't know" instead of the reply that
says what the member can do. Every question in the evaluation and in the twelve trial sessions that
names an exception, or asks someone to write code, is one the bot should decline.
"""

from __future__ import annotations

import re

from bot.core.names import is_a_date

DEBUGGING_RULE = "debugging"  # the rules of knowledge/scope.yaml whose replies these questions get
CODE_RULE = "code-writing"

# An exception class (ValueError, java.lang.OutOfMemoryError, NullPointerException), R's
# "Error in f(…)" or Python's traceback header.
_QUOTED_ERROR = re.compile(
    r"\b[A-Z][A-Za-z]*(?:Error|Exception)\b|\bError in [\w.]+\(|\bTraceback \(most recent call last\)"
)
# "can you write me…", "write me…", "could someone implement…", "write the full … code".
_WRITE_FOR_ME = re.compile(
    r"\b(?:can|could|would|will)\s+(?:you|u|someone|anyone)\s+(?:pls\s+|please\s+|just\s+)?"
    r"(?:write|code|implement)\b|\bwrite\s+me\b|\bwrite\s+(?:the|a|my)\s+full\b",
    re.IGNORECASE,
)
_CODE = re.compile(
    r"\b(?:code|script|program|function|notebook|dag|app|api|query|component|pipeline|class|endpoint|"
    r"python|pytorch|sql|fastapi|flask)\b",
    re.IGNORECASE,
)


def recognised_rule(question: str) -> str | None:
    """The id of the scope rule a question is recognised by its words as belonging to, if any."""
    if _QUOTED_ERROR.search(question):
        return DEBUGGING_RULE
    if _WRITE_FOR_ME.search(question) and _CODE.search(question):
        return CODE_RULE
    return None


# Pay at one employer ("what's the salary at Google London right now", "how much does monzo pay"): the
# knowledge base holds the general picture only, and one company's current pay is a live fact that a
# general range answers misleadingly (every trial session's member read the US range as that company's).
_PAY = re.compile(
    r"\b(?:salary|salaries|pay|pays|paid|earn|earns|earning|compensation|comp|ctc|package|stipend)\b", re.I
)
_PAY_AT = re.compile(r"\b(?i:at)[ \t]+(?P<name>[A-Za-z][\w&.-]*)")
_DOES_PAY = re.compile(r"\b(?i:does|do)[ \t]+(?P<name>[A-Za-z][\w&.-]*)[ \t]+(?i:pay|pays|offer|give)\b")
_PAY_POSSESSIVE = re.compile(
    r"\b(?P<name>[A-Za-z][\w&.-]*)['’]s[ \t]+(?i:salary|salaries|pay|compensation|comp|package)\b"
)
# Words after "at" that name a kind of employer, a level or a time, not one employer.
_NOT_AN_EMPLOYER = frozenset(
    """
    a an the my our your their his her its this that these those some any one all each every other another
    i you we they he she it them me us
    same different various most least first last start end entry junior mid senior lead staff principal
    level levels stage point time times age home work uni university college school big small large huge
    top tier startup startups company companies firm firms employer employers faang maang manga mnc mncs
    tech product service services bank banks fintech government agencies agency places place ml ai data it
    least once minimum maximum max min around about roughly best worst night weekends weekend
    """.split()  # noqa: SIM905 (a word list reads best as words)
)


def pay_at_employer(question: str) -> str | None:
    """The employer whose pay the question asks about, if it names one."""
    if not _PAY.search(question):
        return None
    for pattern in (_PAY_AT, _DOES_PAY, _PAY_POSSESSIVE):
        for match in pattern.finditer(question):
            name = match["name"].rstrip(".-")
            lowered = name.lower()
            if lowered in _NOT_AN_EMPLOYER or lowered.endswith("ing") or is_a_date(name) or lowered.isdigit():
                continue
            return name
    return None

"""Out-of-scope requests recognised by their words, before meaning: a quoted error, a request for code.

Scope examples are matched by meaning, and a request that names enough of the knowledge's topics can
sit closer to a passage than to any example: "My spark job fails with java.lang.OutOfMemoryError… how
do I fix it" was answered from the Spark section (probability 0.65 against 0.648), and "Write me an
airflow DAG that retrains an xgboost model weekly" got a bare "I don't know" instead of the reply that
says what the member can do. Every question in the evaluation and in the twelve trial sessions that
names an exception, or asks someone to write code, is one the bot should decline.
"""

from __future__ import annotations

import re

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

"""Out-of-scope requests recognised by their words, before meaning: a quoted error, a request for code
or for a derivation, one employer's pay right now.

Scope examples are matched by meaning, and a request that names enough of the knowledge's topics can
sit closer to a passage than to any example: "My spark job fails with java.lang.OutOfMemoryError… how
do I fix it" was answered from the Spark section (probability 0.65 against 0.648), "Write me an
airflow DAG that retrains an xgboost model weekly" got a bare "I don't know" instead of the reply that
says what to do, and every trial session's member read the general US salary range as the pay of the
company they had named. The patterns are narrow on purpose: a question that only mentions an error,
code or a company ("what's the difference between a TypeError and a ValueError?", "how much code will
I write as an ML engineer?", "I'm a student at Stanford, what salary can I expect?") is answered.
"""

from __future__ import annotations

import re

from bot.core.names import is_a_date
from bot.core.question_parts import asks, sentences

DEBUGGING_RULE = "debugging"  # the rules of knowledge/scope.yaml whose replies these questions get
CODE_RULE = "code-writing"
LIVE_FACTS_RULE = "live-facts"
DERIVATION_RULE = "deep-technical"

# An exception class quoted with its message ("ValueError: Input contains NaN"), dotted
# ("java.lang.OutOfMemoryError") or said to be raised ("keeps throwing a KeyError"); Keras' loss
# classes (MeanSquaredError) are names of things, not errors. R's "Error in f(" and Python's
# traceback header are quoted errors by their form.
_EXCEPTION = r"(?!Mean)[A-Z][A-Za-z]*(?:Error|Exception)\b"
_QUOTED_ERROR = re.compile(
    rf"\b{_EXCEPTION}:|\.{_EXCEPTION}|"
    rf"\b(?i:get|gets|getting|got|throws?|throwing|threw|raises?|raising|raised|fails? with|failing with|"
    rf"gives?|giving|says|saying|shows|showing|returns?|hit|hitting)\b(?:\s+\S+){{0,3}}?\s+[\"'`]?{_EXCEPTION}|"
    r"\bError in [\w.]+\(|\bTraceback \(most recent call last\)|"
    # a quoted message that says it is an error ("CUDA error: no kernel image is available…")
    r"[\"“`][^\"”`]{0,60}?\b(?i:error|exception)\s*:"
)

# "can you write me a script…", "write me an airflow DAG…", "give me python code for…": a request
# whose object is code. Asking whether one can write code ("can you code your way into ML", "can you
# write production code as a self-taught engineer?") is not a request.
# "can you…", "could someone please…": asking another to do something.
_ASKED_TO = r"(?:can|could|would|will)\s+(?:you|u|someone|somebody|anyone|anybody)\s+(?:pls\s+|please\s+|just\s+)?"
_ARTEFACT = (
    r"(?:code|script|program|programme|function|notebook|dag|app|api|query|component|pipeline|class|"
    r"endpoint|dockerfile|homework|assignment|module|manifest|snippet|regex|macro|implementation|processor|"
    r"consumer|producer|handler|plugin|bot|hook)s?\b"
)
_OBJECT = rf"\s+(?:me\s+|us\s+)?(?:(?:a|an|the|some|full|complete|my|this)\s+)*(?:[\w+#.-]+\s+){{0,5}}?{_ARTEFACT}"
_CODE_REQUEST = re.compile(
    rf"\b(?:{_ASKED_TO}"
    rf"(?:write|code|implement|build|make|do|give\s+me|send\s+me)|write|please\s+write|pls\s+write|give\s+me|send\s+me)"
    rf"{_OBJECT}",
    re.IGNORECASE,
)
# "kindly show the exact code", "pls share exact syntax", "exact syntax for the embeddings API": asking
# for the code itself, after a how-to (three trial sessions' API requests were answered with the entry on
# what an API is). Sharing one's own code ("should i share the code of my projects?") is not.
_SHOWN_CODE = re.compile(
    r"\b(?:show|share|send|give|paste|post|tell)\s+(?:me\s+|us\s+)?(?:the\s+|an?\s+|some\s+)?"
    r"(?:(?:exact|full|complete|working|sample|example|correct)\s+)+(?:code|syntax|snippet)s?\b"
    r"|\b(?:show|share|send|paste)\s+(?:me|us)\s+(?:the\s+)?(?:code|syntax|snippet)s?\b"
    r"|\bexact\s+(?:code|syntax)\b",
    re.IGNORECASE,
)
# "when is the deadline for the Google STEP internship this year?", "last date to apply for the IIT Madras
# diploma": an application deadline is a live fact (36 trial questions asked one; none of the answerable
# questions of tune, calibrate or the trials says "deadline" this way).
_DEADLINE = re.compile(
    r"\bapplication\s+deadline\b|\bdeadline\s+(?:to|for)\s+(?:apply|applying|applications?|submit|register|enrol|enroll)\b"
    r"|\b(?:when|what)\b[^.?!\n]{0,60}\b(?:deadline|last\s+date)\b|\blast\s+date\s+to\s+apply\b"
    r"|\bapplications?\s+(?:close|closes|open|opens)\b[^.?!\n]{0,40}\b(?:this|next)\s+(?:year|month|autumn|fall|spring)\b",
    re.IGNORECASE,
)
# "what does an AWS p3 instance cost per hour right now", "current price of the RTX 4090", "how much is the
# Google certificate on Coursera right now in pesos": a price asked as of now is a live fact (40 trial and
# development questions, all meant to be declined; three had been answered from the entry on the thing
# priced). Prices without a "now" ("how much does it cost to train a model?") stay questions.
_PRICE_NOW = re.compile(
    r"\b(?:price|prices|priced|cost|costs|pricing|fee|fees)\b[^.?!\n]{0,80}?"
    r"\b(?:right\s+now|currently|at\s+the\s+moment|today|these\s+days|this\s+(?:week|month))\b"
    r"|\b(?:current|currently|today's|latest)\s+(?:[\w-]+\s+){0,2}?(?:price|prices|pricing|cost|fees?)\b",
    re.IGNORECASE,
)
# "derive the backprop equations step by step", "can you prove that lasso gives sparse solutions",
# "show me the full derivation of the ELBO": a request for a derivation or a proof (asked in ten of the
# twenty-five trial sessions, and answered from the entry on how much backprop one needs). Asking
# whether one must be able to derive something ("do I need to derive backprop by hand?") is not.
_SHOW_ME = r"(?:show|give|walk)\s+me\s+(?:through\s+)?(?:the\s+|a\s+)?(?:[\w-]+\s+){0,2}?(?:derivation|proof)"
_DERIVATION_REQUEST = re.compile(
    rf"\b(?:{_ASKED_TO}"
    rf"(?:derive|prove|{_SHOW_ME})|(?:please\s+|pls\s+)?(?:derive|prove|{_SHOW_ME}))\b"
    r"(?!\s+(?:insights?|value|meaning|features?|yourself|myself|me|them|it|to)\b)",
    re.IGNORECASE,
)
# "as a self-taught engineer" asks about ability; "as a portfolio project" names what the code is for.
_AS_A_PERSON = (
    r"as\s+an?\s+(?:[\w-]+\s+){0,2}?(?:engineers?|developers?|devs?|beginners?|students?|juniors?|newbies?|"
    r"scientists?|analysts?|self-taught|graduates?|grads?|programmers?|non-programmers?|learners?|career\s+changers?)"
)
_ABILITY = re.compile(
    rf"\b(?:without|{_AS_A_PERSON}|after|before|self-taught|able to|enough to|your way)\b", re.IGNORECASE
)


_MARKUP = re.compile(r"[*~`]")
_REQUESTS = ((_CODE_REQUEST, CODE_RULE), (_DERIVATION_REQUEST, DERIVATION_RULE))


def recognised_rule(question: str) -> str | None:
    """The id of the scope rule a question is recognised by its words as belonging to, if any."""
    question = _MARKUP.sub("", question)
    if _QUOTED_ERROR.search(question):
        return DEBUGGING_RULE
    if _DEADLINE.search(question) or _PRICE_NOW.search(question):
        return LIVE_FACTS_RULE
    for sentence in sentences(question):
        for pattern, rule in _REQUESTS:
            match = pattern.search(sentence)
            if match and not _ABILITY.search(sentence) and _is_a_request(sentence, match.start()):
                return rule
        if _SHOWN_CODE.search(sentence):
            return CODE_RULE
    return None


def _is_a_request(sentence: str, start: int) -> bool:
    """ "can you write…" asks anywhere; a bare "write me…"/"give me…" only as the sentence's command."""
    if re.match(r"(?i)(?:can|could|would|will)\b", sentence[start:]):
        return True
    lead = sentence[:start].strip().lower()
    return lead in ("", "pls", "please", "hey", "hi", "so", "ok", "also", "and") or lead.endswith((",", ":"))


# One employer's pay ("What is the salary for a junior ML engineer at Google London right now?",
# "how much does monzo pay ML engineers in london right now"), asked in one sentence. A capitalised
# name counts; a lowercase word only in a sentence about now or a year ("at google india right now"),
# as members type company names in lowercase and "at scale", "at research labs" name no employer.
# An acronym counts too ("at ICON plc", "does IBM pay"), and so do "get paid" and "<name> pays".
_PAY = re.compile(
    r"\b(?:salary|salaries|compensation|tc|ctc|pays|earns?|earning)\b|\bpay\b(?!\s+(?:off|attention|for|to)\b)"
    r"|\bhow\s+much\b.*\bmakes?\b|\b(?:get|gets|getting|are|is|be)\s+paid\b"
    r"|\bhow\s+much\s+(?:does|do|will|would)\s+(?!(?:i|you|we|it|the|a|an)\b)[^?,;]{1,40}?\bpay\b",
    re.IGNORECASE,
)
# A capitalised word or an acronym ("ICON plc", "IBM"); acronyms that name no employer are listed below.
_CAPITAL = r"(?:[A-Z][a-z][\w&-]*|[A-Z]{2,6}\b)"
_NAME = rf"{_CAPITAL}(?:[ \t]+{_CAPITAL}){{0,2}}"
_WORD = r"[a-z][\w&-]*"
_AT = re.compile(rf"\bat[ \t]+(?:(?P<name>{_NAME})|(?P<word>{_WORD}))")
_DOES_PAY = re.compile(rf"\b(?i:does|do|will|would)[ \t]+(?:(?P<name>{_NAME})|(?P<word>{_WORD}))[ \t]+(?i:pay|pays)\b")
_NAME_PAYS = re.compile(rf"\b(?P<name>{_NAME})[ \t]+(?i:pays)\b")  # "what salary Google Warsaw pays"
_POSSESSIVE = re.compile(rf"\b(?P<name>{_NAME})['’]s[ \t]+(?i:salary|salaries|pay|compensation)\b")
_NOW = re.compile(
    r"\b(?:now|rn|atm|at\s+the\s+moment|these\s+days|nowadays|currently|current|latest|this\s+(?:year|month|week)|"
    r"today|20\d\d)\b",
    re.IGNORECASE,
)
# Where the member works or studies now is not what they ask about ("I'm a student at Stanford, what
# salary can I expect?", "my job at Tesco"): one of these words among the three before "at".
_MEMBERS_OWN = frozenset(
    """
    work works working worked study studying student students intern interning internship employed employee
    job i'm im am we're
    """.split()  # noqa: SIM905 (a word list reads best as words)
)
_NOT_AN_EMPLOYER = frozenset(
    """
    a an the my our your their his her its this that these those some any one all each every other another
    i you we they he she it them me us what who which where how why when
    same different various most least first last start end entry junior mid senior lead staff principal
    level levels stage point time times age home work uni university college school big small large huge
    top tier startup startups company companies firm firms employer employers faang maang manga mnc mncs
    tech product service services bank banks fintech government agencies agency places place ml ai data
    once minimum maximum max min around about roughly best worst night weekends weekend scale
    research remote european american indian british german us uk eu india usa europe asia nyc sf
    mle mles ds nlp llm llms cv phd msc mba
    python java javascript typescript scala rust kotlin swift golang julia matlab sql
    machine deep computer freelancing consulting teaching
    """.split()  # noqa: SIM905 (a word list reads best as words)
)
_GENERIC_AFTER = re.compile(
    r"^[ \t]+(?:companies|company|firms|startups|banks|employers|labs|teams|competitions|courses|jobs|roles)\b",
    re.IGNORECASE,
)


def pay_at_employer(question: str) -> str | None:
    """The employer whose pay a question asks about, if it names one in the sentence that asks."""
    for sentence in sentences(_MARKUP.sub("", question)):
        if not _PAY.search(sentence) or not asks(sentence):
            continue
        for pattern in (_AT, _DOES_PAY, _NAME_PAYS, _POSSESSIVE):
            for match in pattern.finditer(sentence):
                name = _employer(sentence, match)
                if name is not None:
                    return name
    return None


def _employer(sentence: str, match: re.Match[str]) -> str | None:
    named = match.groupdict().get("name")
    name = (named or match.groupdict().get("word") or "").rstrip(".-")
    first = name.split()[0].lower() if name else ""
    if not name or first in _NOT_AN_EMPLOYER or is_a_date(first):
        return None
    if named is None and (not _NOW.search(sentence) or first.endswith("ing")):
        return None
    before = re.findall(r"[\w']+", sentence[: match.start()].lower())[-3:]
    if _GENERIC_AFTER.match(sentence[match.end() :]) or _MEMBERS_OWN.intersection(before):
        return None
    return name

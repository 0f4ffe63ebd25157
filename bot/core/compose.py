"""Answers a member can use: an FAQ entry whole, or the coherent opening of an article section.

Sentences picked one by one from several passages read as a collage: a lead-in loses its list, a
caveat loses its figure, a statistic lands in an unrelated answer. Knowledge is written answer-first
(knowledge/README.md), so the opening of the best passage, in whole paragraphs, is the answer; the
next sources are offered as related reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bm25s.stopwords import STOPWORDS_EN

from bot.core.answers import Answer, AnswerPart, Citation, passage_out
from bot.core.chunking import SENTENCE_BREAK, Passage, for_asker, is_list_block, split_blocks, split_sentences
from bot.core.knowledge.models import OVERVIEW
from bot.core.question_parts import MAX_PARTS, sentences
from bot.core.retrieval import Hit
from bot.core.text import clip

ARTICLE_CHARS = 900
FAQ_CHARS = 1500
# A part's article section gets the opening a single answer shows (700 before: on the development
# posts +3 parts of 164 answered, on calibrate +1 long post, tune unchanged).
PART_CHARS = ARTICLE_CHARS
SHARED_CHARS = ARTICLE_CHARS * 3 // 2  # a section answering several parts of a post
PARTS_TOTAL = 3000  # FAQ entries in a multi-part answer share this
RELATED = 2
RELATED_SHARE = 0.5
# A source from another document whose relevance is within this of the best is nearly as likely to
# be the one meant: its opening is quoted briefly after the answer instead of only being linked.
# Chosen on tune (fact hit 0.863 without; 0.05: +2 answers of 80, 0.10: +4, no more up to 0.20),
# checked on calibrate (+1 of 80). Relevance is the ranker's probability (ranking.py).
NEAR_TIE = 0.10
# The quote is a paragraph, not a teaser: on 100 short questions written blind and graded by facts,
# 300/400/500/600 characters answered 63/64/66/70 (tune +1 at 600, calibrate equal); single answers'
# median 890 -> 992 characters, longest 1,789 (then about 45% of answers quoted a near tie; 57% with the
# ranker refitted later).
RUNNER_UP_CHARS = 600
# A quote fewer than this share of whose content words are new to the answer restates it and is left
# out. On tune, calibrate and the development questions 15 of 177 quotes held a fact the answer
# lacked, each with at least 0.49 of its words new; below 0.45, 20 quotes, none of them needed.
SEE_ALSO_NEW = 0.45
# A paragraph (or list item) further down an article section that uses at least this share of the
# question's specific words (idf-weighted) follows the opening: "the weights in the early layers barely
# change" is answered in the calculus section's third paragraph. Chosen on 197 short questions written
# blind for development and graded by facts (0.4/0.3/0.2/0.15: +2/+3/+6/+7 answers against none;
# added to 8% of single answers at 0.2); tune and calibrate unchanged.
FOCUS_SHARE = 0.2
FOCUS_CHARS = 600
# A sentence that counts what follows ("six parts", "a few checks") and is shorter than this announces
# it: shown without what it announces, it is left out (see `_announces`).
ANNOUNCEMENT_CHARS = 80
# A paragraph's first sentence shorter than this, shown without the rest of its paragraph, is left out:
# read on tune, calibrate and development answers, such sentences were topic sentences ("Loops also
# differ by level.", "Choose papers wisely while you are learning."); longer ones were claims ("Free
# tiers change, and neither service promises a GPU every time.").
TOPIC_SENTENCE_CHARS = 60
# A list cut short reads as if it had only the items shown ("Five concrete steps" followed by three;
# members in trial sessions named it as often as anything). The items left go on after it: whole when
# they fit in this many more characters, otherwise each by its first sentence, otherwise by their bold
# labels named in one line ("Then: Map your gaps; Do mock interviews."): members in five trial sessions
# read a column of bare bold labels as a list cut off.
LIST_REST_CHARS = 450

_META = re.compile(
    r"^(?:this|the following|our) (?:article|section|guide|page|entry|faq)\b"
    r"|^in this (?:article|section|guide|page)\b"
    r"|^(?:below|here),? (?:we|you(?:'ll| will))\b"
    r"|\b(?:article|section|guide) (?:walks|takes) (?:you )?through\b",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_LABEL = re.compile(r"^(?P<bullet>\s*(?:[-*+]|\d+[.)])\s+)\*\*(?P<label>[^*]+)\*\*")
_LABEL_ONLY = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\*\*[^*]+\*\*\s*$")
_WORD = re.compile(r"[a-z0-9]+")
_NAMED = re.compile(r"^(?P<lead>Then|Also): (?P<labels>.+)\.$")  # the items left, by their labels


def is_meta(sentence: str) -> bool:
    """A sentence about the text rather than the topic ("This article walks through...")."""
    return _META.search(sentence.strip()) is not None


def _key(sentence: str) -> str:
    return " ".join(_WORD.findall(sentence.lower()))


def _without_meta(block: str) -> str:
    if is_list_block(block):
        return block
    sentences = split_sentences(block)
    if not any(is_meta(s) for s in sentences):
        return block
    return " ".join(s for s in sentences if not is_meta(s))


def _items(lines: list[str]) -> list[str]:
    """List items with their continuation lines."""
    items: list[str] = []
    for line in lines:
        if _BULLET.match(line) or not items:
            items.append(line)
        else:
            items[-1] += "\n" + line
    return items


def _first_sentence(item: str) -> str:
    """An item cut after its first sentence, its bold label kept ("- **Large files.** Keep them out of Git.").
    Sentences end where `split_sentences` ends them, so what was shown is recognised as seen."""
    found = _LABEL.match(item)
    if found is None:  # only a labelled item can be quoted whole in its place later (`_in_place`)
        return item
    gap = SENTENCE_BREAK.search(item, found.end())
    return item[: gap.start()] + gap.group().rstrip() if gap is not None else item


def _rest_of_list(items: list[str], room: int) -> list[str]:
    """The items a cut list did not show: whole when they fit in `room`, else each by its first sentence,
    else their bold labels in one line ("Then: …" for steps, "Also: …" otherwise); [] when none fits (an
    item without a label cannot be named short). A first sentence says something; a column of bare
    labels read as a list cut off."""
    for shown in (items, [_first_sentence(item) for item in items]):
        if sum(len(item) + 1 for item in shown) <= room:
            return shown
    labels: list[str] = []
    for item in items:
        found = _LABEL.match(item)
        if found is None:
            return []
        labels.append(_bare(found.group("label")))
    lead = "Then" if re.match(r"\s*\d", items[0]) else "Also"
    line = f"{lead}: {'; '.join(labels)}."
    return [line] if len(line) <= room else []


def _trim(block: str, budget: int, announced: bool = False, rest: int = LIST_REST_CHARS) -> str:
    """The start of a block within the budget: whole sentences, or a lead-in with the list items that fit
    and the rest of the list after them (`_rest_of_list`). A list none of whose items fits is shown
    whole or by its labels only when a lead-in announces it (`announced`, or a lead-in in the block
    ending in a colon): after "PyTorch is a safe default today." the labels "PyTorch", "TensorFlow"
    say nothing.

    Returns "" when not even the first sentence (or a lead-in with one item) fits.
    """
    if is_list_block(block):
        lines = block.splitlines()
        first_item = next(n for n, line in enumerate(lines) if _BULLET.match(line))
        head = "\n".join(lines[:first_item])
        items = _items(lines[first_item:])
        kept = [head] if head else []
        used = len(head)
        shown = 0
        for item in items:
            if used + len(item) + 1 > budget:
                break
            kept.append(item)
            used += len(item) + 1
            shown += 1
        if not shown:  # the whole list, or all its labels, when announced and that fits with a little more room
            if len(head) > budget or not (announced or (head and _announces_list(head, len(items)))):
                return ""
            named = _rest_of_list(items, max(0, budget - len(head)) + rest)
            return "\n".join(kept + named) if named else ""
        return "\n".join(kept + _rest_of_list(items[shown:], rest))
    out: list[str] = []
    used = 0
    for sentence in split_sentences(block):
        if used + len(sentence) + 1 > budget:
            break
        out.append(sentence)
        used += len(sentence) + 1
    return " ".join(out)


def _count_items(text: str) -> int:
    """List items, counting those named in a line of labels."""
    total = 0
    for line in text.splitlines():
        named = _NAMED.match(line)
        total += len(named["labels"].split("; ")) if named else int(_BULLET.match(line) is not None)
    return total


def _whole_list(start: str, block: str) -> bool:
    """Every item of the block is in `start`, whole or by its label."""
    return _count_items(start) == _count_items(block)


def _reads_alone(list_block: str) -> bool:
    """Every item is a full sentence, so the first few items still read as an answer."""
    items = [line for line in list_block.splitlines() if _BULLET.match(line)]
    return bool(items) and all(item.rstrip().endswith((".", "!", "?")) for item in items)


# A sentence that announces what follows rather than saying it: "A practical preparation routine has
# six parts.", "A few more checks help.", "Three situations make a master's worth it." One that names
# its items ("two main task types, classification and regression") says something on its own.
_ANNOUNCES = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|several|a few|a couple of|the following|"
    r"these|below)\b",
    re.IGNORECASE,
)
_NAMES_ITEMS = re.compile(r",[^,]+\b(?:and|or)\b")


def _announces(sentence: str) -> bool:
    sentence = sentence.rstrip()
    if sentence.endswith(":"):
        return True
    return (
        len(sentence) < ANNOUNCEMENT_CHARS
        and _ANNOUNCES.search(sentence) is not None
        and _NAMES_ITEMS.search(sentence) is None
    )


_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _announces_list(sentence: str, items: int) -> bool:
    """A lead-in that promises this list: it ends in a colon, says "the following", or counts as many
    items as the list has. "Most teams pick one within a few weeks." does not."""
    text = sentence.rstrip()
    if text.endswith(":") or re.search(r"\bthe following\b", text, re.IGNORECASE):
        return True
    counted = [_COUNTS[w] for w in _WORD.findall(text.lower()) if w in _COUNTS]
    return _announces(text) and items in counted


# "Fraud is rare, so accuracy is useless as a metric.", "Owning a GPU is a convenience, not a
# requirement.": a short sentence of two clauses says something on its own.
_TWO_CLAUSES = re.compile(r"[,;:]|\b(?:so|but)\b")


def _only_announces(start: str, block: str) -> bool:
    """A paragraph cut after its first sentence, which only announces the rest ("A few more checks
    help.") or is too short to say much without it ("Loops differ by company.", "Choose papers wisely
    while you are learning."): a short first sentence of one clause introduces its paragraph."""
    shown = split_sentences(start)
    if len(shown) != 1 or len(split_sentences(block)) < 2:
        return False
    return _announces(shown[0]) or (len(shown[0]) < TOPIC_SENTENCE_CHARS and not _TWO_CLAUSES.search(shown[0]))


def _drop_lead_in(out: list[str]) -> None:
    """The last sentence shown announces a list none of whose items is shown: drop it, unless what is
    left would be nothing or a bare "Yes."/"No.". The block is cut as written, so its markdown stays;
    when the sentence cannot be found as written, nothing is cut."""
    said = split_sentences(out[-1])
    if not said or not _announces(said[-1]):
        return
    if len(said) == 1:
        if len(out) > 1:
            out.pop()
        return
    cut = out[-1].rfind(said[-1][:20])
    kept = out[-1][:cut].rstrip() if cut > 0 else ""
    if cut > 0 and _key(out[-1][cut:]) == _key(said[-1]) and _key(kept) not in ("", "yes", "no"):
        out[-1] = kept


# "Is it too late…?", "can I…", "should I…": a question a "Yes," or "No," can answer.
_YES_NO = re.compile(
    r"(?:^|[,;:]\s+|\s[-–—]\s+)(?:(?:and|also|but|so|ok|okay|hey|hi|pls|please|honestly|seriously)[,\s]+)*"
    r"(?:is|are|am|was|were|do|does|did|can|could|should|shall|will|would|have|has|must|may|might|"
    r"isn't|aren't|don't|doesn't|didn't|can't|won't|wouldn't|shouldn't|isnt|arent|dont|doesnt|cant)\b",
    re.IGNORECASE,
)
# How, what, which…: a question no "Yes," or "No," answers.
_WH = re.compile(
    r"^(?:(?:and|also|but|so|ok|okay|hey|hi|pls|please|honestly|seriously)[,\s]+)*"
    r"(?:how|what|what's|whats|which|why|where|when|who)\b",
    re.IGNORECASE,
)
_VERDICT = re.compile(r"^(?:Yes|No)[,.]\s+(?!and\b|but\b)")


# "Should I skip classical ML or is that a trap?", "can I do ML in Go or is it Python only?": an "or"
# that opens a question of its own, which a bare "Yes." answers ambiguously. Two nouns joined by "or"
# ("do I need a PhD or a master's?") and "…or not?" still ask yes or no.
_EITHER_OR = re.compile(
    r"\bor\s+(?:is|are|am|was|should|shall|can|could|will|would|do|does|did|must|i|i'm|im|it|it's|that|this|"
    r"just|rather|instead)\b"
    r"|\bor\b[^?.!]{0,40}\bfirst(?:\s*[?,;:!]|\s*$)"  # "dsa or ml first?" (not "…or a master's for my first job")
    r"|\bfirst\s+or\s+(?!not\b|second\b|2nd\b)",  # "learn LLMs first or start with…" (not "first or not?")
    re.IGNORECASE,
)


# "Could someone suggest a project…?", "can you recommend a book?": a request, not a yes/no question.
_REQUEST = re.compile(
    r"(?:^|[,;:!]\s+)(?:(?:and|also|but|so|ok|okay|hey|hi|hello|pls|please|honestly|seriously)[,\s]+)*"
    r"(?:can|could)\s+(?:you|u|someone|anyone|somebody|anybody)(?:\s+(?:guys|all|please|pls|plz))*\s+"
    r"(?:suggest|recommend|explain|help|give|share|point|show|list|describe|clarify)\b",
    re.IGNORECASE,
)


def _verdict_answers(question: str) -> bool:
    if _EITHER_OR.search(question) or _REQUEST.search(question):
        return False
    return not _WH.match(question) or _YES_NO.search(question) is not None


def without_verdict(body: str, question: str) -> str:
    """A passage that opens with "Yes," or "No," answers its own question; to a member whose first
    question asked how, what or which, asked to choose ("dsa or ml first?", "…or is that a trap?") or
    asked for something ("could someone suggest a project…?"), that word answers someone else ("how
    much maths do I need?" → "Yes, a poor grade…"). Only then is it left out: when unsure, the verdict
    stays. The answer opens on the first question, so that is the one the verdict must fit."""
    said = sentences(question) or [question]
    asked = [q for q in said if q.rstrip().endswith("?")] or said[-1:]  # without "?", the question comes last
    if not _VERDICT.match(body) or _verdict_answers(asked[0]):
        return body
    rest = _VERDICT.sub("", body, count=1)
    return rest[:1].upper() + rest[1:]


def opening(text: str, budget: int, seen: set[str] | None = None, rest: int = LIST_REST_CHARS) -> str:
    """Whole blocks from the start while they fit, then as much of the next block as fits in whole
    sentences; never a meta sentence, never a sentence twice, never a lead-in without its list. A list
    cut short goes on for up to `rest` more characters (`_rest_of_list`)."""
    seen = seen if seen is not None else set()
    out: list[str] = []
    used = 0
    for raw in split_blocks(text):
        block = _without_meta(raw)
        keys = [_key(s) for s in split_sentences(block)]
        if not block.strip() or (keys and all(k in seen for k in keys)):
            continue
        if used + len(block) > budget:
            before = split_sentences(out[-1]) if out else []
            announced = bool(before) and _announces_list(before[-1], _count_items(block))
            start = _trim(block, budget - used, announced=announced, rest=rest)
            if out and is_list_block(block) and not _whole_list(start, block) and (rest or not _reads_alone(start)):
                # A list that cannot be finished is left out ("The SQL skills to aim for run from filtering
                # … to window functions." followed by its first item only read as cut off); in a
                # three-part answer (no `rest`) items that read alone may stay; fragments ("more data;") never.
                start = ""
            if out and not is_list_block(block) and _only_announces(start, block):
                start = ""
            if start:
                out.append(start)
            elif not out:  # a first sentence longer than the budget: show it whole rather than nothing
                out.append(split_sentences(block)[0] if split_sentences(block) else block)
            elif is_list_block(block) and not is_list_block(out[-1]):
                _drop_lead_in(out)
            break
        out.append(block)
        used += len(block) + 2
    for block in out:  # an item named only by its label is not seen: the item may still be quoted whole
        named = "\n".join(line for line in block.splitlines() if not _LABEL_ONLY.match(line))
        seen.update(_key(s) for s in split_sentences(named))
    return "\n\n".join(out)


def _bare(label: str) -> str:
    """A bold label as a label-only line shows it ("Pipelines:" and "Pipelines" are one label)."""
    return label.rstrip(" .:;,")


def _in_place(body: str, item: str) -> str | None:
    """The body with `item` shown whole where it was named by its label: in place of its label-only line,
    or right after the line of labels that named it (its label taken out there); None when nothing
    named it."""
    found = _LABEL.match(item)
    if found is None:
        return None
    label = _bare(found["label"])
    lines = body.split("\n")
    for n, line in enumerate(lines):
        shown = _LABEL.match(line)
        if shown is None or _bare(shown["label"]) != label:
            continue
        if _LABEL_ONLY.match(line) or item[found.end("bullet") :].startswith(line[shown.end("bullet") :]):
            lines[n] = shown["bullet"] + item[found.end("bullet") :]
            return "\n".join(lines)
    for n, line in enumerate(lines):
        named = _NAMED.match(line)
        labels = named["labels"].split("; ") if named else []
        if named and label in labels:
            left = [other for other in labels if other != label]
            kept = [f"{named['lead']}: {'; '.join(left)}."] if left else []
            lines[n : n + 1] = [*kept, item]
            return "\n".join(lines)
    return None


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in STOPWORDS_EN}


def _says_more(quote: str, said: str) -> bool:
    """Whether a "See also" quote says enough the answer has not: members in every trial session read
    a sibling's quote that mostly restated the answer as repetition."""
    words = _content_words(quote)
    return not words or len(words - _content_words(said)) / len(words) >= SEE_ALSO_NEW


def _clipped(text: str, limit: int) -> str:
    """A first sentence longer than the limit is clipped; a list's rest (`LIST_REST_CHARS`) is not."""
    return clip(text, limit + (LIST_REST_CHARS if is_list_block(text) else 0))


def passage_body(
    passage: Passage, budget: int | None = None, seen: set[str] | None = None, rest: int = LIST_REST_CHARS
) -> str:
    """An FAQ entry whole; an article section from its opening (sections are written answer-first:
    measured, the opening states the facts asked for more often than the window that matched)."""
    if budget is None:
        budget = FAQ_CHARS if passage.kind == "faq" else ARTICLE_CHARS
    return opening(passage.text, budget, seen, rest)


class _Citations:
    """Numbers sources in order of first use, so `[1]` is always the first source shown."""

    def __init__(self) -> None:
        self.items: list[Citation] = []

    def number(self, passage: Passage) -> int:
        for c in self.items:
            if c.source == passage.source:
                return c.number
        self.items.append(
            Citation(number=len(self.items) + 1, doc_id=passage.doc_id, label=passage.label, source=passage.source)
        )
        return len(self.items)


def related(hits: Sequence[Hit], cited: Sequence[Citation], question: str, limit: int = RELATED) -> list[Citation]:
    """The next best sources from other documents than those cited, as further reading; only those
    scoring at least half of the best, since an unrelated link is noise, and only those written for
    the member's background when they are written for one (`for_asker`)."""
    taken = {c.doc_id for c in cited}
    floor = RELATED_SHARE * max((h.score for h in hits), default=0.0)
    out: list[Citation] = []
    for hit in hits:
        if hit.passage.doc_id in taken or hit.score < floor or not for_asker(hit.passage, question):
            continue
        taken.add(hit.passage.doc_id)
        p = hit.passage
        out.append(Citation(number=0, doc_id=p.doc_id, label=p.label, source=p.source))
        if len(out) == limit:
            break
    return out


def heading(passage: Passage) -> str:
    """What a quoted source is about, in a few words: its section, or for an article's opening its title."""
    return passage.title if passage.section in (None, OVERVIEW) else str(passage.section)


def runner_up(hits: Sequence[Hit], question: str) -> Hit | None:
    """The best hit from another document than the first, when the ranker could hardly tell them apart.

    Two near-tied sources usually mean two readings of the question ("keep track of code changes":
    deployment and versioning, or Git); a member shown only one of them gets the wrong one about
    as often as the right one. One written for a background the member does not name is passed over
    (`for_asker`), not allowed to hide the next near tie.
    """
    if not hits:
        return None
    others = (h for h in hits[1:] if h.passage.doc_id != hits[0].passage.doc_id and for_asker(h.passage, question))
    other = next(others, None)
    if other is None or hits[0].score - other.score > NEAR_TIE:
        return None
    return other


def focused(passage: Passage, seen: set[str], focus: Callable[[str], float]) -> str:
    """The paragraph or list item past what was shown that matches the question best, when it matches
    enough; "" otherwise. Items are weighed one by one (a list matching on all its words together
    would show its first items, not the one that matched), meta sentences never count, and on a tie
    the earlier one wins."""
    if passage.kind == "faq":
        return ""
    unseen: list[str] = []
    for raw in split_blocks(passage.text):
        block = _without_meta(raw)
        if is_list_block(block):
            items = [line for line in block.splitlines() if _BULLET.match(line)]
            unseen.extend(i for i in items if not all(_key(s) in seen for s in split_sentences(i)))  # or in part
            continue
        sentences = split_sentences(block)
        rest = [s for s in sentences if _key(s) not in seen]
        if len(rest) == len(sentences):
            unseen.append(block)  # nothing of it shown: as written
        elif rest:
            unseen.append(" ".join(rest))  # a paragraph the opening cut short goes on where it stopped
    unseen = [u for u in unseen if u.strip()]
    if not unseen:
        return ""
    scores = [focus(u) for u in unseen]
    best = max(range(len(unseen)), key=lambda n: (scores[n], -n))
    if scores[best] < FOCUS_SHARE:
        return ""
    chosen = unseen[best]
    if not is_list_block(chosen):  # a paragraph: whole sentences; a first one too long is clipped
        return clip(opening(chosen, FOCUS_CHARS, seen), FOCUS_CHARS)
    seen.update(_key(s) for s in split_sentences(chosen))
    return clip(chosen, FOCUS_CHARS)


def _shared(parts: Sequence[tuple[str, Hit]]) -> list[tuple[list[str], Hit]]:
    """Parts answered by the same passage become one block under all their questions, at the first's place."""
    blocks: dict[str, tuple[list[str], Hit]] = {}
    for ask, hit in parts:
        asks = blocks.setdefault(hit.passage.id, ([], hit))[0]
        if ask not in asks:
            asks.append(ask)
    return list(blocks.values())


def compose(
    question: str,
    hits: list[Hit],
    confidence: float,
    note: str | None = None,
    parts: Sequence[tuple[str, Hit]] = (),
    ranked: bool = False,
    focus: Callable[[str], float] | None = None,
) -> Answer:
    """One answer from the best hit; or, for a post asking several things, one block per part in order.

    `ranked`: the hits' scores are the ranker's relevance, so a near tie can be told (fused scores
    are rank-based and always close). `focus`: how well a paragraph matches the question (0-1)."""
    citations = _Citations()
    seen: set[str] = set()
    answer_parts: list[AnswerPart] = []
    if len(parts) >= 2:
        # An FAQ entry is shown whole here too, as long as the parts together stay readable in one
        # message (it was written to be read whole; on tune and calibrate one more long post each was
        # answered, median multi-part answer 1,451 -> 1,610 characters); an article section shows its
        # opening. Three parts stay within a Discord embed (4,096 characters): with three blocks a list
        # cut short is not continued (up to LIST_REST_CHARS more characters each would not fit).
        blocks = _shared(parts)
        faq_budget = max(PART_CHARS, min(FAQ_CHARS, PARTS_TOTAL // len(blocks)))
        rest = LIST_REST_CHARS if len(blocks) < MAX_PARTS else 0
        for asks, hit in blocks:
            if hit.passage.kind == "faq":
                room = min(FAQ_CHARS, faq_budget * len(asks))
            else:
                room = min(SHARED_CHARS, PART_CHARS * len(asks))
            text = without_verdict(passage_body(hit.passage, room, seen, rest), " ".join(asks))
            if not text:
                continue
            number = citations.number(hit.passage)
            answer_parts.append(AnswerPart(question=" ".join(asks), body=f"{text} [{number}]", citations=[number]))
        body = "\n\n".join(f"**{p.question}**\n{p.body}" for p in answer_parts)
    else:
        top = hits[0].passage
        body = without_verdict(passage_body(top, seen=seen), question)
        further = focused(top, seen, focus) if focus else ""
        named = _in_place(body, further) if further else None
        if named is not None:  # the item was shown by its label only: it is shown whole there
            body = named
        elif further:  # "…" on a line of its own before a list item, so the item stays a list item
            body += f"\n\n…\n{further}" if is_list_block(further) else f"\n\n… {further}"
        body += f" [{citations.number(top)}]"
        second = runner_up(hits, question) if ranked else None
        gist = _clipped(passage_body(second.passage, RUNNER_UP_CHARS, seen), RUNNER_UP_CHARS) if second else ""
        if second and gist and _says_more(gist, body):
            body += f"\n\n**See also: {heading(second.passage)}**\n{gist} [{citations.number(second.passage)}]"
    return Answer(
        question=question,
        abstained=False,
        body=body,
        passages=[passage_out(h) for h in hits],
        citations=citations.items,
        related=related(hits, citations.items, question),
        parts=answer_parts,
        confidence=confidence,
        note=note,
    )

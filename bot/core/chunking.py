"""Turn knowledge into passages: one per article section or FAQ entry, the unit members see cited.

MiniLM ignores everything past 256 word pieces, so a longer passage is embedded as several windows of
whole blocks (paragraphs, and lists together with the sentence that introduces them); each window is
a key pointing back to its passage, so its tail is not invisible to dense search, and a section found
twice still takes one place in the results. Each passage carries its context (document title ›
section, and the article's summary), which is embedded and indexed with the text: a section called
"Overfitting" whose text never repeats the word is still found by it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.core.knowledge.models import OVERVIEW, KnowledgeBase

TokenCounter = Callable[[str], int]

# Where one sentence ends and the next begins (the gap, with any closing quote or bracket before it).
SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_MARKUP = re.compile(r"(\*\*|__|`)")


class ChunkerSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    max_tokens: int = 240
    overlap_tokens: int = 48
    context: bool = True  # index each passage with its title › section and summary
    anchors: bool = True  # index the question anchors written for it


class Passage(BaseModel):
    """The unit of retrieval and citation."""

    model_config = ConfigDict(frozen=True)

    id: str
    doc_id: str
    kind: Literal["article", "faq"]
    title: str
    section: str | None
    path: str
    line: int
    text: str = Field(description="Markdown as written: paragraphs and lists keep their shape.")
    context: str = Field(description="Where the text stands (title › section, summary); indexed with it.")
    anchors: list[str] = Field(default_factory=list, description="Question anchors that point here.")
    windows: list[str] = Field(default_factory=list, description="The text in pieces the model sees whole.")
    audience: list[str] = Field(default_factory=list, description="Words of the members it is written for.")

    def _with_context(self, text: str) -> str:
        return f"{self.context}\n{text}" if self.context else text

    @property
    def embed_text(self) -> str:
        """The first window with its context: the passage's own vector."""
        return self._with_context(self.windows[0] if self.windows else self.text)

    @property
    def window_texts(self) -> list[str]:
        """The later windows with their context, embedded as further keys of this passage."""
        return [self._with_context(w) for w in self.windows[1:]]

    @property
    def lexical_text(self) -> str:
        return " ".join([self.context, *self.anchors, self.text])

    @property
    def source(self) -> str:
        return f"{self.path}#{slugify(self.section)}" if self.section else self.path

    @property
    def label(self) -> str:
        """How a citation reads to a person."""
        return f"{self.title} › {self.section}" if self.section else self.title

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.embed_text.encode()).hexdigest()


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def strip_markup(text: str) -> str:
    return _MARKUP.sub("", text)


def split_blocks(text: str) -> list[str]:
    """Paragraphs and lists, with a paragraph that ends in a colon kept together with its list.

    A lead-in ("Self-teaching works best when you:") means nothing without the list it introduces,
    so the two are one block: no window boundary and no answer ever separates them.
    """
    blocks: list[str] = []
    for raw in re.split(r"\n\s*\n", text.strip()):
        block = raw.strip()
        if not block:
            continue
        if blocks:
            previous = blocks[-1]
            continues_list = _BULLET.match(block) and _BULLET.match(previous.splitlines()[-1])
            if continues_list or previous.rstrip().endswith(":"):
                blocks[-1] = f"{previous}\n{block}"
                continue
        blocks.append(block)
    return blocks


def is_list_block(block: str) -> bool:
    return any(_BULLET.match(line) for line in block.splitlines())


def split_sentences(text: str) -> list[str]:
    """Sentences of a block of markdown; list items and paragraphs always end a sentence."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        items: list[str] = []
        for line in lines:
            if _BULLET.match(line) or not items:
                items.append(_BULLET.sub("", line).strip())
            else:
                items[-1] += " " + line.strip()
        for item in items:
            clean = strip_markup(item).strip()
            if clean.startswith("#"):
                clean = clean.lstrip("#").strip()
                if clean and clean[-1] not in ".!?:":
                    clean += ":"
            out.extend(s.strip() for s in SENTENCE_BREAK.split(clean) if s.strip())
    return out


def chunk_knowledge(kb: KnowledgeBase, count_tokens: TokenCounter, settings: ChunkerSettings) -> list[Passage]:
    passages: list[Passage] = []
    for article in kb.articles:
        summary = f" {article.meta.summary}" if article.meta.summary else ""
        for section in article.sections:
            section_label = None if section.title == OVERVIEW else section.title
            context = f"{article.meta.title} › {section.title}.{summary}" if settings.context else ""
            passages.append(
                Passage(
                    id=f"{article.id}#{slugify(section.title)}",
                    doc_id=article.id,
                    kind="article",
                    title=article.meta.title,
                    section=section_label or OVERVIEW,
                    path=article.path,
                    line=section.line,
                    text=section.text.strip(),
                    context=context,
                    anchors=list(section.questions) if settings.anchors else [],
                    windows=_windows(section.text, context, count_tokens, settings),
                    audience=list(section.audience),
                )
            )
    for entry in kb.faq:
        context = entry.meta.question if settings.context else ""
        passages.append(
            Passage(
                id=entry.id,
                doc_id=entry.id,
                kind="faq",
                title=entry.meta.question,
                section=None,
                path=entry.path,
                line=1,
                text=entry.answer.strip(),
                context=context,
                anchors=list(entry.meta.questions) if settings.anchors else [],
                windows=_windows(entry.answer, context, count_tokens, settings),
                audience=list(entry.meta.audience),
            )
        )
    return passages


def _windows(text: str, prefix: str, count_tokens: TokenCounter, settings: ChunkerSettings) -> list[str]:
    """The whole text when it fits; otherwise greedy windows of whole blocks, the last block of one
    window repeated at the start of the next when it is short enough to serve as overlap."""
    text = text.strip()
    if count_tokens(f"{prefix}\n{text}") <= settings.max_tokens:
        return [text]
    budget = max(settings.max_tokens - count_tokens(prefix), 16)
    units: list[str] = []
    for block in split_blocks(text):
        if count_tokens(block) <= budget:
            units.append(block)
        else:  # a block too long for one window: fall back to its sentences
            units.extend(split_sentences(block))
    if len(units) <= 1:
        return [text]
    sizes = [count_tokens(u) for u in units]
    windows: list[str] = []
    start = 0
    while start < len(units):
        end, used = start, 0
        while end < len(units) and (end == start or used + sizes[end] <= budget):
            used += sizes[end]
            end += 1
        windows.append("\n\n".join(units[start:end]))
        if end >= len(units):
            break
        start = end - 1 if end - 1 > start and sizes[end - 1] <= settings.overlap_tokens else end
    return windows


# "I don't have a CS degree", "no cs degree", "without a computer science degree", "not a student":
# naming a background to say it is not yours.
_NEGATED = re.compile(
    r"\b(?:no|not|never|without|don't|dont|do not|didn't|didnt|haven't|havent|isn't|wasn't|non|neither|nor)"
    r"(?:\s+(?:have|had|got|hold|a|an|any|the|my|even|really|actually|been|being|studied|study|in|from))*\s+$"
)


def for_asker(passage: Passage, question: str) -> bool:
    """Whether a passage may be offered as further reading, or put before the section it sits next to
    (`ranking.faq_first`): one written for a background (its `audience`, such as "teacher" or
    "pharmacist") only to a member who names that background, and not to say it is not theirs ("I don't
    have a CS degree" had put the entry for CS students first). Members in every trial session read "Coming
    from teaching" under a question about portfolios as noise; an entry for high-school students choosing
    a major had answered a graduate engineer's question about his degree."""
    if not passage.audience:
        return True
    asked = " ".join(question.lower().replace("-", " ").replace("’", "'").split())
    for word in passage.audience:
        for found in re.finditer(rf"(?<!\w){re.escape(word)}(?:s|es)?(?!\w)", asked):
            if not _NEGATED.search(asked[: found.start()]):
                return True
    return False

"""Turn knowledge into passages: one per article section or FAQ entry, split to fit the model's window.

MiniLM ignores everything past 256 word pieces, so a longer section is cut into overlapping windows
of whole sentences; otherwise its tail would be invisible to dense search.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.core.knowledge.models import KnowledgeBase

TokenCounter = Callable[[str], int]

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_MARKUP = re.compile(r"(\*\*|__|`)")


class ChunkerSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    max_tokens: int = 240
    overlap_tokens: int = 48


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
    text: str
    sentences: list[str]
    embed_text: str

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


def split_sentences(text: str) -> list[str]:
    """Sentences for extractive answers; list items and paragraphs always end a sentence."""
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
            clean = _MARKUP.sub("", item).strip()
            if clean.startswith("#"):
                clean = clean.lstrip("#").strip()
                if clean and clean[-1] not in ".!?:":
                    clean += ":"
            out.extend(s.strip() for s in _SENTENCE_END.split(clean) if s.strip())
    return out


def chunk_knowledge(kb: KnowledgeBase, count_tokens: TokenCounter, settings: ChunkerSettings) -> list[Passage]:
    passages: list[Passage] = []
    for article in kb.articles:
        for section in article.sections:
            section_label = None if section.title == "Overview" else section.title
            prefix = f"{article.meta.title}. {section.title}."
            for n, (text, sentences) in enumerate(_windows(section.text, prefix, count_tokens, settings)):
                passages.append(
                    Passage(
                        id=f"{article.id}#{slugify(section.title)}#{n}",
                        doc_id=article.id,
                        kind="article",
                        title=article.meta.title,
                        section=section_label or "Overview",
                        path=article.path,
                        line=section.line,
                        text=text,
                        sentences=sentences,
                        embed_text=f"{prefix}\n{text}",
                    )
                )
    for entry in kb.faq:
        prefix = entry.meta.question
        for n, (text, sentences) in enumerate(_windows(entry.answer, prefix, count_tokens, settings)):
            passages.append(
                Passage(
                    id=f"{entry.id}#{n}",
                    doc_id=entry.id,
                    kind="faq",
                    title=entry.meta.question,
                    section=None,
                    path=entry.path,
                    line=1,
                    text=text,
                    sentences=sentences,
                    embed_text=f"{prefix}\n{text}",
                )
            )
    return passages


def _windows(
    text: str, prefix: str, count_tokens: TokenCounter, settings: ChunkerSettings
) -> list[tuple[str, list[str]]]:
    """The whole text when it fits; otherwise greedy sentence windows with about `overlap_tokens` repeated."""
    sentences = split_sentences(text)
    if count_tokens(f"{prefix}\n{text}") <= settings.max_tokens or len(sentences) <= 1:
        return [(text.strip(), sentences)]
    budget = settings.max_tokens - count_tokens(prefix)
    sizes = [count_tokens(s) for s in sentences]
    windows: list[tuple[str, list[str]]] = []
    start = 0
    while start < len(sentences):
        end, used = start, 0
        while end < len(sentences) and (end == start or used + sizes[end] <= budget):
            used += sizes[end]
            end += 1
        chunk = sentences[start:end]
        windows.append((" ".join(chunk), chunk))
        if end >= len(sentences):
            break
        back, overlap = end, 0
        while back - 1 > start and overlap + sizes[back - 1] <= settings.overlap_tokens:
            back -= 1
            overlap += sizes[back]
        start = back
    return windows

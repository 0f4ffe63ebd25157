"""Extractive answers: the most relevant sentences of the best passages, each traced to its source.

Nothing is generated, so nothing can be invented: every sentence shown is a sentence of the knowledge
base, and below the confidence threshold the advisor says it does not know.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from bot.core.embedding import Vectors
from bot.core.retrieval import Hit, SearchIndex

MAX_QUESTION_CHARS = 1000
MAX_ANSWER_CHARS = 900
MAX_SENTENCES = 4
WHOLE_FAQ_CHARS = 900

_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>")
_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
_SPACE = re.compile(r"\s+")


class PassageOut(BaseModel):
    text: str
    source: str
    score: float
    doc_id: str
    kind: str
    title: str
    section: str | None
    dense: float
    bm25: float


class Citation(BaseModel):
    number: int
    doc_id: str
    label: str
    source: str


class Answer(BaseModel):
    question: str
    abstained: bool
    body: str = Field(description="The answer without its list of sources, citation markers inline.")
    passages: list[PassageOut]
    citations: list[Citation] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list)
    confidence: float = 0.0
    note: str | None = None

    @property
    def answer(self) -> str:
        if not self.citations:
            return self.body
        sources = "\n".join(f"[{c.number}] {c.label} ({c.source})" for c in self.citations)
        return f"{self.body}\n\nSources:\n{sources}"

    def contract(self) -> dict[str, Any]:
        """The stable JSON shape other tools read: question, abstained, answer, passages."""
        return {
            "question": self.question,
            "abstained": self.abstained,
            "answer": self.answer,
            "passages": [{"text": p.text, "source": p.source, "score": round(p.score, 6)} for p in self.passages],
        }


def clean_question(raw: str) -> tuple[str, str | None]:
    """Normalise what a member typed; returns the question and a note when something was cut."""
    text = unicodedata.normalize("NFKC", raw)
    text = _MENTION.sub(" ", text)
    text = _CONTROL.sub("", text)
    text = _SPACE.sub(" ", text).strip()
    note = None
    if len(text) > MAX_QUESTION_CHARS:
        cut = text[:MAX_QUESTION_CHARS]
        text = cut[: cut.rfind(" ")] if " " in cut[-100:] else cut
        note = f"Your question was long, so I read only its first {len(text)} characters."
    return text, note


def passage_out(hit: Hit) -> PassageOut:
    p = hit.passage
    return PassageOut(
        text=p.text,
        source=p.source,
        score=hit.score,
        doc_id=p.doc_id,
        kind=p.kind,
        title=p.title,
        section=p.section,
        dense=hit.dense,
        bm25=hit.bm25,
    )


def confidence_of(hits: list[Hit]) -> float:
    """How sure retrieval is: the best cosine among the top fused hits."""
    return max((h.dense for h in hits[:3]), default=0.0)


def suggestions_of(hits: list[Hit], limit: int = 3) -> list[str]:
    titles: list[str] = []
    for hit in hits:
        if hit.passage.title not in titles:
            titles.append(hit.passage.title)
        if len(titles) == limit:
            break
    return titles


def abstain(question: str, hits: list[Hit], confidence: float, note: str | None) -> Answer:
    suggestions = suggestions_of(hits)
    body = "I don't know — the knowledge base doesn't cover that, and I'd rather not guess."
    if suggestions:
        body += " The closest topics I have are: " + "; ".join(f"“{s}”" for s in suggestions) + "."
    return Answer(
        question=question,
        abstained=True,
        body=body,
        passages=[passage_out(h) for h in hits],
        suggestions=suggestions,
        confidence=confidence,
        note=note,
    )


def compose(
    question: str,
    query_vector: Vectors,
    hits: list[Hit],
    index: SearchIndex,
    confidence: float,
    note: str | None = None,
) -> Answer:
    """Pick sentences from the top passages by their similarity to the question, in reading order."""
    top = hits[0]
    chosen: list[tuple[int, int, str]] = []  # (hit rank, sentence position, sentence)
    if top.passage.kind == "faq" and len(top.passage.text) <= WHOLE_FAQ_CHARS:
        # A FAQ answer was written to be read whole.
        chosen = [(0, n, s) for n, s in enumerate(top.passage.sentences)]
    else:
        candidates: list[tuple[float, int, int, str]] = []
        positions = {p.id: n for n, p in enumerate(index.passages)}
        for rank, hit in enumerate(hits[:3]):
            if rank > 0 and hit.dense < max(confidence - 0.15, 0.0):
                continue
            row = positions[hit.passage.id]
            vectors = index.sentence_vectors(row)
            if len(vectors) == 0:
                continue
            sims = np.asarray(vectors @ query_vector, dtype=np.float32)
            for n, sentence in enumerate(hit.passage.sentences):
                # Earlier (better ranked) passages get a small head start.
                candidates.append((float(sims[n]) - 0.04 * rank, rank, n, sentence))
        candidates.sort(key=lambda c: -c[0])
        used = 0
        for score, rank, n, sentence in candidates:
            if len(chosen) >= MAX_SENTENCES:
                break
            if chosen and (score < candidates[0][0] - 0.25 or used + len(sentence) > MAX_ANSWER_CHARS):
                continue
            chosen.append((rank, n, sentence))
            used += len(sentence)
        chosen.sort()
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    for rank, _, sentence in chosen:
        passage = hits[rank].passage
        key = passage.source
        if key not in numbers:
            numbers[key] = len(numbers) + 1
            citations.append(
                Citation(number=numbers[key], doc_id=passage.doc_id, label=passage.label, source=passage.source)
            )
        parts.append(f"{sentence} [{numbers[key]}]")
    body = _merge_markers(parts)
    return Answer(
        question=question,
        abstained=False,
        body=body,
        passages=[passage_out(h) for h in hits],
        citations=citations,
        confidence=confidence,
        note=note,
    )


def _merge_markers(parts: list[str]) -> str:
    """`a [1] b [1] c [2]` reads better as `a b [1] c [2]`: one marker per run from the same source."""
    out: list[str] = []
    for i, part in enumerate(parts):
        marker = part[part.rfind(" [") :]
        following = parts[i + 1][parts[i + 1].rfind(" [") :] if i + 1 < len(parts) else None
        out.append(part[: -len(marker)] if marker == following else part)
    return " ".join(out)

"""What an answer is: a typed result each adapter renders its own way, plus the cleaning of questions.

Nothing is generated, so nothing can be invented: every sentence shown is the knowledge base's own,
cited; when the decision model says the knowledge base does not cover a question, the answer says
so plainly and offers the nearest FAQ questions instead.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Literal

from pydantic import BaseModel, Field

from bot.core.knowledge.models import ScopeRule
from bot.core.retrieval import Hit
from bot.core.roadmap.schemas import StepContext
from bot.core.text import clean_text

MAX_QUESTION_CHARS = 1000
DECLINE_TEXT = "I don't know: the knowledge base doesn't cover that, and I'd rather not guess."
EMPLOYER_PAY_TEXT = (
    "I can't tell you what {name} pays right now: pay changes, and depends on level, location and negotiation. "
    "Salary-sharing sites, recent offers for that company and city, and the recruiter are where to check; "
    "for the general picture, ask “How much do machine learning engineers earn?”"
)
EMPTY_TEXT = "Please ask a question, for example: “What should I learn first to become an ML engineer?”"


Reason = Literal["answered", "empty", "not_covered", "out_of_scope", "other_language"]


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


class AnswerPart(BaseModel):
    """One question of a multi-part post and what answers it (its citations are numbered in `Answer`)."""

    question: str
    body: str
    citations: list[int] = Field(default_factory=list)


class Answer(BaseModel):
    question: str
    abstained: bool
    body: str = Field(description="The answer without its list of sources, citation markers inline.")
    passages: list[PassageOut] = Field(
        description="Best first, as the answer uses them; a score is the ranker's relevance, so an FAQ entry "
        "placed before a section on the same subject may score a little lower than it."
    )
    citations: list[Citation] = Field(default_factory=list)
    related: list[Citation] = Field(default_factory=list, description="Further sources worth reading.")
    parts: list[AnswerPart] = Field(default_factory=list, description="Set when a post asked several things.")
    suggestions: list[str] = Field(default_factory=list, description="On a decline: the nearest FAQ questions.")
    confidence: float = Field(default=0.0, description="The decision model's probability that this is covered.")
    reason: Reason = "answered"
    scope: str | None = Field(default=None, description="On a decline: the scope rule it matched, if any.")
    note: str | None = None
    roadmap_context: StepContext | None = Field(
        default=None, description="For a member with a goal: the roadmap step the best source belongs to."
    )

    @property
    def answer(self) -> str:
        """Plain text: the body, its sources, related reading or the questions it might have meant."""
        lines = [self.body]
        if self.citations:
            lines.append("\nSources:")
            lines.extend(f"[{c.number}] {c.label} ({c.source})" for c in self.citations)
        if self.related:
            lines.append("Related: " + "; ".join(f"{c.label} ({c.source})" for c in self.related))
        if self.suggestions:
            lines.append("\nDid you mean:")
            lines.extend(f"- {s}" for s in self.suggestions)
        return "\n".join(lines)

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
    # NFKC folds look-alikes ("ﬁ" ligatures, full-width letters) into the letters the index knows.
    text = clean_text(unicodedata.normalize("NFKC", raw))
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


def empty_answer() -> Answer:
    return Answer(question="", abstained=True, body=EMPTY_TEXT, passages=[], reason="empty")


def decline(
    question: str,
    hits: list[Hit],
    suggestions: list[str],
    confidence: float,
    note: str | None,
    scope: ScopeRule | None = None,
    reply: str | None = None,
) -> Answer:
    """Says plainly that the knowledge base does not cover it; a matched scope rule, or a `reply` for a
    kind of question the core recognises itself, says what to do instead."""
    return Answer(
        question=question,
        abstained=True,
        body=reply or (scope.reply if scope else DECLINE_TEXT),
        passages=[passage_out(h) for h in hits],
        suggestions=suggestions,
        confidence=confidence,
        reason="out_of_scope" if scope or reply else "not_covered",
        scope=scope.id if scope else None,
        note=note,
    )

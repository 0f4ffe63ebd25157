"""Second-stage ranking: a small linear model over what both rankers saw of each candidate passage.

Reciprocal-rank fusion treats a passage that both rankers put fourth like one that a single ranker
put first. The signals it throws away (the cosine of the passage itself, of its best question
anchor, how much of the question's specific vocabulary the passage covers, whether it is an FAQ
entry written for exactly one question) decide many paraphrased questions, so a logistic model
weighs them, fitted on the tune split (`scripts/eval.py --fit-ranker`) and kept as plain JSON.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from pydantic import Field

from bot.core.chunking import for_asker
from bot.core.logistic import LogisticModel
from bot.core.retrieval import Hit, QueryTerms, SearchIndex, weighted_share

FEATURES: tuple[str, ...] = (
    "passage_cosine",
    "anchor_cosine",
    "dense",
    "dense_gap",
    "bm25_share",
    "faq",
    "coverage",
    "length",
)
MODEL_FILE = "ranking.json"
# No reciprocal-rank features (1 / rank in each ranker): they jump between first and second place on a
# cosine difference of 0.01, and `dense_gap` and `bm25_share` carry the same information smoothly.
# Without them, 197 short questions written blind for development gained 11 first places and 5
# answers and 66 development posts 2 answers; calibrate lost 2 of each (tune, the fit set, 3 answers).
# An FAQ entry on the same subject as the article section ranked just above it answers instead (see
# `faq_first`). Chosen on tune (gap 0.15-0.3 equal at 0.65, +1 answer of 80; 0.60 cost one first
# place), checked on calibrate (+3) and on 66 graded development posts (+15 parts of 164).
FAQ_FIRST_GAP = 0.2  # relevance
SIBLING_COSINE = 0.65  # of the two passages' texts: "how much math do I need?" and "How much math is enough"


def candidate_features(index: SearchIndex, terms: QueryTerms, hits: Sequence[Hit]) -> list[list[float]]:
    weights = index.term_weights(terms)
    best_bm25 = max((h.bm25 for h in hits), default=0.0) or 1.0
    best_dense = max((h.dense for h in hits), default=0.0)
    rows: list[list[float]] = []
    for h in hits:
        rows.append(
            [
                h.passage_cosine,
                h.anchor_cosine,
                h.dense,
                h.dense - best_dense,
                h.bm25 / best_bm25,
                float(h.passage.kind == "faq"),
                weighted_share(weights, index.passage_terms[h.row]),
                math.log1p(len(h.passage.text) / 1000),
            ]
        )
    return rows


class Ranker(LogisticModel):
    """relevance = sigmoid(w · standardised(features) + b), per candidate."""

    FEATURES: ClassVar[tuple[str, ...]] = FEATURES
    FILE: ClassVar[str] = MODEL_FILE

    features: list[str] = Field(default_factory=lambda: list(FEATURES))

    @classmethod
    def fused_order(cls) -> Ranker:
        """Keeps the fused order: every candidate gets the same relevance, so nothing moves."""
        return cls.flat()

    @property
    def active(self) -> bool:
        return any(self.weights)

    def rerank(self, index: SearchIndex, terms: QueryTerms, hits: Sequence[Hit]) -> list[Hit]:
        """The hits best first by relevance, which becomes their score (ties keep the fused order)."""
        if not self.active or not hits:
            return list(hits)
        relevance = self.probabilities(candidate_features(index, terms, hits))
        scored = [replace(h, score=float(r)) for h, r in zip(hits, relevance, strict=True)]
        order = sorted(range(len(scored)), key=lambda i: (-scored[i].score, i))
        return [scored[i] for i in order]


def load_ranker(path: Path | None = None) -> Ranker:
    return Ranker.load(path)


# A passage written for the background the member names goes first when one written for another
# background leads by at most this much (0.1 chosen on the development questions and trial sessions:
# 0.2 moved "computer science or maths?" from a secondary-school pupil to the entry for CS students).
NAMED_FIRST_GAP = 0.1  # relevance
# A passage for no background in particular goes first when one written for a background the member does
# not name leads by at most this much: a financial analyst's "realistic at my age without a CS degree?"
# had the entry for engineering students choosing a degree 0.017 ahead of "do I need a degree?". Chosen on
# calibrate (0.03 and 0.05: +1 answer, +1 first place; tune unchanged); 0.1 and 0.2 lost 2 answers there.
GENERAL_FIRST_GAP = 0.03  # relevance


def named_background_first(hits: Sequence[Hit], question: str) -> list[Hit]:
    """The hits with the passage for the member's own background first, when the leader was written for
    another background and leads narrowly: a backend developer's "where should I start?" had the entry
    for CS students ahead of the one for software engineers by 0.02. Failing that, a general passage
    right behind such a leader goes first."""
    if not hits or not hits[0].passage.audience or for_asker(hits[0].passage, question):
        return list(hits)
    top = hits[0]
    for n, hit in enumerate(hits[1:3], start=1):
        if hit.passage.audience and for_asker(hit.passage, question) and top.score - hit.score <= NAMED_FIRST_GAP:
            return [hits[n], *hits[:n], *hits[n + 1 :]]
    if len(hits) > 1 and not hits[1].passage.audience and top.score - hits[1].score <= GENERAL_FIRST_GAP:
        return [hits[1], hits[0], *hits[2:]]
    return list(hits)


def faq_first(index: SearchIndex, hits: Sequence[Hit], question: str) -> list[Hit]:
    """The hits with an FAQ entry moved to the front when it is a near sibling of the section above it.

    Much of the knowledge says one thing twice: an FAQ entry written to answer one question, and an
    article section on the same subject written to explain it. When the ranker puts the section just
    ahead, the entry is the better answer (it is shown whole; the section follows under "See also").
    Another subject's entry ("my model is 98% right on training data" is not the rare-class accuracy
    entry) is told apart by how close the two texts are. An entry written for one background (its
    `audience`) goes first only for a member who names it; for anyone else the section itself answers.
    """
    if not hits or hits[0].passage.kind == "faq":
        return list(hits)
    top = hits[0]
    close = [
        (index.similarity(hit.row, top.row), n)
        for n, hit in enumerate(hits[1:3], start=1)
        if hit.passage.kind == "faq" and top.score - hit.score <= FAQ_FIRST_GAP
    ]
    # Two entries close behind (is a master's worth it? do I need a PhD?): the section's own sibling.
    similarity, n = max(close, default=(0.0, 0))
    if similarity < SIBLING_COSINE or not for_asker(hits[n].passage, question):
        return list(hits)
    return [hits[n], *hits[:n], *hits[n + 1 :]]

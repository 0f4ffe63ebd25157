"""Whether to answer: a small logistic model over several retrieval signals, not one cosine.

One cosine threshold fails both ways: an informal paraphrase of a covered topic can score low, and
an on-domain question we do not cover (a CUDA error, an admissions deadline) can score high. Other
signals tell them apart: how far the best passage stands above the next, whether a question anchor
matched, how many of the question's words the knowledge base has ever used, how much of the
question the best passage covers, and whether the two rankers agree. The weights are fitted on the
calibrate split by `scripts/eval.py --calibrate` and kept as plain JSON beside this module, with the
knowledge version they were fitted on.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from bot.core.logistic import LogisticModel
from bot.core.retrieval import Hit, QueryTerms, SearchIndex, next_other_document, weighted_share

FEATURES: tuple[str, ...] = (
    "dense_top",
    "anchor_top",
    "passage_top",
    "margin",
    "unknown_share",
    "rare_unknown",
    "coverage_top",
    "agree",
    "terms",
    "scope_top",
    "scope_margin",
    "scope_excess",
    "relevance_top",
    "relevance_gap",
)
MODEL_FILE = "answerability.json"


class Signals(BaseModel):
    """What retrieval saw for one question; the model's inputs, in FEATURES order."""

    model_config = ConfigDict(frozen=True)

    dense_top: float
    anchor_top: float
    passage_top: float
    margin: float
    unknown_share: float
    rare_unknown: float
    coverage_top: float
    agree: float
    terms: float
    scope_top: float
    scope_margin: float
    scope_excess: float  # how far a scope example beats every passage (0 when none does)
    relevance_top: float
    relevance_gap: float

    def vector(self) -> list[float]:
        return [float(getattr(self, name)) for name in FEATURES]


def signals(index: SearchIndex, terms: QueryTerms, hits: list[Hit], scope: float = 0.0) -> Signals:
    """`scope` is the cosine of the closest example of something the knowledge base does not answer."""
    if not hits:
        return Signals(
            dense_top=0.0,
            anchor_top=0.0,
            passage_top=0.0,
            margin=0.0,
            unknown_share=terms.unknown_share,
            rare_unknown=1.0 if terms.terms else 0.0,
            coverage_top=0.0,
            agree=0.0,
            terms=math.log1p(len(terms.terms)),
            scope_top=scope,
            scope_margin=scope,
            scope_excess=scope,
            relevance_top=0.0,
            relevance_gap=0.0,
        )
    by_dense = sorted(hits, key=lambda h: -h.dense)
    best = by_dense[0]
    other = next((h.dense for h in by_dense[1:] if h.passage.doc_id != best.passage.doc_id), 0.0)
    top = hits[0]  # ranked first: what the answer will be composed from
    other_doc = next_other_document(hits)
    runner_up = other_doc.score if other_doc is not None else 0.0
    covered = index.passage_terms[top.row]
    known = set(terms.known)
    # Each word weighs by how specific it is: words the knowledge base never uses weigh the most.
    weights = index.term_weights(terms)
    total = sum(weights.values()) or 1.0
    dense_first = min(hits, key=lambda h: h.dense_rank if h.dense_rank is not None else 10**6)
    bm25_first = min(hits, key=lambda h: h.bm25_rank if h.bm25_rank is not None else 10**6)
    return Signals(
        dense_top=best.dense,
        anchor_top=max(h.anchor_cosine for h in hits),
        passage_top=max(h.passage_cosine for h in hits),
        margin=best.dense - other,
        unknown_share=terms.unknown_share,
        rare_unknown=sum(w for t, w in weights.items() if t not in known) / total,
        coverage_top=weighted_share(weights, covered),
        agree=float(dense_first.passage.doc_id == bm25_first.passage.doc_id and bm25_first.bm25_rank is not None),
        terms=math.log1p(len(terms.terms)),
        scope_top=scope,
        scope_margin=scope - best.dense,
        scope_excess=max(0.0, scope - best.dense),
        relevance_top=top.score,
        relevance_gap=top.score - runner_up,
    )


class DecisionModel(LogisticModel):
    """P(answerable) from the signals; answer when it reaches `threshold`."""

    FEATURES: ClassVar[tuple[str, ...]] = FEATURES
    FILE: ClassVar[str] = MODEL_FILE

    features: list[str] = Field(default_factory=lambda: list(FEATURES))
    threshold: float = Field(description="Answer when the probability reaches this.")
    notes: str = ""

    @classmethod
    def neutral(cls) -> DecisionModel:
        """Answers everything (probability 0.5 at threshold 0.5): what calibration starts from."""
        return cls.flat(threshold=0.5)

    @classmethod
    def cosine_threshold(cls, threshold: float, notes: str = "") -> DecisionModel:
        """Answer when the best cosine reaches `threshold` and no scope example is clearly closer than
        every passage: the simple rule, for knowledge bases with no evaluation set to fit on yet."""
        weights = [0.0] * len(FEATURES)
        weights[FEATURES.index("dense_top")] = 40.0
        weights[FEATURES.index("scope_excess")] = -400.0
        return cls.flat(
            weights=weights,
            intercept=-40.0 * threshold,
            threshold=0.5,
            notes=notes or f"best cosine >= {threshold}, unless a scope example is closer",
        )

    def answers(self, s: Signals) -> tuple[bool, float]:
        p = self.probability(s.vector())
        return p >= self.threshold, p


def load_decision(path: Path | None = None) -> DecisionModel:
    """The shipped model unless a path is given (evaluation compares fitted variants this way)."""
    return DecisionModel.load(path)

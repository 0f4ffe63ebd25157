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
from datetime import datetime
from importlib import resources
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from bot.core.retrieval import Hit, QueryTerms, SearchIndex

FEATURES: tuple[str, ...] = (
    "passage_cosine",
    "anchor_cosine",
    "dense",
    "dense_gap",
    "bm25_share",
    "dense_reciprocal",
    "bm25_reciprocal",
    "faq",
    "coverage",
    "length",
)
MODEL_FILE = "ranking.json"
ABSENT_RANK = 50


def candidate_features(index: SearchIndex, terms: QueryTerms, hits: Sequence[Hit]) -> list[list[float]]:
    weights = {t: index.idf(t) for t in terms.terms}
    total = sum(weights.values()) or 1.0
    best_bm25 = max((h.bm25 for h in hits), default=0.0) or 1.0
    best_dense = max((h.dense for h in hits), default=0.0)
    rows: list[list[float]] = []
    for h in hits:
        found = index.passage_terms[h.row]
        rows.append(
            [
                h.passage_cosine,
                h.anchor_cosine,
                h.dense,
                h.dense - best_dense,
                h.bm25 / best_bm25,
                1.0 / ((h.dense_rank if h.dense_rank is not None else ABSENT_RANK) + 1),
                1.0 / ((h.bm25_rank if h.bm25_rank is not None else ABSENT_RANK) + 1),
                float(h.passage.kind == "faq"),
                sum(w for t, w in weights.items() if t in found) / total,
                math.log1p(len(h.passage.text) / 1000),
            ]
        )
    return rows


class Ranker(BaseModel):
    """relevance = sigmoid(w · standardised(features) + b), per candidate."""

    model_config = ConfigDict(frozen=True)

    version: int = 1
    features: list[str] = Field(default_factory=lambda: list(FEATURES))
    mean: list[float]
    scale: list[float]
    weights: list[float]
    intercept: float
    fitted_at: datetime | None = None
    fitted_on: dict[str, str] = Field(default_factory=dict)
    fitted_items: int = 0

    @classmethod
    def fused_order(cls) -> Ranker:
        """Keeps the fused order: relevance follows the reciprocal of the fused rank only."""
        n = len(FEATURES)
        return cls(mean=[0.0] * n, scale=[1.0] * n, weights=[0.0] * n, intercept=0.0)

    def relevance(self, row: Sequence[float]) -> float:
        if self.features != list(FEATURES):
            raise ValueError("the ranking model was fitted on other features; refit it")
        z = self.intercept + sum(
            w * (v - m) / (s or 1.0) for w, v, m, s in zip(self.weights, row, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))

    @property
    def active(self) -> bool:
        return any(self.weights)

    def rerank(self, index: SearchIndex, terms: QueryTerms, hits: Sequence[Hit]) -> list[Hit]:
        """The hits best first by relevance, which becomes their score (ties keep the fused order)."""
        if not self.active or not hits:
            return list(hits)
        if self.features != list(FEATURES):
            raise ValueError("the ranking model was fitted on other features; refit it")
        x = np.asarray(candidate_features(index, terms, hits), dtype=np.float64)
        scale = np.asarray([s or 1.0 for s in self.scale])
        z = self.intercept + ((x - np.asarray(self.mean)) / scale) @ np.asarray(self.weights)
        relevance = 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))
        scored = [replace(h, score=float(r)) for h, r in zip(hits, relevance, strict=True)]
        order = sorted(range(len(scored)), key=lambda i: (-scored[i].score, i))
        return [scored[i] for i in order]


def load_ranker(path: Path | None = None) -> Ranker:
    if path is not None:
        text = path.read_text(encoding="utf-8")
    else:
        text = resources.files("bot.core").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return Ranker.model_validate_json(text)

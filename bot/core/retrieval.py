"""Hybrid retrieval: dense cosine search (FAISS) and BM25, fused by reciprocal rank.

Dense search finds paraphrases ("how much do they earn" -> salary); BM25 finds rare exact words
("ROC-AUC", "Kubernetes") that a small model blurs. Fusing ranks, not raw scores, needs no tuning of
two incomparable scales; docs/retrieval.md has the measurements behind the choice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import bm25s
import numpy as np
import Stemmer

from bot.core.chunking import Passage
from bot.core.embedding import Vectors
from bot.core.errors import IndexUnavailable
from bot.core.index.artifacts import Artifacts, current_build, read_build

# bm25s sets its own logger to DEBUG on import; its chatter is not ours to print.
logging.getLogger("bm25s").setLevel(logging.WARNING)

Mode = Literal["hybrid", "dense", "bm25"]
RRF_K = 60
CANDIDATES = 50


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float
    dense: float
    bm25: float


@dataclass
class SearchIndex:
    """One immutable, fully loaded index version; a reload builds a new one and swaps the reference."""

    artifacts: Artifacts
    faiss_index: Any
    bm25: Any
    stemmer: Any
    folder: Path | None = None
    _doc_titles: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, index_dir: Path) -> SearchIndex:
        folder = current_build(index_dir)
        if folder is None:
            raise IndexUnavailable(f"there is no index in {index_dir}; run `roadmap-bot build-index`")
        artifacts, faiss_index = read_build(folder)
        return cls.from_artifacts(artifacts, faiss_index, folder)

    @classmethod
    def from_artifacts(cls, artifacts: Artifacts, faiss_index: Any, folder: Path | None = None) -> SearchIndex:
        stemmer = Stemmer.Stemmer("english")
        corpus = [_bm25_text(p) for p in artifacts.passages]
        tokens = bm25s.tokenize(corpus, stopwords="en", stemmer=stemmer, show_progress=False)
        bm25 = bm25s.BM25()
        bm25.index(tokens, show_progress=False)
        titles = {p.doc_id: p.title for p in artifacts.passages}
        return cls(artifacts, faiss_index, bm25, stemmer, folder, titles)

    @property
    def passages(self) -> list[Passage]:
        return self.artifacts.passages

    def sentence_vectors(self, passage_index: int) -> Vectors:
        rows = self.artifacts.sentence_rows[passage_index]
        vectors: Vectors = self.artifacts.embeddings[rows]
        return vectors

    def dense(self, query: Vectors, k: int) -> list[tuple[int, float]]:
        k = min(k, len(self.passages))
        scores, ids = self.faiss_index.search(np.ascontiguousarray(query.reshape(1, -1)), k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def lexical(self, text: str, k: int) -> list[tuple[int, float]]:
        tokens = bm25s.tokenize([text], stopwords="en", stemmer=self.stemmer, return_ids=False, show_progress=False)
        if not tokens or not tokens[0]:
            return []
        k = min(k, len(self.passages))
        ids, scores = self.bm25.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if s > 0]

    def search(self, query_vector: Vectors, query_text: str, k: int, mode: Mode = "hybrid") -> list[Hit]:
        dense = self.dense(query_vector, CANDIDATES) if mode != "bm25" else []
        lexical = self.lexical(query_text, CANDIDATES) if mode != "dense" else []
        dense_score = dict(dense)
        lexical_score = dict(lexical)
        if mode == "dense":
            ranked = [(i, s) for i, s in dense]
        elif mode == "bm25":
            ranked = [(i, s) for i, s in lexical]
        else:
            fused: dict[int, float] = {}
            for ranking in (dense, lexical):
                for rank, (i, _) in enumerate(ranking):
                    fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
            ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
        hits: list[Hit] = []
        for i, score in ranked[:k]:
            cosine = dense_score.get(i)
            if cosine is None:
                cosine = float(self.artifacts.embeddings[i] @ query_vector)
            hits.append(Hit(self.passages[i], score, cosine, lexical_score.get(i, 0.0)))
        return hits


def _bm25_text(passage: Passage) -> str:
    return f"{passage.title} {passage.section or ''} {passage.text}"

"""Hybrid retrieval: dense cosine search (FAISS) over passages and their question anchors, and BM25,
fused by reciprocal rank.

Dense search finds paraphrases ("how much do they earn" -> salary), and does so best question to
question, which is why each passage's anchors are keys of the same index pointing back to it; BM25
finds rare exact words ("ROC-AUC", "Kubernetes") that a small model blurs. Fusing ranks, not raw
scores, needs no tuning of two incomparable scales; docs/retrieval.md has the measurements.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import bm25s
import numpy as np
import numpy.typing as npt
import Stemmer
from pydantic import BaseModel, ConfigDict

from bot.core.chunking import Passage
from bot.core.embedding import Vectors
from bot.core.errors import IndexUnavailable
from bot.core.index.artifacts import Artifacts, current_build, read_build
from bot.core.spelling import words

# bm25s sets its own logger to DEBUG on import; its chatter is not ours to print.
logging.getLogger("bm25s").setLevel(logging.WARNING)

Mode = Literal["hybrid", "dense", "bm25"]


class RetrievalSettings(BaseModel):
    """Knobs measured in docs/retrieval.md; the defaults are what the tune split backed."""

    model_config = ConfigDict(frozen=True)

    mode: Mode = "hybrid"
    anchors: bool = True
    rrf_k: int = 60
    candidates: int = 50
    dense_weight: float = 1.0  # the dense ranking's weight in the fusion (BM25's is 1)
    leaders: int = 3  # each ranker's first few are always candidates (see `search`)


@dataclass(frozen=True)
class Hit:
    passage: Passage
    row: int  # the passage's position in the index
    score: float  # what ranked it: the fused score, or the second stage's relevance once reranked
    dense: float  # best cosine of the passage or one of its anchors
    passage_cosine: float
    anchor_cosine: float
    bm25: float
    dense_rank: int | None = None  # 0-based, None when outside that ranker's candidates
    bm25_rank: int | None = None


def weighted_share(weights: Mapping[str, float], found: Container[str]) -> float:
    """The idf-weighted share of a question's terms that `found` holds (0 for a question without terms)."""
    total = sum(weights.values()) or 1.0
    return sum(w for t, w in weights.items() if t in found) / total


def next_other_document(hits: Sequence[Hit]) -> Hit | None:
    """The first hit after the first one that comes from another document (hits in answer order)."""
    return next((h for h in hits[1:] if h.passage.doc_id != hits[0].passage.doc_id), None) if hits else None


@dataclass
class DenseMatch:
    row: int
    text_cosine: float = -1.0
    anchor_cosine: float = 0.0

    @property
    def cosine(self) -> float:
        return max(self.text_cosine, self.anchor_cosine)


@dataclass
class QueryTerms:
    """The question's content words as the index sees them (stemmed, stop words removed)."""

    terms: list[str]  # distinct, in order
    known: list[str]  # those the knowledge base uses
    tokens: list[str] = field(default_factory=list)  # every one, repeats included: the BM25 query

    @property
    def unknown_share(self) -> float:
        return 1.0 - len(self.known) / len(self.terms) if self.terms else 0.0


# "what sort of model would you use": not sorting. Dropped from the words a text is searched or scored
# with (the BM25 index keeps them), so "sort" no longer finds the sorting algorithms. ("kind of" stays: "what kind of neural
# network…" matched "the kind of data" in the section that answers it.)
_HEDGES = re.compile(r"\bsorts?\s+of\b", re.IGNORECASE)


@dataclass(frozen=True)
class KeyGroups:
    """Some FAISS rows (a passage's text windows, or its anchors) ordered by the passage they point to."""

    columns: npt.NDArray[np.int64]  # the rows, grouped by passage
    starts: npt.NDArray[np.int64]  # where each passage's group begins in `columns`
    owners: npt.NDArray[np.int64]  # the passage of each group

    @classmethod
    def of(cls, owners: npt.NDArray[np.int64], chosen: npt.NDArray[np.bool_]) -> KeyGroups:
        rows = np.flatnonzero(chosen)
        columns = rows[np.argsort(owners[rows], kind="stable")]
        grouped = owners[columns]
        starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]]) if len(grouped) else grouped
        return cls(columns, starts.astype(np.int64), grouped[starts])

    def best(self, sims: npt.NDArray[np.float32], passages: int, empty: float) -> npt.NDArray[np.float32]:
        """Per query (a row of `sims`) and passage, the best cosine among the passage's rows, else `empty`."""
        out = np.full((len(sims), passages), empty, dtype=np.float32)
        if len(self.columns):
            out[:, self.owners] = np.maximum.reduceat(sims[:, self.columns], self.starts, axis=1)
        return out


@dataclass
class SearchIndex:
    """One immutable, fully loaded index version; a reload builds a new one and swaps the reference."""

    artifacts: Artifacts
    faiss_index: Any
    bm25: Any
    stemmer: Any
    folder: Path | None = None
    owners: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    anchor_keys: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=np.bool_))
    passage_terms: list[set[str]] = field(default_factory=list)
    document_frequency: Counter[str] = field(default_factory=Counter)
    corpus_words: Counter[str] = field(default_factory=Counter)  # plain lowercase words, for typo repair
    scope_owners: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # FAISS rows grouped by the passage they point to, text windows and anchors apart (`dense_many`)
    text_groups: KeyGroups | None = None
    anchor_groups: KeyGroups | None = None

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
        corpus = [p.lexical_text for p in artifacts.passages]
        terms = bm25s.tokenize(corpus, stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False)
        bm25 = bm25s.BM25()
        bm25.index(bm25s.tokenize(corpus, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False)
        passage_terms = [set(t) for t in terms]
        frequency: Counter[str] = Counter()
        for found in passage_terms:
            frequency.update(found)
        owner_list, anchor_list = artifacts.key_owners()
        owners = np.asarray(owner_list, dtype=np.int64)
        anchor_keys = np.asarray(anchor_list, dtype=np.bool_)
        plain: Counter[str] = Counter()
        for text in corpus:
            plain.update(words(text))
        scope_owners = np.asarray([n for n, rows in enumerate(artifacts.scope_rows) for _ in rows], dtype=np.int64)
        return cls(
            artifacts,
            faiss_index,
            bm25,
            stemmer,
            folder,
            owners,
            anchor_keys,
            passage_terms,
            frequency,
            plain,
            scope_owners,
            KeyGroups.of(owners, ~anchor_keys),
            KeyGroups.of(owners, anchor_keys),
        )

    @property
    def passages(self) -> list[Passage]:
        return self.artifacts.passages

    def terms(self, text: str) -> QueryTerms:
        return self.terms_many([text])[0]

    def terms_many(self, texts: Sequence[str]) -> list[QueryTerms]:
        asked = [_HEDGES.sub(" ", text) for text in texts]
        found = bm25s.tokenize(asked, stopwords="en", stemmer=self.stemmer, return_ids=False, show_progress=False)
        out = []
        for tokens in found:
            words = list(dict.fromkeys(tokens))
            out.append(QueryTerms(words, [w for w in words if w in self.document_frequency], list(tokens)))
        return out

    def idf(self, term: str) -> float:
        """BM25's inverse document frequency; a word the knowledge base never uses gets the highest."""
        n, df = len(self.passages), self.document_frequency.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def dense(self, query: Vectors, k: int, anchors: bool = True) -> list[DenseMatch]:
        return self.dense_many(query.reshape(1, -1), k, anchors)[0]

    def dense_many(self, queries: Vectors, k: int, anchors: bool = True) -> list[list[DenseMatch]]:
        """Per query, its first `k` passages, best first, each with its best cosine over its text windows and
        over its anchors; with `anchors` off, anchors are ignored.

        One FAISS range search returns every row's cosine for the whole batch, unsorted (a k-nearest search
        over all rows sorted 3,900 of them per question for nothing); the best per passage is then one
        array reduction for the batch.
        """
        assert self.text_groups is not None and self.anchor_groups is not None
        batch = np.ascontiguousarray(queries, dtype=np.float32)
        lims, found, keys = self.faiss_index.range_search(batch, -2.0)  # every row: a cosine is at least -1
        sims = np.full((len(batch), self.faiss_index.ntotal), -1.0, dtype=np.float32)
        sims[np.repeat(np.arange(len(batch)), np.diff(lims).astype(np.int64)), keys] = found
        passages = len(self.passages)
        text = self.text_groups.best(sims, passages, -1.0)
        # an anchor cosine below 0 counts as 0: no anchor, or none that points anywhere near the question
        anchor = np.maximum(self.anchor_groups.best(sims, passages, 0.0), 0.0) if anchors else np.zeros_like(text)
        order = np.argsort(-np.maximum(text, anchor), axis=1, kind="stable")[:, :k]
        return [
            [DenseMatch(*match) for match in zip(rows.tolist(), t[rows].tolist(), a[rows].tolist(), strict=True)]
            for rows, t, a in zip(order, text, anchor, strict=True)
        ]

    def term_weights(self, terms: QueryTerms) -> dict[str, float]:
        """Each of the question's terms weighed by how specific it is (words never used weigh the most)."""
        return {t: self.idf(t) for t in terms.terms}

    def coverage(self, terms: QueryTerms, text: str) -> float:
        """How much of the question's specific vocabulary `text` uses."""
        return weighted_share(self.term_weights(terms), set(self.terms(text).terms))

    def similarity(self, a: int, b: int) -> float:
        """Cosine of two passages' own text vectors (rows of `artifacts.passages`)."""
        vectors = self.artifacts.embeddings
        return float(np.dot(vectors[a], vectors[b]))

    def scope(self, query: Vectors) -> tuple[int | None, float]:
        """The scope rule (knowledge/scope.yaml) whose example is closest to the question, and its cosine."""
        rows = [row for rows in self.artifacts.scope_rows for row in rows]
        if not rows:
            return None, 0.0
        sims = self.artifacts.embeddings[rows] @ query
        best = int(np.argmax(sims))
        return int(self.scope_owners[best]), float(sims[best])

    def lexical(self, text: str, k: int) -> list[tuple[int, float]]:
        return self.lexical_many([self.terms(text)], k)[0]

    def lexical_many(self, queries: Sequence[QueryTerms], k: int) -> list[list[tuple[int, float]]]:
        """BM25 for a batch in one call; a query with no word the knowledge base uses finds nothing."""
        out: list[list[tuple[int, float]]] = [[] for _ in queries]
        searchable = [n for n, q in enumerate(queries) if q.known]
        if not searchable:
            return out
        k = min(k, len(self.passages))
        tokens = [[t for t in queries[n].tokens if t in self.document_frequency] for n in searchable]
        ids, scores = self.bm25.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        for row, n in enumerate(searchable):
            out[n] = [(int(i), float(s)) for i, s in zip(ids[row], scores[row], strict=True) if s > 0]
        return out

    def bm25_scores(self, terms: QueryTerms) -> npt.NDArray[np.float32]:
        """BM25's score of every passage for the question's terms (0 where it shares no word)."""
        tokens = [t for t in terms.tokens if t in self.document_frequency]
        if not tokens:
            return np.zeros(len(self.passages), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)

    def search(
        self,
        query_vector: Vectors,
        query_text: str,
        k: int,
        settings: RetrievalSettings | None = None,
        dense: list[DenseMatch] | None = None,
        lexical: list[tuple[int, float]] | None = None,
        terms: QueryTerms | None = None,
        extra: Sequence[int] = (),
    ) -> list[Hit]:
        """Fused hits, best first; `dense`, `lexical` and `terms` may come precomputed for a whole batch.
        `extra` rows join the first `k` candidates, after them, when they are not among them already."""
        settings = settings or RetrievalSettings()
        mode = settings.mode
        if mode == "bm25":
            dense = []
        elif dense is None:
            dense = self.dense(query_vector, len(self.passages), settings.anchors)
        if mode == "dense":
            lexical = []
        elif lexical is None:
            lexical = self.lexical(query_text, settings.candidates)
        dense_info = {m.row: (rank, m) for rank, m in enumerate(dense)}
        lexical_info = {i: (rank, s) for rank, (i, s) in enumerate(lexical)}
        if mode == "dense":
            ranked = [(m.row, m.cosine) for m in dense]
        elif mode == "bm25":
            ranked = list(lexical)
        else:
            fused: dict[int, float] = {}
            dense_candidates = [m.row for m in dense[: settings.candidates]]
            for weight, ranking in ((settings.dense_weight, dense_candidates), (1.0, [i for i, _ in lexical])):
                for rank, i in enumerate(ranking):
                    fused[i] = fused.get(i, 0.0) + weight / (settings.rrf_k + rank + 1)
            ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
        hits: list[Hit] = []
        vectors = self.artifacts.passage_vectors
        chosen = ranked[:k]
        # Fusion by rank drops a passage that one ranker puts first and the other misses (1/61 loses to
        # two middling ranks: 44 of 1,762 development questions lost the dense ranker's first this way).
        # The second stage, which weighs the cosines themselves, must still see it.
        if mode == "hybrid":
            fused_score = dict(ranked)
            leaders = min(settings.leaders, settings.candidates)
            leading = [m.row for m in dense[:leaders]] + [i for i, _ in lexical[:leaders]]
            present = {i for i, _ in chosen}
            chosen += [(i, fused_score[i]) for i in dict.fromkeys(leading) if i not in present]
        present = {i for i, _ in chosen}
        chosen += [(i, 0.0) for i in dict.fromkeys(extra) if i not in present]
        # A candidate found by the dense ranker only still has a BM25 score, just below BM25's own
        # candidates: its true score, not 0, is what the ranker's features must see.
        unscored = mode == "hybrid" and any(i not in lexical_info for i, _ in chosen)
        bm25_all = self.bm25_scores(terms or self.terms(query_text)) if unscored else None
        for i, score in chosen:
            d_rank: int | None
            if i in dense_info:
                d_rank, match = dense_info[i]
                d_rank = d_rank if d_rank < settings.candidates else None  # outside the dense ranker's candidates
            else:
                d_rank, match = None, DenseMatch(i, float(vectors[i] @ query_vector))
            b_rank, b_score = lexical_info.get(i, (None, 0.0))
            if b_rank is None and bm25_all is not None:
                b_score = float(bm25_all[i])
            hits.append(
                Hit(
                    self.passages[i],
                    i,
                    score,
                    match.cosine,
                    match.text_cosine,
                    match.anchor_cosine,
                    b_score,
                    d_rank,
                    b_rank,
                )
            )
        return hits

"""Knowledge gaps: the questions the bot answered badly, grouped by meaning, with what to edit.

Near-duplicates ("how do I fix my chain", "bike chain broke, fix?") are one gap asked twice, so
questions are embedded once, in one batch, and grouped greedily around running centroids; the group's
centroid is then searched in the live index to name the closest existing file, if any is close.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from bot.core.embedding import Embedder, Vectors
from bot.core.moderation.models import ClosestDoc, GapGroup
from bot.core.retrieval import SearchIndex
from bot.core.store import QuestionLog

MAX_TEXTS = 2000
"""Distinct questions grouped per call (most frequent first): bounds the encode and the grouping."""

_NOT_WORD = re.compile(r"[\W_]+")


@dataclass
class _Text:
    """One distinct question (after case and punctuation are ignored), with how it was asked."""

    display: str
    count: int = 0
    users: set[str] = field(default_factory=set)
    abstained: int = 0
    score_sum: float = 0.0
    last: datetime | None = None


@dataclass(frozen=True)
class GapSettings:
    low_below: float
    similarity: float = 0.7
    related_above: float = 0.31
    examples: int = 3


def is_gap(row: QuestionLog, low_below: float) -> bool:
    return row.abstained or row.top_score < low_below


def _key(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def _distinct(rows: Sequence[QuestionLog]) -> list[_Text]:
    texts: dict[str, _Text] = {}
    for row in rows:
        key = _key(row.question)
        if not key:
            continue
        item = texts.setdefault(key, _Text(display=row.question))
        item.count += 1
        item.users.add(row.user_id)
        item.abstained += int(row.abstained)
        item.score_sum += row.top_score
        if item.last is None or row.created_at >= item.last:
            item.last, item.display = row.created_at, row.question
    ordered = sorted(texts.values(), key=lambda t: (-t.count, -(t.last.timestamp() if t.last else 0.0)))
    return ordered[:MAX_TEXTS]


def _normalised(vector: Vectors) -> Vectors:
    norm = float(np.linalg.norm(vector))
    out: Vectors = (vector / norm).astype(np.float32) if norm > 0 else vector.astype(np.float32)
    return out


def cluster(vectors: Vectors, weights: Sequence[int], similarity: float) -> list[list[int]]:
    """Greedy grouping: each row joins the most similar group centroid at or above `similarity`,
    else starts a group (rows come most frequent first, so they seed groups); then groups whose
    centroids meet the threshold are merged, since early centroids move as members join."""
    groups: list[list[int]] = []
    sums: list[Vectors] = []
    for i, vector in enumerate(vectors):
        if sums:
            centroids = np.vstack([_normalised(s) for s in sums])
            sims = centroids @ vector
            best = int(np.argmax(sims))
            if float(sims[best]) >= similarity:
                groups[best].append(i)
                sums[best] = sums[best] + weights[i] * vector
                continue
        groups.append([i])
        sums.append(weights[i] * vector)
    merged = True
    while merged and len(groups) > 1:
        merged = False
        centroids = np.vstack([_normalised(s) for s in sums])
        sims = centroids @ centroids.T
        np.fill_diagonal(sims, -1.0)
        a, b = np.unravel_index(int(np.argmax(sims)), sims.shape)
        if float(sims[a, b]) >= similarity:
            first, second = (int(a), int(b)) if a < b else (int(b), int(a))
            groups[first].extend(groups.pop(second))
            sums[first] = sums[first] + sums.pop(second)
            merged = True
    return groups


def find_gaps(
    rows: Sequence[QuestionLog],
    embedder: Embedder,
    index: SearchIndex,
    settings: GapSettings,
    limit: int,
) -> list[GapGroup]:
    """Group the badly answered questions among `rows`, most asked first, at most `limit` groups."""
    texts = _distinct([r for r in rows if is_gap(r, settings.low_below)])
    if not texts or limit <= 0:
        return []
    vectors = embedder.encode([t.display for t in texts])
    weights = [t.count for t in texts]
    groups = [
        _summarise([texts[i] for i in g], vectors[g], index, settings)
        for g in cluster(vectors, weights, settings.similarity)
    ]
    groups.sort(key=lambda g: (-g.count, -g.last_asked.timestamp()))
    return groups[:limit]


def _summarise(members: list[_Text], vectors: Vectors, index: SearchIndex, settings: GapSettings) -> GapGroup:
    weights = np.asarray([m.count for m in members], dtype=np.float32)
    centroid = _normalised((vectors * weights[:, None]).sum(axis=0))
    central = vectors @ centroid
    order = sorted(range(len(members)), key=lambda i: (-float(central[i]), -members[i].count))
    representative = members[order[0]]
    by_count = sorted(range(len(members)), key=lambda i: (-members[i].count, -float(central[i])))
    examples = [representative.display] + [members[i].display for i in by_count if members[i] is not representative]
    count = sum(m.count for m in members)
    closest, suggestion = _closest(centroid, index, settings.related_above)
    return GapGroup(
        representative=representative.display,
        count=count,
        users=len(set().union(*(m.users for m in members))),
        abstained=sum(m.abstained for m in members),
        mean_score=round(sum(m.score_sum for m in members) / count, 4),
        last_asked=max(m.last for m in members if m.last is not None),
        examples=examples[: settings.examples],
        closest=closest,
        suggestion=suggestion,
    )


def _closest(centroid: Vectors, index: SearchIndex, related_above: float) -> tuple[ClosestDoc | None, str]:
    hits = index.dense(centroid, 1)
    if not hits:
        return None, "Nothing in the knowledge base is close: write a new FAQ entry or article."
    passage, score = index.passages[hits[0].row], hits[0].cosine
    if score < related_above:
        return None, (
            f"Nothing in the knowledge base is close (best: {passage.path}, similarity {score:.2f}): "
            "write a new FAQ entry or article."
        )
    doc = ClosestDoc(
        doc_id=passage.doc_id,
        kind=passage.kind,
        title=passage.title,
        path=passage.path,
        source=passage.source,
        score=round(score, 4),
    )
    return doc, f"Extend {passage.source} (similarity {score:.2f}), or add an FAQ entry for this question."

"""Grading by facts: a part is answered when each of its facts appears in the text a member sees.

Passages are graded the same way (their title, section and text), so passage hit@k asks "was a
passage that states the facts among the first k", not "did we retrieve the file we expected".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from bot.evaluation.items import Item, Part

_MARKUP = re.compile(r"[*_`#>]+")
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "‑": "-", "–": "-", "—": "-"})


def normalise(text: str) -> str:
    """Case, quotes, dashes, markdown and spacing never decide whether a fact is there."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    return _SPACE.sub(" ", _MARKUP.sub(" ", text)).strip()


def has_fact(fact: Sequence[str], text: str) -> bool:
    return any(normalise(alt) in text for alt in fact)


def answers_part(part: Part, text: str) -> bool:
    """`text` must already be normalised."""
    return all(has_fact(fact, text) for fact in part.facts)


@dataclass(frozen=True)
class Graded:
    """One item's outcome: where its facts first appear among the passages, and in the answer."""

    item: Item
    declined: bool
    passage_rank: int | None  # 1-based rank by which every part has a passage stating it
    parts_in_answer: int  # parts whose facts all appear in the answer text

    @property
    def answer_hit(self) -> bool:
        return not self.item.decline and not self.declined and self.parts_in_answer == len(self.item.parts)


def grade(item: Item, declined: bool, answer_text: str, passage_texts: Sequence[str]) -> Graded:
    passages = [normalise(p) for p in passage_texts]
    answer = normalise(answer_text)
    rank: int | None = None
    if item.parts:
        ranks = [next((n + 1 for n, p in enumerate(passages) if answers_part(part, p)), None) for part in item.parts]
        rank = None if None in ranks else max(r for r in ranks if r is not None)
    in_answer = 0 if declined else sum(answers_part(part, answer) for part in item.parts)
    return Graded(item, declined, rank, in_answer)


@dataclass(frozen=True)
class Metrics:
    answerable: int
    declines: int
    near_misses: int
    hit1: float
    hit3: float
    mrr5: float
    fact_hit: float
    decline_precision: float
    decline_recall: float
    near_recall: float
    far_recall: float
    false_declines: int

    def row(self) -> dict[str, float | int]:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in self.__dict__.items()}


def metrics(graded: Sequence[Graded]) -> Metrics:
    answerable = [g for g in graded if not g.item.decline]
    declines = [g for g in graded if g.item.decline]
    near = [g for g in declines if g.item.near_miss]
    far = [g for g in declines if not g.item.near_miss]
    declined = [g for g in graded if g.declined]
    n = max(len(answerable), 1)

    def ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    return Metrics(
        answerable=len(answerable),
        declines=len(declines),
        near_misses=len(near),
        hit1=ratio(sum(g.passage_rank == 1 for g in answerable), n),
        hit3=ratio(sum(g.passage_rank is not None and g.passage_rank <= 3 for g in answerable), n),
        mrr5=sum(1 / g.passage_rank for g in answerable if g.passage_rank and g.passage_rank <= 5) / n,
        fact_hit=ratio(sum(g.answer_hit for g in answerable), n),
        decline_precision=ratio(sum(g.item.decline for g in declined), len(declined)) if declined else 1.0,
        decline_recall=ratio(sum(g.declined for g in declines), len(declines)),
        near_recall=ratio(sum(g.declined for g in near), len(near)),
        far_recall=ratio(sum(g.declined for g in far), len(far)),
        false_declines=sum(g.declined for g in answerable),
    )

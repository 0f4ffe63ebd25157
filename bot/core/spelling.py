"""Typo repair for retrieval: "wat libaries shud i lern frist" should find the libraries entry.

BM25 never matches a misspelt word, and the small embedder splits it into unrelated word pieces. A
word is repaired only when neither the knowledge base nor the embedder's own vocabulary knows it,
and only to a word the knowledge base uses, at most one edit away (two for long words). Slang and
names the knowledge base never uses are left alone, and so are inflections of known words ("flips",
"nukes", "ghosted"): the vocabulary lists base forms, and "coin-flips" repaired to "coin-slips" is a
wrong repair, which is worse than none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

_WORD = re.compile(r"[A-Za-z]+")
MIN_LENGTH = 4
LONG_WORD = 8
# Endings that make an inflected form of a known word, with what to put back ("ghosted" -> "ghost",
# "loved" -> "love", "tries" -> "try").
_ENDINGS = (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"))
# Shorthand and names members use that sit one edit from an unrelated word of the knowledge base:
# "do i need calc for ml" had become "do i need call for ml" and got the LLM-app path.
NOT_TYPOS = frozenset(
    {"calc", "prob", "probs", "stat", "linalg", "bigtech", "ollama", "vllm", "rocm", "mlx", "sagemaker"}
)


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


class Speller:
    def __init__(self, corpus_words: Counter[str], dictionary: Iterable[str]) -> None:
        self.frequency = corpus_words
        self.known = set(corpus_words) | {w.lower() for w in dictionary}
        self._targets = [w for w in corpus_words if len(w) >= MIN_LENGTH - 1]
        self._cache: dict[str, str | None] = {}

    def is_known(self, lower: str) -> bool:
        if lower in self.known:
            return True
        for ending, base in _ENDINGS:
            stem = lower[: -len(ending)] + base
            if lower.endswith(ending) and len(stem) >= MIN_LENGTH - 1 and stem in self.known:
                return True
        return False

    def repair(self, word: str) -> str | None:
        """The knowledge base's word this one is a typo of, or None."""
        lower = word.lower()
        if len(lower) < MIN_LENGTH or lower in NOT_TYPOS or self.is_known(lower):
            return None
        if lower not in self._cache:
            limit = 2 if len(lower) >= LONG_WORD else 1
            found = process.extract(
                lower, self._targets, scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=8
            )
            best = min(found, key=lambda m: (m[1], -self.frequency[m[0]], m[0]), default=None)
            self._cache[lower] = best[0] if best else None
        return self._cache[lower]

    def correct(self, text: str) -> str:
        """The text with repaired words; unchanged when nothing needed repair."""

        def fix(match: re.Match[str]) -> str:
            repaired = self.repair(match.group(0))
            return repaired if repaired else match.group(0)

        return _WORD.sub(fix, text)

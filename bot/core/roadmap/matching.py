"""Finding what a member meant: suggestions for unknown ids, and step search for autocomplete."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence


def normalise(text: str) -> str:
    """Compare loosely: case, accents' composition and surrounding blanks do not matter."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def suggest(
    wanted: str, titles: Mapping[str, str], extra_ids: Mapping[str, str] | None = None, n: int = 3
) -> list[str]:
    """Closest ids to `wanted`, matching ids, former ids (`extra_ids`: alias -> id) and titles."""
    query = normalise(wanted)
    if not query:
        return list(titles)[:n]
    by_key: dict[str, str] = {}
    for step_id, title in titles.items():
        by_key.setdefault(step_id, step_id)
        by_key.setdefault(normalise(title), step_id)
    for alias, step_id in (extra_ids or {}).items():
        by_key.setdefault(alias, step_id)
    found: list[str] = []
    if len(query) >= 3:
        found.extend(i for key, i in by_key.items() if query in key)
    found.extend(by_key[k] for k in difflib.get_close_matches(query, list(by_key), n=n * 2, cutoff=0.5))
    # A typo in one word ("pyhton") should still find "python-programming".
    by_word: dict[str, str] = {}
    for key, target in by_key.items():
        for word in re.split(r"[\s\-_]+", key):
            if len(word) >= 3:
                by_word.setdefault(word, target)
    for word in query.replace("-", " ").split():
        found.extend(by_word[w] for w in difflib.get_close_matches(word, list(by_word), n=n, cutoff=0.75))
    return list(dict.fromkeys(found))[:n]


def by_title(wanted: str, titles: Mapping[str, str]) -> str | None:
    """The id whose title is `wanted` (loosely), when exactly one is."""
    query = normalise(wanted)
    hits = [i for i, title in titles.items() if normalise(title) == query]
    return hits[0] if len(hits) == 1 else None


def match_rank(query: str, step_id: str, title: str) -> int | None:
    """How well `query` names a step: 0 exact, 1 prefix, 2 substring, 3 fuzzy; None when it does not."""
    q = normalise(query)
    if not q:
        return 0
    name = normalise(title)
    if q in (step_id, name):
        return 0
    words = [step_id, name, *step_id.split("-"), *name.split()]
    if any(w.startswith(q) for w in words):
        return 1
    if q in step_id or q in name or q.replace(" ", "-") in step_id:
        return 2
    best = max(difflib.SequenceMatcher(None, q, candidate).ratio() for candidate in words)
    return 3 if best >= 0.6 else None


def rank_candidates(query: str, candidates: Sequence[tuple[str, str, int]]) -> list[tuple[int, int, str]]:
    """(group, rank, id) for each (id, title, group) candidate that matches, best first."""
    scored: list[tuple[int, int, int, str]] = []
    for position, (step_id, title, group) in enumerate(candidates):
        rank = match_rank(query, step_id, title)
        if rank is not None:
            scored.append((group, rank, position, step_id))
    scored.sort()
    return [(group, rank, step_id) for group, rank, _, step_id in scored]

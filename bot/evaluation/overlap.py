"""How many paraphrases really avoid the words of the passages that answer them.

A content word is a stemmed, non-stop word used by fewer than a quarter of the passages: "model",
"learn" or "data" appear nearly everywhere in this knowledge base and say nothing about which passage
answers. Reported twice: against at least one passage that states the item's facts (the passage a
word-matching search would need), and against every such passage (the strict reading).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.retrieval import SearchIndex
from bot.evaluation.grading import answers_part, normalise
from bot.evaluation.items import Item

COMMON_SHARE = 0.25


def paraphrase_overlap(index: SearchIndex, items: Sequence[Item]) -> str:
    passages = index.passages
    common = {t for t, df in index.document_frequency.items() if df >= COMMON_SHARE * len(passages)}
    shown = [f"{p.label}\n{p.text}" for p in passages]
    normalised = [normalise(text) for text in shown]
    words = [set(index.terms(text).terms) - common for text in shown]
    paraphrases = [i for i in items if i.category == "paraphrase"]
    some = every = 0
    for item in paraphrases:
        asked = set(index.terms(item.question).terms) - common
        answering = [[n for n in range(len(passages)) if answers_part(part, normalised[n])] for part in item.parts]
        some += all(any(not (words[n] & asked) for n in found) for found in answering)
        every += all(found and all(not (words[n] & asked) for n in found) for found in answering)
    return (
        f"{some} of {len(paraphrases)} share no content word with a passage that states their facts "
        f"({every} with none of those passages)"
    )

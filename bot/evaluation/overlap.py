"""How many paraphrases really avoid the words of the passage that answers them.

A content word is a stemmed, non-stop word used by fewer than one passage in ten: "model" or
"learn" appear nearly everywhere in this knowledge base and tell nothing about which passage answers.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.retrieval import SearchIndex
from bot.evaluation.grading import answers_part, normalise
from bot.evaluation.items import Item

COMMON_SHARE = 0.1


def paraphrase_overlap(index: SearchIndex, items: Sequence[Item]) -> str:
    passages = index.passages
    common = {t for t, df in index.document_frequency.items() if df >= COMMON_SHARE * len(passages)}
    shown = [f"{p.label}\n{p.text}" for p in passages]
    normalised = [normalise(text) for text in shown]
    words = [set(index.terms(text).terms) - common for text in shown]
    paraphrases = [i for i in items if i.category == "paraphrase"]
    clean = 0
    for item in paraphrases:
        asked = set(index.terms(item.question).terms) - common
        if all(
            any(answers_part(part, normalised[n]) and not (words[n] & asked) for n in range(len(passages)))
            for part in item.parts
        ):
            clean += 1
    return f"{clean} of {len(paraphrases)}"

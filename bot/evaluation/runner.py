"""Run the evaluation set through the advisor's real answer path and grade what a member would see."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.advisor import Advisor
from bot.core.answers import Answer, PassageOut
from bot.evaluation.grading import Graded, grade
from bot.evaluation.items import Item

DEPTH = 5  # MRR@5 needs the first five passages


def passage_text(p: PassageOut) -> str:
    """What grading sees of a passage: its label and its text, as a citation would show them."""
    return f"{p.title} › {p.section}\n{p.text}" if p.section else f"{p.title}\n{p.text}"


def answer_text(answer: Answer) -> str:
    """The answer body a member reads (without the source list, which only names titles)."""
    return answer.body


def evaluate(advisor: Advisor, items: Sequence[Item]) -> list[tuple[Graded, Answer]]:
    answers = advisor.ask_many([i.question for i in items], k=DEPTH)
    return [
        (grade(item, a.abstained, answer_text(a), [passage_text(p) for p in a.passages[:DEPTH]]), a)
        for item, a in zip(items, answers, strict=True)
    ]

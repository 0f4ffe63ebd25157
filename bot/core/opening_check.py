"""Article sections that show members little of themselves.

A member sees a section's opening (`compose.opening`). When a long section's list cannot be finished
(its items neither fit whole nor have bold labels to name them by, so it is dropped when cut) or its
first block is a lead-in, the member sees a preamble of a few hundred characters and none of the
answer. Writers cannot see this in the file, so `build-index --check` points at such sections.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.compose import ARTICLE_CHARS, opening
from bot.core.knowledge.models import KnowledgeBase

LONG = 950  # a section this long is cut when shown (~900), by more than a last sentence
SHORT = 650  # ...and showing less than this of it means a block was dropped


@dataclass(frozen=True)
class ShortOpening:
    path: str
    line: int
    section: str
    shown: int
    total: int

    def __str__(self) -> str:
        return (
            f'{self.path}:{self.line}: section "{self.section}" shows members only {self.shown} of its '
            f"{self.total} characters: put the answer first, and give long list items a bold label or keep them short"
        )


def short_openings(kb: KnowledgeBase) -> list[ShortOpening]:
    found: list[ShortOpening] = []
    for article in kb.articles:
        for section in article.sections:
            total = len(section.text.strip())
            if total <= LONG:
                continue
            shown = opening(section.text, ARTICLE_CHARS)
            if len(shown) < SHORT or shown.rstrip().endswith(":"):
                found.append(ShortOpening(article.path, section.line, section.title, len(shown), total))
    return found

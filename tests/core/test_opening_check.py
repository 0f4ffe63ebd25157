"""Sections whose shown opening is a preamble are pointed out to the writer; the shipped ones have none."""

from __future__ import annotations

from pathlib import Path

from kb_fixtures import FRAGMENT_LIST

from bot.core.knowledge.loader import load_knowledge
from bot.core.opening_check import short_openings

REPO = Path(__file__).resolve().parents[2]


def test_a_long_section_whose_fragment_list_is_dropped_is_pointed_out(small_kb: Path) -> None:
    article = small_kb / "articles" / "baking-bread.md"
    article.write_text(article.read_text(encoding="utf-8") + FRAGMENT_LIST + "\n", encoding="utf-8")
    found = short_openings(load_knowledge(small_kb))
    assert [(f.path, f.section) for f in found] == [("articles/baking-bread.md", "Topics for the theory round")]
    assert found[0].shown < 650 < found[0].total
    assert str(found[0]).startswith("articles/baking-bread.md:") and "bold label" in str(found[0])


def test_the_shipped_articles_show_members_their_answers() -> None:
    assert short_openings(load_knowledge(REPO / "knowledge")) == []

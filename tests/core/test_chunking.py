"""Passages follow heading sections; long ones are split into overlapping windows that fit the model."""

from __future__ import annotations

import itertools
from pathlib import Path

from bot.core.chunking import ChunkerSettings, chunk_knowledge, split_sentences
from bot.core.knowledge.loader import load_knowledge


def words(text: str) -> int:
    return len(text.split())


def test_one_passage_per_section_and_faq(small_kb: Path) -> None:
    kb = load_knowledge(small_kb)
    passages = chunk_knowledge(kb, words, ChunkerSettings(max_tokens=500, overlap_tokens=20))
    sections = sum(len(a.sections) for a in kb.articles)
    assert len(passages) == sections + len(kb.faq)
    starter = next(p for p in passages if p.section == "Keeping a starter")
    assert starter.source == "articles/baking-bread.md#keeping-a-starter"
    assert starter.label == "Baking sourdough bread › Keeping a starter"
    assert starter.embed_text.startswith("Baking sourdough bread. Keeping a starter.")
    flour = next(p for p in passages if p.doc_id == "what-flour")
    assert flour.kind == "faq" and flour.source == "faq/what-flour.md" and flour.section is None


def test_long_section_is_split_with_overlap(small_kb: Path) -> None:
    sentences = [f"Sentence number {n} talks about dough hydration and gluten." for n in range(60)]
    article = small_kb / "articles" / "long-read.md"
    article.write_text("---\nid: long-read\ntitle: Long read\n---\n## Everything\n" + " ".join(sentences) + "\n")
    kb = load_knowledge(small_kb)
    settings = ChunkerSettings(max_tokens=100, overlap_tokens=20)
    parts = [p for p in chunk_knowledge(kb, words, settings) if p.doc_id == "long-read"]
    assert len(parts) > 4
    for part in parts:
        assert words(part.embed_text) <= settings.max_tokens
    # Every sentence survives, and neighbouring windows share their boundary sentences.
    covered = {s for p in parts for s in p.sentences}
    assert covered == set(sentences)
    for left, right in itertools.pairwise(parts):
        assert left.sentences[-1] in right.sentences
    assert len({p.id for p in parts}) == len(parts)


def test_sentence_splitting_handles_lists_and_markup() -> None:
    text = "Learn **Python** first. Then SQL!\n\n- NumPy arrays\n- pandas frames\n\nDone? Yes."
    assert split_sentences(text) == [
        "Learn Python first.",
        "Then SQL!",
        "NumPy arrays",
        "pandas frames",
        "Done?",
        "Yes.",
    ]

"""Passages follow heading sections; long ones are embedded as windows of whole blocks that fit the model."""

from __future__ import annotations

from pathlib import Path

from bot.core.chunking import ChunkerSettings, chunk_knowledge, split_blocks, split_sentences
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
    assert starter.embed_text.startswith("Baking sourdough bread › Keeping a starter.")
    assert starter.windows == [starter.text] and starter.window_texts == []
    flour = next(p for p in passages if p.doc_id == "what-flour")
    assert flour.kind == "faq" and flour.source == "faq/what-flour.md" and flour.section is None
    assert flour.context == "Which flour should I use for sourdough?"


def test_question_anchors_and_context_are_indexed_with_the_text(small_kb: Path) -> None:
    kb = load_knowledge(small_kb)
    passages = {p.id: p for p in chunk_knowledge(kb, words, ChunkerSettings())}
    flat = passages["bicycle-repair#fixing-a-flat-tyre"]
    assert flat.anchors == [
        "my tyre keeps going soft overnight",
        "how do I patch an inner tube",
        "what do I do about a puncture",
    ]
    assert "my tyre keeps going soft overnight" in flat.lexical_text and "Basic bicycle repair" in flat.lexical_text
    assert passages["tyre-pressure"].anchors[0] == "what psi should my bike tyres be"
    bare = {p.id: p for p in chunk_knowledge(kb, words, ChunkerSettings(anchors=False, context=False))}
    assert bare["bicycle-repair#fixing-a-flat-tyre"].anchors == []
    assert bare["bicycle-repair#fixing-a-flat-tyre"].embed_text == flat.text


def test_long_section_is_one_passage_embedded_in_windows(small_kb: Path) -> None:
    paragraphs = [f"Paragraph {n} talks about dough hydration and gluten at some length." for n in range(30)]
    article = small_kb / "articles" / "long-read.md"
    article.write_text("---\nid: long-read\ntitle: Long read\n---\n## Everything\n" + "\n\n".join(paragraphs) + "\n")
    kb = load_knowledge(small_kb)
    settings = ChunkerSettings(max_tokens=100, overlap_tokens=20)
    [part] = [p for p in chunk_knowledge(kb, words, settings) if p.doc_id == "long-read"]
    assert part.text.startswith("Paragraph 0") and part.text.endswith("some length.")
    assert len(part.windows) > 4
    for window in [part.embed_text, *part.window_texts]:
        assert words(window) <= settings.max_tokens
    # Every paragraph is in a window, whole; neighbouring windows share a short boundary paragraph.
    assert {p for w in part.windows for p in w.split("\n\n")} == set(paragraphs)
    assert part.windows[0].split("\n\n")[-1] == part.windows[1].split("\n\n")[0]


def test_a_lead_in_stays_with_its_list() -> None:
    text = "Intro.\n\nSelf-teaching works best when you:\n\n- keep a schedule\n- write code\n\n- ask for help\n\nDone."
    assert split_blocks(text) == [
        "Intro.",
        "Self-teaching works best when you:\n- keep a schedule\n- write code\n- ask for help",
        "Done.",
    ]


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

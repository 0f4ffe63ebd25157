"""The discord-free helpers that keep every message within Discord's limits, tested directly."""

from __future__ import annotations

import math

import pytest
from discord import app_commands

from bot.core.answers import Answer, Citation
from bot.core.errors import NotFound
from bot.core.roadmap.errors import NoGoal, StepOnOtherRoadmap
from bot.core.roadmap.schemas import RoadmapRef
from bot.discord_app import limits
from bot.discord_app.cogs.ask import strip_mention
from bot.discord_app.cooldowns import UserCooldowns
from bot.discord_app.embeds import answer_embed, help_embed, trim_answer
from bot.discord_app.failures import UNEXPECTED, describe

SENTENCE = "Feed the starter every day with equal weights of flour and water."


def cite(n: int, label: str = "Baking sourdough bread › Keeping a starter") -> Citation:
    return Citation(number=n, doc_id=f"doc{n}", label=label, source=f"articles/doc{n}.md#section")


def test_clip_cuts_at_a_word_and_marks_it() -> None:
    assert limits.clip("short", 10) == "short"
    clipped = limits.clip("one two three four five six seven", 16)
    assert clipped == "one two three…" and len(clipped) <= 16
    assert len(limits.clip("x" * 500, 100)) == 100
    assert limits.clip("anything", 0) == ""


def test_huge_answer_is_trimmed_at_a_sentence_boundary() -> None:
    body = " ".join([SENTENCE] * 200)  # ~13 000 characters
    kept, trimmed = limits.trim_sentences(body, 4096)
    assert trimmed and len(kept) <= 4096 and kept.endswith("water.")
    assert body.startswith(kept)
    # One sentence longer than the limit: cut at a word, marked.
    kept, trimmed = limits.trim_sentences("word " * 2000, 100)
    assert trimmed and len(kept) <= 100 and kept.endswith("…")


def test_trim_keeps_citation_markers_with_their_sentence() -> None:
    body = "First point. Second point. [1] Third point from elsewhere. [2]"
    kept, trimmed = limits.trim_sentences(body, 35)
    assert trimmed and kept == "First point. Second point. [1]"


def test_trimmed_answer_points_to_the_source_of_what_was_cut() -> None:
    body = " ".join([SENTENCE] * 30) + " [1] " + " ".join(["Shape the loaf gently."] * 100) + " [2]"
    citations = [cite(1), cite(2, "Baking sourdough bread › Shaping and proofing")]
    text = trim_answer(body, citations, 2500)
    assert len(text) <= 2500
    assert text.endswith(
        "… Read the rest in [2] Baking sourdough bread › Shaping and proofing (`articles/doc2.md#section`)."
    )
    assert "Shape the loaf gently. \n" not in text and text.split("\n\n")[0].endswith(".")


def test_answer_embed_fits_every_limit() -> None:
    answer = Answer(
        question="q " * 400,
        abstained=False,
        body=" ".join([SENTENCE] * 300) + " [1]",
        passages=[],
        citations=[cite(n, "A very long article title › " + "section " * 30) for n in range(1, 30)],
        note="n" * 3000,
    )
    embed = answer_embed(answer)
    assert len(embed) <= limits.EMBED_TOTAL
    assert embed.title is not None and len(embed.title) <= limits.EMBED_TITLE
    assert embed.description is not None and len(embed.description) <= limits.EMBED_DESCRIPTION
    assert "Read the rest in [1]" in embed.description
    assert len(embed.fields) == 1 and len(embed.fields[0].value or "") <= limits.FIELD_VALUE
    assert (embed.fields[0].value or "").splitlines()[-1].startswith("… and ")
    assert embed.footer.text is not None and len(embed.footer.text) <= limits.FOOTER


def test_autocomplete_choices_are_capped_and_clipped() -> None:
    pairs = [("N" * 300, f"id-{n}") for n in range(40)]
    fitted = limits.choices(pairs)
    assert len(fitted) == limits.CHOICES
    assert all(len(name) <= 100 and len(value) <= 100 for name, value in fitted)
    # Too-long values are dropped (a clipped id would select something else), duplicates too.
    assert limits.choices([("a", "x" * 101), ("b", "ok"), ("c", "ok"), ("line\nbreak", "two")]) == [
        ("b", "ok"),
        ("line break", "two"),
    ]


def test_fit_lines_counts_what_was_left_out() -> None:
    lines = [f"line {n:03d}" for n in range(100)]
    text = limits.fit_lines(lines, 100)
    assert len(text) <= 100 and text.splitlines()[-1] == f"… and {100 - len(text.splitlines()) + 1} more"
    assert limits.fit_lines(["a", "b"], 100) == "a\nb"
    assert len(limits.fit_lines(["x" * 5000, "y"], 1024)) <= 1024


def test_help_embed_splits_commands_over_fields() -> None:
    commands = [(f"/cmd{n} <option>", "does a thing " * 10) for n in range(60)]
    embed = help_embed(commands)
    assert len(embed) <= limits.EMBED_TOTAL and len(embed.fields) <= limits.EMBED_FIELDS
    assert all(len(f.value or "") <= limits.FIELD_VALUE for f in embed.fields)


def test_failures_map_to_short_messages() -> None:
    assert describe(NotFound("step", "tols", ["tools"])) == ("Unknown step 'tols'. Did you mean: tools?", False)
    no_goal = describe(NoGoal([RoadmapRef(id="a", title="A"), RoadmapRef(id="b", title="B")]))[0]
    assert "Choose one with `/roadmap goal`" in no_goal  # Discord's own command, added by the adapter
    other = describe(StepOnOtherRoadmap("sql-joins", "data-basics", "ml-basics"))[0]
    assert other.endswith("Switch to it with `/roadmap goal data-basics`.")
    cooldown = app_commands.CommandOnCooldown(app_commands.Cooldown(1, 30), 12.2)
    assert describe(cooldown) == ("You're asking quickly — try again in 13 s.", False)
    wrapped = app_commands.CommandInvokeError.__new__(app_commands.CommandInvokeError)
    wrapped.original = ValueError("boom")
    assert describe(wrapped) == (UNEXPECTED, True)


def test_cooldown_allows_rate_then_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    cooldowns = UserCooldowns(2, 30.0)
    assert cooldowns.hit(1)[1] is None and cooldowns.hit(1)[1] is None
    retry = cooldowns.hit(1)[1]
    assert retry is not None and math.ceil(retry) == 30
    assert cooldowns.hit(2)[1] is None  # per member
    with pytest.raises(app_commands.CommandOnCooldown):
        cooldowns.check(1)


def test_mentions_are_stripped_from_the_question() -> None:
    assert strip_mention("<@42> where do I start?", 42) == "where do I start?"
    assert strip_mention("hey <@!42>, where?", 42) == "hey , where?"  # whitespace collapsed
    assert strip_mention("<@43> hi", 42) == "<@43> hi"

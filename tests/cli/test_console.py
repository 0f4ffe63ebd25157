"""The console advisor answers questions and roadmap commands for the local user, through real services,
as a terminal program: rendered text (no Discord markup), nothing cut, its own commands in every hint."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from kb_fixtures import SMALL_DECISION

from bot.console import run_console
from bot.settings import Settings
from bot.wiring import make_services

TARGET = (date.today() + timedelta(days=700)).isoformat()


@pytest.fixture
def settings(built_small: tuple[Path, Path], tmp_path: Path) -> Settings:
    knowledge, index = built_small
    return Settings(
        knowledge_dir=knowledge,
        index_dir=index,
        database_url=f"sqlite:///{tmp_path / 'c.db'}",
        decision_file=SMALL_DECISION,
    )


def converse(settings: Settings, embedder, lines: list[str], user: str = "carol") -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    services = make_services(settings, embedder)
    try:
        code = run_console(
            settings, user=user, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out, services=services
        )
    finally:
        services.close()
    assert code == 0
    return out.getvalue()


def no_discord_markup(text: str) -> None:
    assert "**" not in text and "__" not in text and "`" not in text
    assert "… and" not in text and "more lines" not in text


def test_questions_and_roadmap_commands(settings: Settings, embedder) -> None:  # type: ignore[no-untyped-def]
    text = converse(
        settings,
        embedder,
        [
            "which flour for sourdough?",
            "what's the weather tomorrow?",
            "help",
            "/next",
            "/done first-loaf",
            "/done tools",
            "/next",
            "/progress",
            "/done telescope-thing",
            "/frobnicate",
            "",
            "/quit",
            "this line is never read",
        ],
    )
    assert "strong white bread flour" in text and "faq/what-flour.md" in text
    assert "I only know about bread, bicycles and stargazing" in text  # the weather: a scope reply
    assert "/goal ROADMAP" in text  # the help table
    # No goal yet: the member is told so, in the console's own words, not shown an empty roadmap.
    assert "You have not chosen a roadmap yet" in text and "Choose one with /goal ROADMAP" in text
    # Marking a step makes the only roadmap the goal; open prerequisites name the console's option.
    assert "home-skills is now your goal" in text
    assert "/done first-loaf --with-prerequisites" in text
    assert "Gather basic tools" in text and "Grow a sourdough starter" in text
    assert re.search(r"\b2/4 steps\b", text) and "50%" in text
    assert "Sorry: Unknown step 'telescope-thing'" in text
    assert "Unknown command /frobnicate" in text
    assert "never read" not in text
    assert text.rstrip().endswith("Bye!")
    no_discord_markup(text)


def test_discord_names_and_other_adapters_commands_are_understood(settings: Settings, embedder) -> None:  # type: ignore[no-untyped-def]
    text = converse(
        settings,
        embedder,
        [
            f"/roadmap goal home-skills {TARGET}",
            "/ask how much air should my bike tyres have?",
            "/roadmap next",
            "/kb reload",
            "/privacy export",
            "/faq",
            "/faq what-flour",
            "/goal home-skills",
        ],
        user="dan",
    )
    assert f"Goal set: Home skills (home-skills) · target {TARGET}" in text
    assert "printed on the side of the tyre" in text
    assert "Next steps: Home skills" in text
    assert "roadmap-bot kb reload" in text
    assert "roadmap-bot export --user dan" in text
    assert "Which flour should I use for sourdough?" in text and "strong white bread flour" in text
    # Choosing the same goal again keeps its target date: the same semantics as on Discord and the CLI.
    assert text.count(f"target {TARGET}") == 2 and "Goal updated" in text
    no_discord_markup(text)


def test_show_is_never_truncated(settings: Settings, embedder) -> None:  # type: ignore[no-untyped-def]
    text = converse(settings, embedder, ["/start tools", "/show"], user="eve")
    for step in ("tools", "starter", "first-loaf", "stargazing"):
        assert step in text
    assert "done · " in text  # the legend, last line of /show
    no_discord_markup(text)


def test_an_answer_names_the_step_it_belongs_to_for_a_member_with_a_goal(settings: Settings, embedder) -> None:  # type: ignore[no-untyped-def]
    question = "How do I proof and shape a sourdough loaf?"
    text = converse(settings, embedder, [question, "/goal home-skills", "/done starter", question, "/quit"])
    assert text.count("On your roadmap") == 1  # not before the goal was chosen
    flat = " ".join(text.split())
    assert "On your roadmap: step “Bake a first loaf” (/show lists them all)." in flat
    assert "This builds on Gather basic tools, which you have not marked done (/done STEP)." in flat


def test_a_bold_heading_line_keeps_its_own_line_in_the_terminal() -> None:
    from rich.console import Console

    from bot.console.render import answer
    from bot.core.answers import Answer

    body = "Use Python first. [1]\n\n**See also: R for statistics**\nR is built for statistics. [2]"
    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(answer(Answer(question="q", abstained=False, body=body, passages=[])))
    lines = [line.strip() for line in console.file.getvalue().splitlines() if line.strip()]  # type: ignore[attr-defined]
    assert lines == ["Use Python first. [1]", "See also: R for statistics", "R is built for statistics. [2]"]

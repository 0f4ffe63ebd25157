"""The console advisor answers questions and roadmap commands for the local user, through real services."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from kb_fixtures import SMALL_DECISION

from bot.console import GOAL_COMMAND, run_console
from bot.settings import Settings
from bot.wiring import make_services


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
    services = make_services(settings, embedder, goal_command=GOAL_COMMAND)
    assert (
        run_console(settings, user=user, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out, services=services) == 0
    )
    return out.getvalue()


def test_questions_and_roadmap_commands(settings: Settings, embedder) -> None:  # type: ignore[no-untyped-def]
    text = converse(
        settings,
        embedder,
        [
            "which flour for sourdough?",
            "what's the weather tomorrow?",
            "/help",
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
    assert "/goal ROADMAP" in text
    # The only roadmap is used without a goal; the first next steps have no prerequisites.
    assert "Gather basic tools" in text and "Grow a sourdough starter" in text
    assert "prerequisites are still open" in text and "/done first-loaf --with-prerequisites" in text
    assert "2/4" in text or "50%" in text
    assert "Sorry: Unknown step 'telescope-thing'" in text
    assert "Unknown command /frobnicate" in text
    assert "never read" not in text
    assert text.rstrip().endswith("Bye!")


def test_console_user_is_separate_from_others(settings: Settings, embedder) -> None:  # type: ignore[no-untyped-def]
    converse(settings, embedder, ["/done tools"], user="dave")
    text = converse(settings, embedder, ["/progress"], user="erin")
    assert "0/4" in text

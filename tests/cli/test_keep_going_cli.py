"""Today, streak, notes, review and the card on the command line and in the console: plain text, the
adapter's own commands in hints, the same PNG written to a file; bad input is one line, never a trace."""

from __future__ import annotations

import io
import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from kb_fixtures import SMALL_DECISION
from PIL import Image

from bot.cli import main
from bot.console import run_console
from bot.settings import Settings
from bot.wiring import make_services

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "roadmaps"
ARTICLE = "---\nid: fixture-article\ntitle: Fixture article\n---\n## Python\nPython is a programming language.\n"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    """run(*argv) -> (exit code, stdout, stderr), against the ml-basics fixture roadmap."""
    knowledge = tmp_path / "knowledge"
    (knowledge / "roadmaps").mkdir(parents=True)
    shutil.copy(FIXTURES / "ml-basics.yaml", knowledge / "roadmaps" / "ml-basics.yaml")
    (knowledge / "articles").mkdir()
    (knowledge / "articles" / "fixture-article.md").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'bot.db'}")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge))
    monkeypatch.setenv("LOG_LEVEL", "WARNING")

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_today_streak_note_review_and_card_on_the_command_line(cli: Any, tmp_path: Path) -> None:
    target = (date.today() + timedelta(days=70)).isoformat()
    assert cli("goal", "set", "ml-basics", "--user", "u1", "--target-date", target)[0] == 0
    code, out, _ = cli("roadmap", "today", "--user", "u1")
    assert code == 0 and out.startswith("Today: ") and "on Python basics (python-basics)" in out and "**" not in out
    code, out, _ = cli("roadmap", "today", "--user", "u1", "--json")
    data = json.loads(out)
    assert set(data) == {"roadmap", "complete", "step", "item", "minutes", "hours_per_week"}
    assert (data["step"], data["complete"]) == ("python-basics", False) and data["minutes"] >= 15

    code, out, _ = cli("roadmap", "note", "python-basics", "--user", "u1", "--text", "docs.python.org\nand exercises")
    assert code == 0 and out.startswith("Saved your note on Python basics (python-basics):")
    code, out, _ = cli("roadmap", "next", "--user", "u1")
    assert "Your note: docs.python.org and exercises" in out
    code, out, _ = cli("roadmap", "note", "python-basics", "--user", "u1")
    assert out.splitlines()[1:] == ["docs.python.org", "and exercises"]

    code, out, _ = cli("roadmap", "review", "python-basics", "--user", "u1", "--days", "4")
    assert code == 0 and "to do -> done, to review." in out and "A review reminder is set for" in out
    code, out, _ = cli("roadmap", "show", "--user", "u1")
    assert "[r] python-basics Python basics" in out

    code, out, _ = cli("roadmap", "streak", "--user", "u1")
    assert code == 0 and out.startswith("Streak: 1 day (best 1 day) · active today") and len(out.splitlines()) == 10
    streak = json.loads(cli("roadmap", "streak", "--user", "u1", "--json")[1])
    assert (streak["current"], streak["best"], streak["active_today"]) == (1, 1, True)
    # The streak's day is UTC's (and the test may cross midnight): within a day of UTC's today.
    assert streak["days"][-1]["events"] == 2
    assert abs((date.fromisoformat(streak["days"][-1]["day"]) - datetime.now(UTC).date()).days) <= 1

    out_file = tmp_path / "cards" / "me.png"
    out_file.parent.mkdir()
    code, out, _ = cli("roadmap", "card", "--user", "u1", "--out", str(out_file))
    assert code == 0 and out.strip() == f"Wrote your progress card to {out_file}."
    assert Image.open(out_file).size == (1200, 630) and [p.name for p in out_file.parent.iterdir()] == ["me.png"]

    export = json.loads(cli("export", "--user", "u1")[1])
    assert export["notes"][0]["text"] == "docs.python.org\nand exercises" and export["reminders"][0]["kind"] == "review"
    code, out, _ = cli("forget", "--user", "u1")
    assert code == 0 and "Also 1 step note, 1 scheduled reminder, 1 activity day and 0 opt-ins." in out
    assert json.loads(cli("export", "--user", "u1")[1])["notes"] == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["roadmap", "card", "--user", "u1", "--out", "card.txt"], "is not a .png file name"),
        (["roadmap", "card", "--user", "u1", "--out", "no/such/folder/card.png"], "does not exist"),
        (["roadmap", "note", "nope", "--user", "u1", "--text", "x"], "Unknown step 'nope'"),
        (["roadmap", "note", "python-basics", "--user", "u1", "--text", "y" * 1001], "keep it under 1000"),
        (["roadmap", "review", "python-basics", "--user", "u1", "--days", "0"], "Review after 1 to 365 days"),
        (["roadmap", "today", "--user", "nobody"], "goal set ROADMAP --user ID"),
    ],
)
def test_bad_input_is_one_line(cli: Any, argv: list[str], message: str) -> None:
    cli("goal", "set", "ml-basics", "--user", "u1")
    code, out, err = cli(*argv)
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("roadmap-bot: ") and message in lines[0], err


def test_today_streak_note_review_and_card_in_the_console(
    built_small: tuple[Path, Path], tmp_path: Path, embedder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge, index = built_small
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        knowledge_dir=knowledge,
        index_dir=index,
        database_url=f"sqlite:///{tmp_path / 'c.db'}",
        decision_file=SMALL_DECISION,
    )
    monkeypatch.chdir(tmp_path)
    lines = [
        "/goal home-skills",
        "/today",
        "/note tools borrow a drill",
        "/note tools",
        "/next",
        "/review tools 5",
        "/streak",
        "/card card.png",
        "/card card.gif",
        "/roadmap today",
        "/remind daily",
        "/leaderboard",
        "/note tools --clear",
    ]
    out = io.StringIO()
    services = make_services(settings, embedder)
    try:
        run_console(settings, user="fay", stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out, services=services)
    finally:
        services.close()
    text = out.getvalue()
    assert "Today: " in text and "on Gather basic tools (tools)" in text and "Start: Which tools you need" in text
    assert "Saved your note on Gather basic tools (tools):\nborrow a drill" in text
    assert "Your note: borrow a drill" in text
    assert "to do → done, to review." in text and "A review reminder is set for" in text
    assert "Streak: 1 day" in text and "Mon " in text
    assert (
        f"Wrote your progress card to {tmp_path / 'card.png'}." in text
        or "Wrote your progress card to card.png." in text
    )
    assert Image.open(tmp_path / "card.png").size == (1200, 630)
    assert "Sorry: 'card.gif' is not a .png file name" in text
    assert "Reminders come by Discord DM" in text and "leaderboard belongs to a Discord server" in text
    assert "Your note on Gather basic tools (tools) is removed." in text
    assert "**" not in text and "`" not in text

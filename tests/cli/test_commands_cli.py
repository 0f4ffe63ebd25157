"""`roadmap-bot commands` lists the Discord slash commands from the same tree `/help` reads, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main


def test_commands_lists_every_slash_command_with_its_options(
    built_small: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    knowledge, index = built_small
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge))
    monkeypatch.setenv("INDEX_DIR", str(index))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'c.db'}")
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert main(["commands", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_command = {r["command"]: r for r in rows}
    assert {c.split()[0] for c in by_command} == {"/ask", "/roadmap", "/faq", "/privacy", "/help", "/kb", "/config"}
    goal = by_command["/roadmap goal"]
    assert goal["usage"] == "/roadmap goal <roadmap> [target_date]"
    assert [(o["name"], o["required"]) for o in goal["options"]] == [("roadmap", True), ("target_date", False)]
    assert by_command["/kb reload"]["moderators_only"] and not by_command["/ask"]["moderators_only"]
    assert by_command["/config channel"]["moderators_only"]
    assert main(["commands"]) == 0
    assert "/roadmap goal <roadmap> [target_date]" in capsys.readouterr().out

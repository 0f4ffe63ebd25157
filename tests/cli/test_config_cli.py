"""`roadmap-bot config export|show`: every server's settings from the store, as JSON and as text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.community import CommunityConfig
from bot.core.store import open_store

G1, G2 = 111111111111111111, 222222222222222222


def test_config_export_lists_every_server(
    built_small: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    knowledge, index = built_small
    url = f"sqlite:///{tmp_path / 'c.db'}"
    for name, value in {"KNOWLEDGE_DIR": knowledge, "INDEX_DIR": index, "DATABASE_URL": url}.items():
        monkeypatch.setenv(name, str(value))
    monkeypatch.setenv("MODERATOR_ROLE_ID", "777")
    assert main(["config", "export"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "default_mode": "mention",
        "default_moderator_role_id": 777,
        "guilds": [],
    }
    engine = open_store(url)
    config = CommunityConfig(engine)
    config.update_guild(G1, helper_role=5, digest_channel=6)
    config.set_channel_mode(G1, 7, "auto")
    config.set_channel_mode(G2, 8, "off")
    engine.dispose()

    assert main(["config", "export"]) == 0
    exported = json.loads(capsys.readouterr().out)
    first, second = exported["guilds"]
    assert first["guild_id"] == G1 and first["helper_role_id"] == 5 and first["digest_channel_id"] == 6
    assert first["moderator_role_id"] == 777 and first["moderator_role_default"] is True
    assert first["channels"] == [{"guild_id": G1, "channel_id": 7, "mode": "auto"}]
    assert second["guild_id"] == G2 and second["channels"][0]["mode"] == "off"

    assert main(["config", "show"]) == 0
    text = capsys.readouterr().out
    assert f"Server {G1}:" in text and "  channel 7: auto" in text and "  helper role: 5" in text

"""Bad settings are one line and a refusal; discord.py's DEBUG traffic never carries tokens or texts."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.cli import RedactSecrets, main


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LOG_LEVEL": "NOTALEVEL"}, "LOG_LEVEL: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ({"SERVING_THREADS": "0"}, "SERVING_THREADS: Input should be greater than or equal to 1"),
        ({"BUILD_THREADS": "-1"}, "BUILD_THREADS: Input should be greater than or equal to 0"),
        ({"QUESTION_RETENTION_DAYS": "forever"}, "QUESTION_RETENTION_DAYS: Input should be a valid integer"),
        ({"DISCORD_OUTAGE": "panic"}, "DISCORD_OUTAGE: Input should be 'retry' or 'exit'"),
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT: Input should be greater than or equal to 1"),
        ({"SHARD_IDS": "1"}, "invalid settings: SHARD_IDS needs SHARD_COUNT"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "2"}, "SHARD_IDS must lie between 0 and 1 (SHARD_COUNT - 1); got [2]"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "1,1"}, "SHARD_IDS lists a shard twice"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "one"}, "SHARD_IDS_0: Input should be a valid integer"),
    ],
)
def test_bad_settings_are_one_line(
    env: dict[str, str],
    expected: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["roadmap", "list"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("roadmap-bot: invalid settings: ") and expected in err


def test_lower_case_log_levels_are_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.settings import Settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOG_LEVEL", "debug")
    assert Settings().log_level == "DEBUG"


def test_gateway_payloads_are_redacted_at_debug() -> None:
    payload = {"t": "INTERACTION_CREATE", "d": {"token": "aW50ZXJhY3Rpb24", "data": {"content": "my secret question"}}}
    record = logging.LogRecord(
        "discord.gateway", logging.DEBUG, __file__, 1, "For Shard ID %s: WebSocket Event: %s", (None, payload), None
    )
    assert RedactSecrets().filter(record)
    text = record.getMessage()
    assert "aW50ZXJhY3Rpb24" not in text and "my secret question" not in text and "[redacted]" in text
    other = logging.LogRecord("bot.core", logging.DEBUG, __file__, 1, "token: %s", ("kept",), None)
    assert RedactSecrets().filter(other) and other.getMessage() == "token: kept"  # only discord.py's records


def test_shard_settings_pick_the_sharded_bot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from discord.ext import commands

    from bot.discord_app.client import RoadmapBot, make_bot, runs_first_shard
    from bot.settings import Settings
    from bot.wiring import open_services

    monkeypatch.chdir(tmp_path)
    plain = Settings(_env_file=None)  # type: ignore[call-arg]
    sharded = Settings(_env_file=None, shard_count=4, shard_ids="2, 3")  # type: ignore[call-arg]
    assert sharded.shard_ids == [2, 3]
    with open_services(plain) as services:  # nothing heavy: the model loads on first use
        bot = make_bot(plain, services, load_index=False)
        assert type(bot) is RoadmapBot and not isinstance(bot, commands.AutoShardedBot)
        bot = make_bot(sharded, services, load_index=False)
        assert isinstance(bot, commands.AutoShardedBot) and isinstance(bot, RoadmapBot)
        assert (bot.shard_count, bot.shard_ids) == (4, [2, 3])
    assert runs_first_shard(plain) and not runs_first_shard(sharded)
    assert runs_first_shard(Settings(_env_file=None, shard_count=2))  # type: ignore[call-arg]

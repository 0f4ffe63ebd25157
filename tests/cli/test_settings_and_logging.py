"""Bad settings are one line and a refusal; discord.py's DEBUG traffic never carries tokens or texts."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.cli import RedactSecrets, main


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("LOG_LEVEL", "NOTALEVEL", "LOG_LEVEL: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("SERVING_THREADS", "0", "SERVING_THREADS: Input should be greater than or equal to 1"),
        ("QUESTION_RETENTION_DAYS", "forever", "QUESTION_RETENTION_DAYS: Input should be a valid integer"),
        ("DISCORD_OUTAGE", "panic", "DISCORD_OUTAGE: Input should be 'retry' or 'exit'"),
    ],
)
def test_bad_settings_are_one_line(
    name: str,
    value: str,
    expected: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
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

"""Every command line and console command over one list of hostile inputs: never a traceback, a clear
message, the documented exit codes (0 done, 1 refused with one `roadmap-bot:` line, 2 a usage or
settings error from argparse or the settings), nothing echoed raw to a terminal, no file written
outside the deployment."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kb_fixtures import SMALL_DECISION

import bot.wiring
from bot.cli import main
from bot.console import run_console
from bot.settings import Settings

NASTY = [
    "",
    "   ",
    "x" * 20_000,
    "nul\x00byte",
    "lone \udcff\udcfe surrogates",
    "\x1b[31mred\x1b[0m \x1b]0;title\x07",
    "bidi \u202eevil\u202c text",
    "@everyone <@123> <#456> @here",
    "'; DROP TABLE goal; --",
    "../../../etc/passwd",
    "-1",
    "99999999999999999999",
]
# Only the templates whose slot takes free text or a number: each runs with every NASTY value.
COMMANDS = [
    ["ask", "{}"],
    ["ask", "--k", "{}", "a question"],
    ["goal", "set", "{}", "--user", "u"],
    ["goal", "set", "home-skills", "--user", "{}"],
    ["goal", "set", "home-skills", "--user", "u", "--target-date", "{}"],
    ["goal", "set", "home-skills", "--user", "u", "--note", "{}"],
    ["goal", "switch", "{}", "--user", "u"],
    ["goal", "list", "--user", "{}"],
    ["roadmap", "done", "{}", "--user", "u"],
    ["roadmap", "start", "tools", "--user", "{}"],
    ["roadmap", "next", "--user", "u", "--limit", "{}"],
    ["roadmap", "progress", "--user", "{}"],
    ["roadmap", "show", "--user", "{}"],
    ["roadmap", "today", "--user", "{}"],
    ["roadmap", "streak", "--user", "{}", "--json"],
    ["roadmap", "note", "{}", "--user", "u"],
    ["roadmap", "note", "tools", "--user", "u", "--text", "{}"],
    ["roadmap", "review", "{}", "--user", "u"],
    ["roadmap", "review", "tools", "--user", "u", "--days", "{}"],
    ["roadmap", "card", "--user", "{}", "--out", "card.png"],
    ["roadmap", "card", "--user", "u", "--out", "{}"],
    ["export", "--user", "{}"],
    ["forget", "--user", "{}"],
    ["kb", "gaps", "--days", "{}"],
    ["kb", "feedback", "--days", "7", "--limit", "{}"],
    ["kb", "audit", "--limit", "{}"],
    ["kb", "faq-add", "--question", "{}", "--answer", "An answer."],
    ["kb", "faq-remove", "{}"],
]
CONSOLE_LINES = [
    "{}",
    "/goal {}",
    "/start {}",
    "/done {} --with-prerequisites",
    "/faq {}",
    "/roadmap {}",
    "/today {}",
    "/streak {}",
    "/note {}",
    "/note tools {}",
    "/review {}",
    "/review tools {}",
    "/card {}",
    "/ask {}",
    "/{}",
]


@pytest.fixture
def deployment(
    built_small: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder: Any
) -> Iterator[Path]:
    project = tmp_path / "project"
    shutil.copytree(built_small[0], project / "knowledge")
    shutil.copytree(built_small[1], project / "index")
    monkeypatch.chdir(project)
    for name, value in {
        "KNOWLEDGE_DIR": project / "knowledge",
        "INDEX_DIR": project / "index",
        "DATABASE_URL": f"sqlite:///{project / 'data' / 'bot.db'}",
        "DECISION_FILE": SMALL_DECISION,
        "LOG_LEVEL": "WARNING",
    }.items():
        monkeypatch.setenv(name, str(value))
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    make_advisor = bot.wiring.make_advisor
    monkeypatch.setattr(bot.wiring, "make_advisor", lambda settings, _=None: make_advisor(settings, embedder))
    outside = sorted(p.name for p in tmp_path.iterdir())
    yield project
    assert sorted(p.name for p in tmp_path.iterdir()) == outside  # nothing written next to the project


def inert(text: str) -> None:
    """Nothing a member typed reaches a terminal as a control or direction character."""
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "\x00" not in text
    assert "Traceback" not in text


@pytest.mark.slow
def test_every_command_survives_every_hostile_input(deployment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for template in COMMANDS:
        for value in NASTY:
            argv = [part.replace("{}", value) for part in template]
            try:
                code = main(argv)
            except SystemExit as exit_:  # argparse refusing an option's value
                code = int(exit_.code or 0)
            out, err = capsys.readouterr()
            where = f"{template} with {value[:30]!r}"
            assert code in (0, 1, 2), where
            inert(out)
            inert(err)
            if code == 1:
                lines = err.strip().splitlines()
                assert len(lines) == 1 and lines[0].startswith("roadmap-bot: "), (where, err)
            if code == 2:
                assert "error:" in err or "invalid" in err, (where, err)
    faq = deployment / "knowledge" / "faq"
    assert all(p.parent == faq for p in faq.rglob("*.md"))  # path characters never leave the folder


@pytest.mark.slow
def test_every_console_command_survives_every_hostile_input(deployment: Path, embedder: Any) -> None:
    settings = Settings().resolved()
    lines = [template.replace("{}", value) for template in CONSOLE_LINES for value in NASTY]
    lines = [line.replace("\n", " ") for line in lines]
    out = io.StringIO()
    services = bot.wiring.make_services(settings, embedder)
    try:
        code = run_console(
            settings, user="hostile", stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out, services=services
        )
    finally:
        services.close()
    text = out.getvalue()
    assert code == 0 and text.rstrip().endswith("Bye!")
    inert(text)


def _run(args: list[bytes], stdin: bytes, project: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable.encode(), b"-m", b"bot", *args],
        input=stdin,
        capture_output=True,
        cwd=project,
        env=env,
        timeout=300,
    )


@pytest.mark.slow
def test_invalid_utf8_on_stdin_and_in_arguments(deployment: Path) -> None:
    batch = b"how do I fix a flat tyre\n\xff\xfe\xfd broken bytes\n\xed\xa0\x80 a lone surrogate\nwhich flour for sourdough?\n"
    done = _run([b"ask", b"--batch", b"-", b"--json"], batch, deployment)
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(answers) == 4  # every line answered, in order, whatever one line holds
    assert answers[0]["passages"][0]["source"].startswith("articles/bicycle-repair.md")
    assert answers[3]["passages"][0]["source"] == "faq/what-flour.md"
    asked = _run([b"ask", b"\xff\xfe tyre \xed\xa0\x80 pressure"], b"", deployment)
    assert asked.returncode == 0 and b"Traceback" not in asked.stderr
    chat = _run([b"chat", b"--user", b"u"], b"\xff\xfe which flour?\n/goal \xed\xa0\x80\n", deployment)
    assert chat.returncode == 0 and b"Traceback" not in chat.stderr + chat.stdout and b"Bye!" in chat.stdout


@pytest.mark.slow
def test_a_closed_stdout_is_not_a_traceback(deployment: Path) -> None:
    reader = subprocess.Popen(
        [sys.executable, "-m", "bot", "roadmap", "list"],
        cwd=deployment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # like `| head` going away before the output is written
    err = reader.stderr.read()
    reader.wait(timeout=120)
    assert b"Traceback" not in err and b"BrokenPipeError" not in err

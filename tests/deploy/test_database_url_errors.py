"""A wrong DATABASE_URL is one clear line on stderr and a non-zero exit, never a traceback.

Each case runs the real command line in a fresh interpreter (`python -m bot roadmap progress --user x`),
from an empty folder so no `.env` is read.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
COMMAND = ["roadmap", "progress", "--user", "x"]
# The same command with psycopg made unimportable, as on an install without the `postgres` extra.
WITHOUT_PSYCOPG = (
    "import sys; sys.modules['psycopg'] = None; sys.modules['psycopg2'] = None; "
    "from bot.cli import main; raise SystemExit(main(sys.argv[1:]))"
)


def run_cli(tmp_path: Path, database_url: str, *, code: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DISCORD_"))}
    env.update(DATABASE_URL=database_url, KNOWLEDGE_DIR=str(REPO / "knowledge"), PYTHONPATH=str(REPO))
    program = ["-c", code] if code else ["-m", "bot"]
    return subprocess.run(
        [sys.executable, *program, *COMMAND], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )


def one_clear_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("roadmap-bot: ")
    return lines[0]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends: nothing listens there


def test_malformed_url(tmp_path: Path) -> None:
    line = one_clear_line(run_cli(tmp_path, "nonsense"))
    assert "'nonsense' is not a database URL" in line and "postgresql+psycopg://" in line


def test_unsupported_database(tmp_path: Path) -> None:
    line = one_clear_line(run_cli(tmp_path, "mysql://bot:secret@db/roadmap"))
    assert "'mysql'" in line and "secret" not in line


@pytest.mark.parametrize("url", ["postgresql+psycopg://bot:secret@db/roadmap", "postgresql://bot:secret@db/roadmap"])
def test_postgresql_without_the_driver_names_the_extra(tmp_path: Path, url: str) -> None:
    line = one_clear_line(run_cli(tmp_path, url, code=WITHOUT_PSYCOPG))
    assert "not installed" in line and "[postgres]" in line and "pip install" in line
    assert "secret" not in line


def test_postgresql_that_does_not_answer(tmp_path: Path) -> None:
    line = one_clear_line(run_cli(tmp_path, f"postgresql+psycopg://bot:secret@127.0.0.1:{closed_port()}/roadmap"))
    assert "cannot be used" in line and "refused" in line.lower()
    assert "secret" not in line and "bot:***@127.0.0.1" in line


def test_sqlite_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database's folder should be")
    line = one_clear_line(run_cli(tmp_path, f"sqlite:///{blocker}/sub/roadmap.db"))
    assert "cannot be created" in line and str(blocker) in line


def test_sqlite_path_that_is_a_file_not_a_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("")
    line = one_clear_line(run_cli(tmp_path, f"sqlite:///{blocker}/roadmap.db"))
    assert f"{blocker} is a file, not a folder" in line


def test_sqlite_file_that_cannot_be_written(tmp_path: Path) -> None:
    """Read-only (opened read-only here, since root may write any file): refused at start, not at a first write."""
    database = tmp_path / "roadmap.db"
    assert run_cli(tmp_path, f"sqlite:///{database}").returncode in (0, 1)  # creates and migrates it
    assert database.exists()
    line = one_clear_line(run_cli(tmp_path, f"sqlite:///file:{database}?mode=ro&uri=true"))
    assert "readonly database" in line and str(database) in line

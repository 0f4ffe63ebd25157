"""`roadmap-bot health` (the container's HEALTHCHECK): 0 when the index loads and the database answers,
else 1 with one line saying what is wrong. It never loads the embedding model (torch stays unimported)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pg_server import PostgresServer

REPO = Path(__file__).resolve().parents[2]
# main(["health"]), then a check that nothing imported the model's libraries.
HEALTH = (
    "import sys; from bot.cli import main; code = main(['health']); "
    "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules); "
    "print('imported:', heavy, file=sys.stderr) if heavy else None; raise SystemExit(code if not heavy else 3)"
)


@pytest.fixture
def index_dir(built_small: tuple[Path, Path], tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(built_small[1], target)
    return target


def health(tmp_path: Path, index_dir: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DISCORD_"))}
    env.update(INDEX_DIR=str(index_dir), DATABASE_URL=database_url, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-c", HEALTH], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )


def unhealthy(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("unhealthy: "), done.stderr
    return lines[0]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_healthy_on_sqlite(tmp_path: Path, index_dir: Path) -> None:
    done = health(tmp_path, index_dir, f"sqlite:///{tmp_path / 'data' / 'bot.db'}")
    assert done.returncode == 0, done.stderr
    build = (index_dir / "CURRENT").read_text().strip()
    assert done.stdout.startswith(f"healthy: index build {build} (")
    assert f"database sqlite:///{tmp_path / 'data' / 'bot.db'} answers" in done.stdout


def test_healthy_on_postgresql(tmp_path: Path, index_dir: Path, pg_server: PostgresServer) -> None:
    url = pg_server.create_database()
    try:
        done = health(tmp_path, index_dir, url)
    finally:
        pg_server.drop_database(url)
    assert done.returncode == 0, done.stderr
    assert "database postgresql+psycopg://postgres@127.0.0.1" in done.stdout


def test_no_index(tmp_path: Path) -> None:
    line = unhealthy(health(tmp_path, tmp_path / "empty-index", f"sqlite:///{tmp_path / 'bot.db'}"))
    assert line == f"unhealthy: index: there is no index in {tmp_path / 'empty-index'}; run `roadmap-bot build-index`"


def test_broken_index(tmp_path: Path, index_dir: Path) -> None:
    build = (index_dir / "CURRENT").read_text().strip()
    (index_dir / "builds" / build / "vectors.faiss").unlink()
    line = unhealthy(health(tmp_path, index_dir, f"sqlite:///{tmp_path / 'bot.db'}"))
    assert line.startswith("unhealthy: index: the index at ") and "unreadable" in line


def test_database_that_does_not_answer(tmp_path: Path, index_dir: Path) -> None:
    url = f"postgresql+psycopg://bot:secret@127.0.0.1:{closed_port()}/roadmap"
    line = unhealthy(health(tmp_path, index_dir, url))
    assert line.startswith("unhealthy: database: the database postgresql+psycopg://bot:***@127.0.0.1:")
    assert "does not answer" in line and "secret" not in line


def test_both_wrong_in_one_line(tmp_path: Path) -> None:
    line = unhealthy(health(tmp_path, tmp_path / "nothing", "nonsense"))
    assert "index: there is no index" in line and "; database: DATABASE_URL 'nonsense' is not a database URL" in line

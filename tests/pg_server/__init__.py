"""A real, throwaway PostgreSQL server for the tests, started from the Debian `postgresql` package's binaries.

One server per test run (started on first use, stopped at exit), listening on 127.0.0.1 only, with a
migrated template database that each test clones (CREATE DATABASE ... TEMPLATE: milliseconds).

pytest-postgresql does the same job but runs pg_ctl as the current user, and PostgreSQL refuses to run
as root, which is how CI runs: here the server runs as the `postgres` system user when we are root.
Nothing is skipped: if the server cannot start, every test that needs it fails with the reason.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

import psycopg
from psycopg import sql

TEMPLATE = "roadmap_template"
INSTALL_HINT = "install the server (apt-get install -y postgresql) or set PG_BINDIR to its bin folder"


class PostgresUnavailable(RuntimeError):
    """The test server could not be started; the message says why."""


def find_bindir() -> Path:
    """PG_BINDIR, else the newest /usr/lib/postgresql/<version>/bin, else pg_ctl on PATH."""
    configured = os.environ.get("PG_BINDIR")
    candidates = [Path(configured)] if configured else []
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    candidates += [Path(p) for p in versions]
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for folder in candidates:
        if (folder / "pg_ctl").is_file() and (folder / "initdb").is_file():
            return folder
    raise PostgresUnavailable(f"no PostgreSQL server binaries (pg_ctl, initdb) found: {INSTALL_HINT}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """initdb + pg_ctl in a private temporary folder; `stop()` removes everything."""

    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="roadmap-bot-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 0
        self.user = "postgres"
        self._prefix: list[str] = []
        self._names = itertools.count(1)
        self._lock = threading.Lock()
        if os.geteuid() == 0:
            # PostgreSQL will not run as root; its Debian package creates this system user.
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable(f"running as root and there is no 'postgres' user: {INSTALL_HINT}") from None
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self._prefix = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self._prefix, *args], capture_output=True, text=True, timeout=120, check=False)

    def start(self) -> PostgresServer:
        done = self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            self.user,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        if done.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {(done.stderr or done.stdout).strip()}")
        for _attempt in range(3):
            self.port = _free_port()
            options = (
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
            )
            done = self._run(
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            )
            if done.returncode == 0:
                break
        else:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise PostgresUnavailable(f"pg_ctl start failed: {(done.stderr or done.stdout).strip()}\n{log}")
        self.create_database(TEMPLATE, template="template0")
        return self

    def stop(self) -> None:
        if self.port:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
            self.port = 0
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(host="127.0.0.1", port=self.port, user=self.user, dbname="postgres", autocommit=True)

    def create_database(self, name: str | None = None, template: str = TEMPLATE) -> str:
        """A new database cloned from `template` (the migrated one by default; template0 is empty); its URL."""
        with self._lock:
            name = name or f"test_{os.getpid()}_{next(self._names)}"
            with self._admin() as conn:
                conn.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                        sql.Identifier(name), sql.Identifier(template)
                    )
                )
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with self._admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


_shared: PostgresServer | None = None
_failure: Exception | None = None
_shared_lock = threading.Lock()


def shared_server() -> PostgresServer:
    """The run's one server, started (and its template migrated) on first use; stopped at exit.

    A server that failed to start is not tried again: every later caller gets the same error.
    """
    global _shared, _failure
    with _shared_lock:
        if _failure is not None:
            raise PostgresUnavailable(str(_failure))
        if _shared is None:
            from bot.core.store.db import open_store

            try:
                server = PostgresServer()
                atexit.register(server.stop)
                server.start()
                open_store(server.url(TEMPLATE)).dispose()
            except Exception as exc:
                _failure = exc
                raise
            _shared = server
        return _shared

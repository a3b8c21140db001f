"""The tests on PostgreSQL: a throwaway server, started from its binaries.

``MINITWIT_TEST_DATABASE=postgresql pytest`` runs the whole suite on it (the
default is SQLite); some tests use it in every run. Without PostgreSQL
installed those tests are skipped, and say why; with ``CI=true`` they fail.

:func:`start` runs ``initdb`` into a new temporary folder and starts the
server on a Unix socket in that folder only (no TCP port, nothing shared
with another server). The data is not flushed to disk: it lives as long
as the test run. PostgreSQL refuses to run as root, so under root the
folder belongs to the ``postgres`` user and the commands run as that user.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

#: The role and database the tests use (the server trusts local users).
ROLE = "minitwit"
DATABASE = "minitwit_test"


class Unavailable(Exception):
    """No PostgreSQL server binaries here (or no user to run them as)."""


@dataclass
class Server:
    """A running throwaway server."""

    folder: Path
    bin_dir: Path
    run_as: list[str]
    version: str = ""

    def url(self, database: str = DATABASE) -> str:
        """The SQLAlchemy URL of ``database`` on this server."""
        return f"postgresql+psycopg://{ROLE}@/{database}?host={self.folder}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        """A plain psycopg connection, in autocommit mode."""
        return psycopg.connect(
            host=str(self.folder), user=ROLE, dbname=database, autocommit=True
        )

    def create_database(self, name: str) -> str:
        """Create an empty database; return its URL."""
        with self.connect() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server at once and delete its folder."""
        subprocess.run(
            [*self.run_as, self.bin_dir / "pg_ctl", "stop", "-m", "immediate",
             "-D", self.folder / "data"],
            capture_output=True, check=False,
        )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)


def find_bin_dir() -> Path:
    """The folder of ``initdb`` and ``pg_ctl``: the newest installed."""
    if os.environ.get("MINITWIT_PG_BIN"):
        chosen = Path(os.environ["MINITWIT_PG_BIN"])
        if not (chosen / "initdb").exists():
            raise Unavailable(f"MINITWIT_PG_BIN={chosen} has no initdb")
        return chosen
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parent.parent.name),
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb is None:
        raise Unavailable(
            "no PostgreSQL server binaries (initdb) were found: install "
            "PostgreSQL (Debian: apt-get install postgresql) or set "
            "MINITWIT_PG_BIN to the folder of initdb"
        )
    return Path(initdb).parent


def start() -> Server:
    """Start a new server in a temporary folder; raise :exc:`Unavailable`."""
    bin_dir = find_bin_dir()
    folder = Path(tempfile.mkdtemp(prefix="minitwit-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run as "postgres"
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder)
            raise Unavailable(
                "running as root and there is no 'postgres' user to run "
                "the server as"
            ) from None
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    server = Server(folder, bin_dir, run_as)
    data = folder / "data"
    try:
        subprocess.run(
            [*run_as, bin_dir / "initdb", "-D", data, "-U", ROLE,
             "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"],
            capture_output=True, check=True, text=True,
        )  # fmt: skip
        options = (
            f"-k {folder} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=100"
        )
        subprocess.run(
            [*run_as, bin_dir / "pg_ctl", "start", "-w", "-t", "60",
             "-D", data, "-l", folder / "server.log", "-o", options],
            capture_output=True, check=True, text=True,
        )  # fmt: skip
    except subprocess.CalledProcessError as error:
        log = folder / "server.log"
        details = log.read_text() if log.exists() else ""
        server.stop()
        raise RuntimeError(
            f"PostgreSQL did not start: {error.stderr}\n{details}"
        ) from error
    with server.connect() as connection:
        row = connection.execute("SELECT version()").fetchone()
        server.version = str(row[0]) if row else "unknown"
    server.create_database(DATABASE)
    return server


#: The engine the suite runs on: "sqlite" (the default) or "postgresql".
ENGINE = os.environ.get("MINITWIT_TEST_DATABASE", "sqlite")
if ENGINE not in {"sqlite", "postgresql"}:
    raise pytest.UsageError(
        f"MINITWIT_TEST_DATABASE must be sqlite or postgresql, not {ENGINE!r}"
    )

_server: Server | None = None
_unavailable: str | None = None
_numbers = itertools.count(1)


def server() -> Server:
    """The run's server, started on first use; skip (or fail in CI)."""
    global _server, _unavailable
    if _server is None and _unavailable is None:
        try:
            _server = start()
        except Unavailable as reason:
            _unavailable = str(reason)
    if _server is None:
        message = f"PostgreSQL tests did not run: {_unavailable}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true, so this is an error. {message}")
        pytest.skip(message)
    return _server


def new_database(folder: Path) -> dict[str, Any]:
    """The config keys of a new, empty database on the run's engine."""
    if ENGINE == "postgresql":
        url = server().create_database(f"test_{next(_numbers)}")
        return {"DATABASE_URL": url}
    return {"DATABASE": str(folder / f"minitwit-{next(_numbers)}.sqlite")}


def pytest_sessionstart(session: pytest.Session) -> None:
    """On PostgreSQL, start the server first, or stop and say why."""
    if ENGINE == "postgresql":
        try:
            server()
        except (pytest.skip.Exception, pytest.fail.Exception) as stop:
            failed = isinstance(stop, pytest.fail.Exception)
            pytest.exit(str(stop.msg), returncode=1 if failed else 0)


def pytest_report_header(config: pytest.Config) -> str:
    """Say which engine the suite runs on."""
    return f"minitwit database: {ENGINE}"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say which PostgreSQL the tests ran on, or why none ran."""
    if _server is not None:
        terminalreporter.write_line(
            f"PostgreSQL tests ran on: {_server.version}"
        )
    elif _unavailable is not None:
        terminalreporter.write_line(
            f"PostgreSQL tests did not run: {_unavailable}"
        )


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the server at the end of the run."""
    if _server is not None:
        _server.stop()

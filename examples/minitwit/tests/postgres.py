"""A throwaway PostgreSQL server for the tests, started from its binaries.

:func:`start` runs ``initdb`` into a new temporary folder and starts the
server on a Unix socket in that folder only (no TCP port, nothing shared
with another server). The data is not flushed to disk: it lives as long
as the test run. PostgreSQL refuses to run as root, so under root the
folder belongs to the ``postgres`` user and the commands run as that user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg

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

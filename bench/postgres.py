"""minitwit on PostgreSQL: a throwaway server, the same rows, the CPU it uses.

:func:`start` runs ``initdb`` into a new temporary folder and starts the
installed server binaries on a Unix socket in that folder only (no TCP
port), the way minitwit's own tests do (``examples/minitwit/tests``). The
data lives as long as the bench: nothing is flushed to disk. PostgreSQL
refuses to run as root, so under root the server runs as ``postgres``.

:func:`load` gives each size a database made by minitwit's own ``init-db``,
then copies the rows of the size's SQLite database into it with ``COPY``
(the same ids and times, so the same pages), and runs ``VACUUM ANALYZE``
as autovacuum would on a settled table.

The queries run in the server's processes, not in the bench's:
:meth:`Server.cpu_clock` adds their CPU time to the bench's own.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg

#: The server's superuser (it trusts local connections).
ROLE = "bench"
#: minitwit's tables, in an order that satisfies their foreign keys.
TABLES = ("account", "follower", "message")
#: Settings on top of the defaults: no waiting for the disk (a bench's
#: data is thrown away), no autovacuum running behind the timings (the
#: bench runs VACUUM ANALYZE itself after loading), a modest cache.
SETTINGS = {
    "listen_addresses": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "autovacuum": "off",
    "shared_buffers": "256MB",
}


class Unavailable(Exception):
    """No PostgreSQL server binaries here (or no user to run them as)."""


@dataclass
class Server:
    """A running throwaway server."""

    folder: Path
    bin_dir: Path
    run_as: list[str]
    version: str = ""

    def url(self, database: str) -> str:
        """The ``DATABASE_URL`` of ``database`` on this server."""
        return f"postgresql://{ROLE}@/{database}?host={self.folder}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        """A plain psycopg connection to ``database`` on this server."""
        return connect(self.url(database))

    def create_database(self, name: str) -> str:
        """Create an empty database ``name``; return its URL."""
        with self.connect() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def cpu_clock(self) -> Callable[[], float] | None:
        """This process's CPU seconds plus those of every open connection.

        The clock reads the connections open now (the apps' and the
        bench's); None if this system cannot read another process's CPU
        time (Linux can).
        """
        with self.connect() as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE backend_type = 'client backend'"
                " AND pid <> pg_backend_pid()"
            ).fetchall()
        # Linux's CPU-time clock of a whole process: see clock_getcpuclockid.
        clocks = [((~pid) << 3) | 2 for (pid,) in rows]
        try:
            for clock in clocks:
                time.clock_gettime(clock)
        except (OSError, AttributeError):
            return None

        def seconds() -> float:
            """CPU seconds of the bench and of the server's connections."""
            server = sum(time.clock_gettime(clock) for clock in clocks)
            return time.process_time() + server

        return seconds

    def stop(self) -> None:
        """Stop the server at once and delete its folder."""
        subprocess.run(  # noqa: S603 (the installed binaries, our arguments)
            [*self.run_as, self.bin_dir / "pg_ctl", "stop", "-m", "immediate",
             "-D", self.folder / "data"],
            capture_output=True, check=False,
        )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)


def connect(url: str) -> psycopg.Connection:
    """A plain psycopg connection to ``url``, autocommit, times in UTC."""
    return psycopg.connect(url, autocommit=True, options="-c timezone=UTC")


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
    folder = Path(tempfile.mkdtemp(prefix="bench-pg-"))
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
    options = " ".join(f"-c {key}={value}" for key, value in SETTINGS.items())
    try:
        subprocess.run(  # noqa: S603 (the installed binaries, our arguments)
            [*run_as, bin_dir / "initdb", "-D", data, "-U", ROLE,
             "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"],
            capture_output=True, check=True, text=True,
        )  # fmt: skip
        subprocess.run(  # noqa: S603 (the installed binaries, our arguments)
            [*run_as, bin_dir / "pg_ctl", "start", "-w", "-t", "60",
             "-D", data, "-l", folder / "server.log",
             "-o", f"-k {folder} {options}"],
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
        row = connection.execute("SHOW server_version").fetchone()
        server.version = f"PostgreSQL {row[0] if row else '?'}"
    return server


def copy_rows(connection: psycopg.Connection, source: Path) -> None:
    """Copy minitwit's rows from the SQLite database ``source``.

    The indexes that are not constraints are dropped first and built again
    afterwards, and the foreign keys are not checked row by row (the rows
    come from a database that checked them): much faster for a million.
    """
    indexes = connection.execute(
        "SELECT indexname, indexdef FROM pg_indexes"
        " WHERE schemaname = 'public' AND indexname NOT IN"
        " (SELECT conname FROM pg_constraint)"
    ).fetchall()
    for name, _ in indexes:
        connection.execute(f'DROP INDEX "{name}"')
    rows = sqlite3.connect(source)
    # Each commit flushed: VACUUM marks pages all-visible (so an index
    # answers a query alone, as on a settled table) only once it is.
    connection.execute("SET synchronous_commit = on")
    with connection.transaction():
        connection.execute("SET LOCAL session_replication_role = replica")
        for table in TABLES:
            info = rows.execute(f"PRAGMA table_info({table})").fetchall()
            names = ", ".join(column[1] for column in info)
            cursor = connection.cursor()
            # Table and column names from the bench's own list and schema.
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows.execute(f"SELECT {names} FROM {table}"):  # noqa: S608
                    copy.write_row(row)
    rows.close()
    for _, sql in indexes:
        connection.execute(sql)
    for table in ("account", "message"):  # new rows get the next ids
        connection.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608 (our names)
            f" (SELECT max(id) FROM {table}))"
        )
    connection.execute("VACUUM ANALYZE")


def load(
    server: Server, label: str, source: Path, init_db: Callable[[str], None]
) -> str:
    """A database of one size on ``server``, as ``source`` holds; its URL.

    ``init_db(url)`` creates minitwit's empty tables there.
    """
    started = time.perf_counter()
    url = server.create_database(f"minitwit_{label.lower()}")
    init_db(url)
    with server.connect(f"minitwit_{label.lower()}") as connection:
        copy_rows(connection, source)
    seconds = time.perf_counter() - started
    print(f"loaded {source.name} into {server.version} in {seconds:.1f} s")
    return url

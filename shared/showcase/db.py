"""SQLite the way a web app needs it, with the standard library's ``sqlite3``.

:func:`connect` opens a connection that enforces foreign keys, uses the WAL
journal (readers do not block the writer) and waits for a busy database instead
of failing. It runs in autocommit mode, so each statement commits by itself and
:func:`transaction` groups several under ``BEGIN IMMEDIATE``: a read-then-write
takes the write lock first, and two concurrent writers wait in turn instead of
losing an update.

:func:`init_app` gives an app ``get_db()`` per request, an ``init-db`` command and
a page telling the exact command to run when the database is missing. flaskr
writes these by hand to teach them; minitwit uses them from here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

import click
from flask import Flask, current_app, g, render_template
from flask.cli import with_appcontext

from showcase.errors import example_layout

#: How long a connection waits for another writer before giving up.
BUSY_TIMEOUT_SECONDS = 10.0


def connect(
    path: str, timeout: float = BUSY_TIMEOUT_SECONDS
) -> sqlite3.Connection:
    """Open the database at ``path`` with foreign keys, WAL and a busy timeout."""
    db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = WAL")
    return db


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block as one ``BEGIN IMMEDIATE`` transaction: all of it or none."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def get_db() -> sqlite3.Connection:
    """Return this request's connection to ``DATABASE``, opening it once."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(error: BaseException | None = None) -> None:
    """Close this request's connection, if one was opened."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_db() -> None:
    """Create the tables from the app package's ``schema.sql``, dropping old ones."""
    schema = (
        resources.files(current_app.import_name)
        .joinpath("schema.sql")
        .read_text("utf-8")
    )
    get_db().executescript(schema)


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Clear the existing data and create new tables."""
    init_db()
    click.echo(
        f"Initialised the database at {current_app.config['DATABASE']}."
    )


def is_missing_database(error: sqlite3.OperationalError) -> bool:
    """Tell whether ``error`` means the database was never created or initialised."""
    message = str(error)
    return (
        message.startswith("no such table")
        or message == "unable to open database file"
    )


def database_setup_page(error: sqlite3.OperationalError):
    """Tell the user which command creates the database, instead of a traceback."""
    if not is_missing_database(error):
        raise error
    command = f"flask --app {current_app.import_name} init-db"
    return render_template(
        "showcase/setup_needed.html", command=command, layout=example_layout()
    ), 503


def init_app(app: Flask) -> None:
    """Close connections after each request, add ``init-db``, explain a missing database."""
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    app.register_error_handler(sqlite3.OperationalError, database_setup_page)

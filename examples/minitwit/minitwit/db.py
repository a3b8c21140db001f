"""SQLite for minitwit: one connection per request, ``init-db``, WAL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

import click
from flask import Flask, current_app, g, render_template
from flask.cli import with_appcontext


def connect(path: str) -> sqlite3.Connection:
    """Open ``path`` with foreign keys, WAL and a 10 s busy timeout."""
    db = sqlite3.connect(path, timeout=10.0, isolation_level=None)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = WAL")
    return db


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block as one ``BEGIN IMMEDIATE`` transaction."""
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
    """Create the tables from ``schema.sql``, dropping old ones."""
    schema = (
        resources.files("minitwit").joinpath("schema.sql").read_text("utf-8")
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


def database_setup_page(error: sqlite3.OperationalError):
    """Show the command that creates the database, not a traceback."""
    message = str(error)
    if not (
        message.startswith("no such table")
        or message == "unable to open database file"
    ):
        raise error
    return render_template("setup_needed.html"), 503


def init_app(app: Flask) -> None:
    """Close connections, add ``init-db``, explain a missing database."""
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    app.register_error_handler(sqlite3.OperationalError, database_setup_page)

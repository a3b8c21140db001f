"""The database: one connection per request, and the ``init-db`` command."""

from __future__ import annotations

import sqlite3

import click
from flask import Flask, current_app, g, render_template
from flask.cli import with_appcontext


def get_db() -> sqlite3.Connection:
    """Connect to the database once per request, and reuse the connection."""
    if "db" not in g:
        # A second writer waits up to 10 seconds instead of failing at once.
        g.db = sqlite3.connect(current_app.config["DATABASE"], timeout=10)
        g.db.row_factory = sqlite3.Row  # rows read like dicts: post["title"]
        g.db.execute("PRAGMA foreign_keys = ON")  # check REFERENCES
        g.db.execute("PRAGMA journal_mode = WAL")  # readers never wait
    return g.db


def close_db(e: BaseException | None = None) -> None:
    """Close the connection at the end of the request, if one was opened."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_db() -> None:
    """Drop the tables and create them again, empty, from ``schema.sql``."""
    db = get_db()
    with current_app.open_resource("schema.sql", "r", "utf-8") as f:
        db.executescript(f.read())


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Clear the existing data and create new tables."""
    init_db()
    click.echo(
        f"Initialized the database at {current_app.config['DATABASE']}."
    )


#: What SQLite says when the tables are missing or older than schema.sql.
SETUP_NEEDED = ("no such table", "no such column", "unable to open database")


def database_setup_page(error: sqlite3.OperationalError):
    """Show the command that sets the database up (503), not a traceback."""
    if not str(error).startswith(SETUP_NEEDED):
        raise error  # anything else is a real problem: do not hide it
    return render_template("setup_needed.html"), 503


def init_app(app: Flask) -> None:
    """Register the database functions with the Flask app."""
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    app.register_error_handler(sqlite3.OperationalError, database_setup_page)

"""The database: one connection per request, ``init-db`` and ``seed``.

This is the tutorial's ``db.py``, plus what SQLite needs when several people
write at once: foreign keys, the WAL journal, a busy timeout and
``BEGIN IMMEDIATE`` transactions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import click
from flask import Flask, current_app, g, render_template
from flask.cli import with_appcontext
from werkzeug.security import generate_password_hash

from showcase.timefmt import iso_time

#: How long a connection waits for another writer before giving up.
BUSY_TIMEOUT_SECONDS = 10.0


def get_db() -> sqlite3.Connection:
    """Connect to the configured database, once per request.

    The connection is stored in ``g`` and reused if this is called again
    during the same request.
    """
    if "db" not in g:
        g.db = sqlite3.connect(
            current_app.config["DATABASE"],
            # A second writer waits this long instead of failing at once.
            timeout=BUSY_TIMEOUT_SECONDS,
            # Autocommit: each statement commits by itself, and
            # transaction() below groups several.
            isolation_level=None,
        )
        # Rows behave like dicts: post["title"].
        g.db.row_factory = sqlite3.Row
        # SQLite ignores REFERENCES unless told to check them.
        g.db.execute("PRAGMA foreign_keys = ON")
        # Readers no longer wait for the writer, nor the writer for them.
        g.db.execute("PRAGMA journal_mode = WAL")
    return g.db


def close_db(e: BaseException | None = None) -> None:
    """Close the connection at the end of the request, if one was opened."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block as one transaction that holds the write lock.

    ``BEGIN IMMEDIATE`` takes the lock at once, so a read then a write in
    the block see no other writer in between. An error rolls it all back.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


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


#: The demo accounts ``flask --app flaskr seed`` creates (see the README).
DEMO_USERS = {"alice": "alice-password", "bob": "bob-password"}

#: Demo posts as (author, title, body), oldest first: twelve, so that with
#: ten posts a page the index shows its "Older" link at once.
DEMO_POSTS = [
    (
        "alice",
        "The application factory",
        "create_app() builds the app: the flask command and tests call it.",
    ),
    (
        "bob",
        "The instance folder",
        "The database and config.py live there, outside git.",
    ),
    (
        "alice",
        "One connection per request",
        "get_db() keeps it in g; close_db() ends it.",
    ),
    (
        "bob",
        "The schema",
        "init-db runs schema.sql: it drops the tables and creates them.",
    ),
    ("alice", "Blueprints", "auth and blog group their views and templates."),
    ("bob", "The session", "A signed cookie remembers who logged in."),
    (
        "alice",
        "login_required",
        "A small decorator sends visitors to the login page.",
    ),
    ("bob", "Templates", "Jinja escapes every value: <b>this</b> stays text."),
    (
        "alice",
        "CSRF",
        "Every POST form carries a hidden token another site cannot read.",
    ),
    (
        "bob",
        "Logging out",
        "Only a POST logs you out, and it ends the session on the server.",
    ),
    (
        "alice",
        "Pagination",
        "The Older link carries the last post shown: ?before=<time>.<id>.",
    ),
    (
        "bob",
        "Tests",
        "pytest and coverage prove that every branch of the code runs.",
    ),
]


def seed_db() -> bool:
    """Load the demo users and posts into an empty database.

    Creates the tables first if they are missing. Returns ``False``,
    changing nothing, when there are users already. The check and the
    inserts run in one transaction, so two ``seed`` commands at once cannot
    both find the database empty.
    """
    db = get_db()
    has_tables = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'user'"
    ).fetchone()
    if has_tables is None:
        init_db()
    method = current_app.config["PASSWORD_HASH_METHOD"]
    with transaction(db):
        if db.execute("SELECT 1 FROM user LIMIT 1").fetchone() is not None:
            return False
        user_ids = {}
        for username, password in DEMO_USERS.items():
            cursor = db.execute(
                "INSERT INTO user (username, password) VALUES (?, ?)",
                (username, generate_password_hash(password, method)),
            )
            user_ids[username] = cursor.lastrowid
        now = datetime.now(timezone.utc)
        for age, (author, title, body) in enumerate(reversed(DEMO_POSTS)):
            db.execute(
                "INSERT INTO post (author_id, created, title, body)"
                " VALUES (?, ?, ?, ?)",
                (
                    user_ids[author],
                    iso_time(now - timedelta(hours=age)),
                    title,
                    body,
                ),
            )
    return True


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load demo users and posts, creating the tables if they are missing."""
    if seed_db():
        accounts = ", ".join(
            f"{name} / {password}" for name, password in DEMO_USERS.items()
        )
        click.echo(f"Loaded the demo data. Log in as {accounts}.")
    else:
        click.echo("The database already has data: nothing loaded.")


#: What SQLite says when the tables are missing or older than schema.sql.
SETUP_NEEDED_ERRORS = (
    "no such table",
    "no such column",
    "unable to open database file",
)


def database_setup_page(error: sqlite3.OperationalError):
    """Tell the user which command sets up the database (503).

    Any other database error is not hidden: it is raised again.
    """
    if not str(error).startswith(SETUP_NEEDED_ERRORS):
        raise error
    return render_template("setup_needed.html"), 503


def init_app(app: Flask) -> None:
    """Register the database functions with the Flask app."""
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    app.cli.add_command(seed_command)

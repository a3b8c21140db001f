"""The database: one connection per request, the schema, ``init-db`` and ``seed``.

This is the lesson of the tutorial's ``db.py``, written out by hand. Two
pieces come from the shared ``showcase.db`` so they are right everywhere:
:func:`~showcase.db.connect` (foreign keys on, WAL journal, a busy timeout,
autocommit) and :func:`~showcase.db.transaction` (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import click
from flask import Flask, current_app, g
from flask.cli import with_appcontext
from werkzeug.security import generate_password_hash

from showcase.db import connect, transaction
from showcase.timefmt import iso_time


def get_db() -> sqlite3.Connection:
    """Connect to the configured database, once per request.

    The connection is stored in ``g`` and reused if this is called again
    during the same request.
    """
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(e: BaseException | None = None) -> None:
    """Close the connection at the end of the request, if one was opened."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_db() -> None:
    """Drop the tables and create them again, empty, from ``schema.sql``."""
    db = get_db()
    with current_app.open_resource("schema.sql") as f:
        db.executescript(f.read().decode("utf8"))


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Clear the existing data and create new tables."""
    init_db()
    click.echo(
        f"Initialized the database at {current_app.config['DATABASE']}."
    )


#: The demo accounts ``flask --app flaskr seed`` creates (listed in the README).
DEMO_USERS = {"alice": "alice-password", "bob": "bob-password"}

#: Demo posts as (author, title, body), oldest first: twelve, so that with
#: ten posts a page the index shows its "Older" link at once.
DEMO_POSTS = [
    (
        "alice",
        "The application factory",
        "create_app() builds a fresh app for every test.",
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
        "Only a POST logs you out, so a link or an image cannot.",
    ),
    (
        "alice",
        "Pagination",
        "?page=2 shows the next ten posts; a page past the end is 404.",
    ),
    (
        "bob",
        "Tests",
        "pytest and coverage prove that every branch of the code runs.",
    ),
]


def seed_db() -> bool:
    """Load the demo users and posts into an empty database; create it if needed.

    Returns ``False``, changing nothing, when there are users already. The
    check and the inserts run in one ``BEGIN IMMEDIATE`` transaction, so two
    ``seed`` commands at once cannot both find the database empty.
    """
    db = get_db()
    has_tables = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'user'"
    ).fetchone()
    if has_tables is None:
        init_db()
    with transaction(db):
        if db.execute("SELECT 1 FROM user LIMIT 1").fetchone() is not None:
            return False
        user_ids = {}
        for username, password in DEMO_USERS.items():
            cursor = db.execute(
                "INSERT INTO user (username, password) VALUES (?, ?)",
                (username, generate_password_hash(password)),
            )
            user_ids[username] = cursor.lastrowid
        now = datetime.now(timezone.utc)
        for age, (author, title, body) in enumerate(reversed(DEMO_POSTS)):
            db.execute(
                "INSERT INTO post (author_id, created, title, body) VALUES (?, ?, ?, ?)",
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


def init_app(app: Flask) -> None:
    """Register the database functions with the Flask app."""
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    app.cli.add_command(seed_command)

"""Demo data: ``flask --app flaskr seed`` loads two users and their posts."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from werkzeug.security import generate_password_hash

from flaskr.db import get_db, init_db
from showcase.security import is_production

#: The demo accounts ``flask --app flaskr seed`` creates (see the README).
DEMO_USERS = {"alice": "alice-password", "bob": "bob-password"}

#: Demo posts as (author, title, body), oldest first: twelve, so that with
#: ten posts a page the index shows its "Older" link at once.
DEMO_POSTS = [
    ("alice", "The application factory", "create_app() builds the app."),
    ("bob", "The instance folder", "The database lives there, not in git."),
    ("alice", "One connection per request", "get_db() keeps it in g."),
    ("bob", "The schema", "init-db drops the tables and creates them."),
    ("alice", "Blueprints", "auth and blog group their views."),
    ("bob", "The session", "A signed cookie remembers who logged in."),
    ("alice", "login_required", "It sends visitors to the login page."),
    ("bob", "Templates", "Jinja escapes every value: <b>this</b> stays text."),
    ("alice", "CSRF", "Every form carries a token other sites cannot read."),
    ("bob", "Logging out", "It ends the session on the server too."),
    ("alice", "Pagination", "The Older link carries the last post shown."),
    ("bob", "Tests", "pytest proves that every branch of the code runs."),
]


def seed_db() -> bool:
    """Load the demo users and posts into an empty database.

    Creates the tables first if they are missing. Returns ``False``,
    changing nothing, when there are users already.
    """
    db = get_db()
    tables = "SELECT 1 FROM sqlite_master WHERE name = 'user'"
    if db.execute(tables).fetchone() is None:
        init_db()
    # Take the write lock before looking: of two seeds at once, the second
    # waits, then finds the users of the first.
    db.execute("BEGIN IMMEDIATE")
    if db.execute("SELECT 1 FROM user").fetchone() is not None:
        db.rollback()
        return False
    method = current_app.config["PASSWORD_HASH_METHOD"]
    for username, password in DEMO_USERS.items():
        db.execute(
            "INSERT INTO user (username, password) VALUES (?, ?)",
            (username, generate_password_hash(password, method)),
        )
    # The newest post an hour ago, each older one an hour before it.
    for hours, (author, title, body) in enumerate(reversed(DEMO_POSTS), 1):
        db.execute(
            "INSERT INTO post (author_id, created, title, body)"
            " SELECT id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?), ?, ?"
            " FROM user WHERE username = ?",
            (f"-{hours} hours", title, body, author),
        )
    db.commit()
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
    """Add ``flask seed``; in development, show the demo logins."""
    app.cli.add_command(seed_command)
    # Under flask run only: never on a real server, never in the tests.
    if not (app.testing or is_production(app)):
        app.add_template_global(demo_logins)


def demo_logins() -> dict[str, str]:
    """The demo accounts in the database, with their passwords: the login
    page shows them (showcase/demo_logins.html), none before the seed."""
    db = get_db()
    exists = "SELECT 1 FROM user WHERE username = ?"
    return {
        username: password
        for username, password in DEMO_USERS.items()
        if db.execute(exists, (username,)).fetchone()
    }

"""``flask --app minitwit seed``: demo accounts, follows and messages to explore.

Safe to run any number of times (``nox -s serve`` runs it on every start): it
creates the tables if they are missing, loads the demo data only into an empty
database, and otherwise says the data is already there.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import click
from flask import current_app
from flask.cli import with_appcontext

from minitwit.users import hash_password, new_session_token
from minitwit.db import get_db, init_db, transaction

# [demo-data]
#: Every demo account's password (documented in the README).
DEMO_PASSWORD = "minitwit-demo"  # noqa: S105 (public on purpose: demo accounts)
DEMO_USERS = ["alice", "bob", "carol"]
#: Who follows whom: alice follows bob, bob follows alice and carol.
DEMO_FOLLOWS = [("alice", "bob"), ("bob", "alice"), ("bob", "carol")]
DEMO_MESSAGES = [
    ("alice", "Hello minitwit! My first message."),
    ("bob", "Reading the Flask docs. The app factory finally makes sense."),
    (
        "carol",
        "Tip: every POST form here carries a CSRF token. View the source!",
    ),
    ("alice", "Following bob, so his messages show up on my home timeline."),
    (
        "bob",
        "Flask-Login keeps me logged in; the remember-me cookie lasts 14 days.",
    ),
    (
        "carol",
        "The confirmation mail is printed in the terminal when no MAIL_SERVER is set.",
    ),
]
#: Enough messages for the public timeline to need a second page.
DEMO_ROUNDS = 6
# [/demo-data]


def tables_exist() -> bool:
    """Tell whether the schema has been created in ``DATABASE``."""
    row = (
        get_db()
        .execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'user'"
        )
        .fetchone()
    )
    return row is not None


def load_demo_data() -> None:
    """Insert the demo users (confirmed), their follows and messages, in one go."""
    db = get_db()
    start = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
    with transaction(db):
        ids = {}
        for name in DEMO_USERS:
            ids[name] = db.execute(
                "INSERT INTO user (username, email, pw_hash, session_token, confirmed_at, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    name,
                    f"{name}@example.com",
                    hash_password(DEMO_PASSWORD),
                    new_session_token(),
                    "2026-01-05T09:00:00Z",
                    "2026-01-05T09:00:00Z",
                ),
            ).lastrowid
        db.executemany(
            "INSERT INTO follower (who_id, whom_id) VALUES (?, ?)",
            [(ids[who], ids[whom]) for who, whom in DEMO_FOLLOWS],
        )
        messages = [
            (
                ids[author],
                text if n == 0 else f"{text} (#{n + 1})",
                (
                    start
                    + timedelta(minutes=17 * (n * len(DEMO_MESSAGES) + i))
                ).strftime("%Y-%m-%dT%H:%M:%SZ"),
            )
            for n in range(DEMO_ROUNDS)
            for i, (author, text) in enumerate(DEMO_MESSAGES)
        ]
        db.executemany(
            "INSERT INTO message (author_id, text, pub_date) VALUES (?, ?, ?)",
            messages,
        )


# [seed-command]
@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Create the tables if needed and load demo data into an empty database."""
    database = current_app.config["DATABASE"]
    if not tables_exist():
        init_db()
        click.echo(f"Initialised the database at {database}.")
    if get_db().execute("SELECT COUNT(*) FROM user").fetchone()[0] > 0:
        click.echo(
            "The database already has data; the demo data was not loaded."
        )
        return
    load_demo_data()
    click.echo(
        f"Loaded the demo data: users {', '.join(DEMO_USERS)}, password {DEMO_PASSWORD!r}."
    )


# [/seed-command]

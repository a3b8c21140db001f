"""minitwit's commands: ``seed`` (demo data) and ``expire-signups``.

``flask --app minitwit seed``: demo accounts, follows, roles and messages.

Safe to run any number of times (``nox -s serve`` runs it on every start): it
brings the tables up to date with the migrations (``db upgrade``), loads the
demo data only into an empty database, and otherwise says the data is
already there. Under ``flask run``, the login page then lists the demo
logins (``demo_logins``).

``flask --app minitwit expire-signups`` (daily, from cron or a systemd
timer): deletes the accounts whose address was never confirmed while the
link worked, so that the address's owner can sign up with it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import click
import flask_migrate  # type: ignore[import-untyped]  # ships no hints
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import delete, func, insert, inspect, select

from minitwit.models import Message, User, db, follower
from minitwit.roles import Role

#: Every demo account's password (documented in the README).
DEMO_PASSWORD = "minitwit-demo"  # noqa: S105 (public on purpose: demo)
DEMO_USERS = ["alice", "bob", "carol"]
#: Who follows whom: alice follows bob, bob follows alice and carol.
DEMO_FOLLOWS = [("alice", "bob"), ("bob", "alice"), ("bob", "carol")]
#: alice moderates, bob administers, carol has no role (roles.py).
DEMO_ROLES = [("alice", "moderator"), ("bob", "admin")]
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
        "Flask-Login keeps me logged in; "
        "the remember-me cookie lasts 14 days.",
    ),
    (
        "carol",
        "The confirmation mail is printed in the terminal when no "
        "MAIL_SERVER is set.",
    ),
]
#: Enough messages for the public timeline to need a second page.
DEMO_ROUNDS = 6


def load_demo_data() -> None:
    """Add the demo users (confirmed), their follows, roles and messages."""
    start = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
    users = {
        name: User(
            username=name,
            email=f"{name}@example.com",
            confirmed_at=start,
            created=start,
        )
        for name in DEMO_USERS
    }
    for user in users.values():
        user.set_password(DEMO_PASSWORD)
    db.session.add_all(users.values())
    db.session.flush()  # gives every user its id
    db.session.execute(
        insert(follower),
        [
            {"who_id": users[who].id, "whom_id": users[whom].id}
            for who, whom in DEMO_FOLLOWS
        ],
    )
    db.session.add_all(
        Role(user_id=users[name].id, name=role) for name, role in DEMO_ROLES
    )
    db.session.add_all(
        Message(
            author=users[author],
            text=text if n == 0 else f"{text} (#{n + 1})",
            pub_date=start
            + timedelta(minutes=17 * (n * len(DEMO_MESSAGES) + i)),
        )
        for n in range(DEMO_ROUNDS)
        for i, (author, text) in enumerate(DEMO_MESSAGES)
    )
    db.session.commit()


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Bring the tables up to date, then load demo data into an empty one."""
    tables = inspect(db.engine).get_table_names()
    if "message" in tables and "alembic_version" not in tables:
        raise click.ClickException(
            "This database was made without the migrations (by an older "
            "minitwit). Run 'flask --app minitwit init-db' to start it "
            "again: that deletes its data."
        )
    flask_migrate.upgrade()
    if db.session.scalar(select(func.count()).select_from(User)):
        click.echo(
            "The database already has data; the demo data was not loaded."
        )
        return
    load_demo_data()
    click.echo(
        f"Loaded the demo data: users {', '.join(DEMO_USERS)}, "
        f"password {DEMO_PASSWORD!r}."
    )


def demo_logins() -> dict[str, str]:
    """The demo accounts the database holds, with their password.

    In development the login page shows them (showcase/demo_logins.html):
    none before ``flask seed``.
    """
    names = db.session.scalars(
        select(User.username)
        .where(User.username.in_(DEMO_USERS))
        .order_by(User.username)
    )
    return {name: DEMO_PASSWORD for name in names}


@click.command("expire-signups")
@with_appcontext
def expire_signups_command() -> None:
    """Delete the accounts never confirmed while their link worked."""
    age = timedelta(seconds=current_app.config["CONFIRM_TOKEN_MAX_AGE"])
    expired = User.created < datetime.now(timezone.utc) - age
    unconfirmed = delete(User).where(User.confirmed_at.is_(None), expired)
    count = len(db.session.scalars(unconfirmed.returning(User.id)).all())
    db.session.commit()
    click.echo(f"Deleted {count} account(s) never confirmed.")

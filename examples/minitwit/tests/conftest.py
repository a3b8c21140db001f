"""Fixtures for minitwit's tests, in the Flask tutorial's style.

``app`` is minitwit on empty tables (CSRF on, as in production); ``client``
is a browser without a server; ``runner`` runs minitwit's ``flask``
commands; ``auth`` signs up, confirms and logs in through the real forms.

The suite runs on SQLite, or on PostgreSQL with
``MINITWIT_TEST_DATABASE=postgresql`` (``postgres.py`` starts the server).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sent_mail import recorded_mail
from sqlalchemy import text

from showcase.testing import submit_form

# The throwaway PostgreSQL server, for runs on PostgreSQL.
pytest_plugins = ["postgres"]

#: Where the links in test mails point (MAIL_LINK_BASE).
LINK_BASE = "http://minitwit.test"
PASSWORD = "correct-horse"
NOW = datetime.now(timezone.utc)


def flashed(client: FlaskClient) -> list[tuple[str, str]]:
    """The (category, message) pairs flashed and not shown yet."""
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def make_config(tmp_path: Path, **settings: Any) -> dict[str, Any]:
    """The settings of a test app: a new database, test keys."""
    import postgres

    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        **postgres.new_database(tmp_path),
        "MAIL_LINK_BASE": LINK_BASE,
        "AVATAR_FOLDER": str(tmp_path / "avatars"),
        # scrypt takes ~0.1 s a hash on purpose; tests need no such cost.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        **settings,
    }


class Browser(FlaskClient):
    """The test client, closing each response as a server does once it has
    sent it (minitwit's mails leave then)."""

    def open(self, *args: Any, buffered: bool = True, **kwargs: Any):
        """Send a request; the response is read whole and closed."""
        return super().open(*args, buffered=buffered, **kwargs)


def new_app(config: dict[str, Any]) -> Flask:
    """minitwit with ``config``, tested with :class:`Browser`."""
    from minitwit import create_app

    app = create_app(config)
    app.test_client_class = Browser
    return app


@pytest.fixture
def make_app(tmp_path: Path):
    """Build minitwits of the test's own: ``make_app(AVATARS="gravatar")``."""
    from minitwit.models import db

    apps: list[Flask] = []

    def make(**settings: Any) -> Flask:
        apps.append(new_app(make_config(tmp_path, **settings)))
        return apps[-1]

    yield make
    for app in apps:  # PostgreSQL counts open connections
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def shared_app(tmp_path_factory: pytest.TempPathFactory):
    """One minitwit for the whole run: building one per test is slow."""
    # minitwit is imported here, not at the top: built along its chapter
    # (steps/minitwit), the first steps have no create_app yet.
    from minitwit.models import db

    app = new_app(make_config(tmp_path_factory.mktemp("app")))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(shared_app: Flask):
    """minitwit on empty tables, no attempts counted; config restored."""
    from minitwit.models import db

    with shared_app.app_context():
        db.create_all()  # if a test dropped the tables
        if db.engine.dialect.name == "postgresql":  # ids from 1 again
            tables = ", ".join(db.metadata.tables)
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY"))
        for table in reversed(db.metadata.sorted_tables):  # SQLite
            db.session.execute(table.delete())
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
    # Flask-Limiter (from the chapter's "Security" step on), counts emptied.
    for limiter in shared_app.extensions.get("limiter", ()):
        limiter.init_app(shared_app)
    config = dict(shared_app.config)
    yield shared_app
    shared_app.config.clear()
    shared_app.config.update(config)


@pytest.fixture
def client(app):
    """A browser that talks to the app without a server."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Runs the app's ``flask`` commands, such as ``seed``."""
    return app.test_cli_runner()


def sql(app: Flask, statement: str, **params: Any) -> list[Any]:
    """Run SQL straight on the app's database, commit, return the rows."""
    from minitwit.models import db

    with app.app_context(), db.engine.begin() as connection:
        result = connection.execute(text(statement), params)
        return list(result.mappings()) if result.returns_rows else []


def mail_link(message) -> str:
    """The path of the link in a mail; both parts carry it, on LINK_BASE."""
    url = re.search(r"https?://\S+", message.body or "")[0]  # type: ignore[index]
    assert url.startswith(LINK_BASE + "/") and url in (message.html or "")
    return url.removeprefix(LINK_BASE)


class AuthActions:
    """Sign up, confirm, log in and out through minitwit's real pages."""

    def __init__(self, client) -> None:
        self.client = client
        self.confirm_link: str | None = None

    def register(self, username="alice", email=None, password=PASSWORD,
                 password2=None):  # fmt: skip
        """Sign up; keep the mailed link; log in as the new user would."""
        data = {
            "username": username,
            "email": email if email is not None else f"{username}@example.com",
            "password": password,
            "password2": password if password2 is None else password2,
        }
        with recorded_mail() as outbox:
            response = submit_form(self.client, "/register", data)
        if outbox and "/confirm/" in (outbox[0].body or ""):
            self.confirm_link = mail_link(outbox[0])
        if response.location == "/login":
            self.login(username, password)
        return response

    def confirm(self):
        """Open the last confirmation link and press its button."""
        assert self.confirm_link is not None
        return submit_form(self.client, self.confirm_link)

    def signup(self, username="alice", password=PASSWORD):
        """A confirmed account, logged in: it can post and follow.

        Made straight in the database, which is quicker than the sign-up
        form and the mailed link (their own tests go through them).
        """
        from minitwit.models import User, db

        with self.client.application.app_context():
            email = f"{username}@example.com"
            user = User(username=username, email=email, confirmed_at=NOW)
            user.set_password(password)
            db.session.add(user)
            db.session.commit()
        return self.login(username, password)

    def login(self, username="alice", password=PASSWORD, remember=False,
              next_url=None):  # fmt: skip
        """Fill in the login form, ticking "remember me" if asked."""
        data = {"username": username, "password": password}
        if remember:
            data["remember"] = "y"
        url = (
            "/login" if next_url is None else f"/login?next={quote(next_url)}"
        )
        return submit_form(self.client, url, data)

    def logout(self):
        """Press "Log out" in the navigation."""
        return submit_form(self.client, "/logout", form_url="/public")


@pytest.fixture
def auth(client):
    """Account actions through the real forms, for ``client``."""
    return AuthActions(client)

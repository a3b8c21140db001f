"""Fixtures for minitwit's tests, in the Flask tutorial's style.

``app`` is minitwit on a fresh, empty database (CSRF stays on, as in
production); ``client`` is a browser without a server; ``runner`` runs its
``flask`` commands; ``auth`` signs up, confirms and logs in through the real
forms, reading the CSRF token like a browser and the link from the mail.

The suite runs on SQLite, or on PostgreSQL with
``MINITWIT_TEST_DATABASE=postgresql``: then every test gets a new database
on a throwaway server that the tests start once (``tests/postgres.py``).
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import postgres
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_mail import Message
from sent_mail import recorded_mail
from sqlalchemy import text
from sqlalchemy.pool import NullPool
from werkzeug.test import TestResponse

from showcase.testing import submit_form

#: Where the links in test mails point (MAIL_LINK_BASE).
LINK_BASE = "http://minitwit.test"
PASSWORD = "correct-horse"

#: The engine the suite runs on: "sqlite" (the default) or "postgresql".
ENGINE = os.environ.get("MINITWIT_TEST_DATABASE", "sqlite")
if ENGINE not in {"sqlite", "postgresql"}:
    raise pytest.UsageError(
        f"MINITWIT_TEST_DATABASE must be sqlite or postgresql, not {ENGINE!r}"
    )

#: Lines for the end of the run's report (the load test's figures).
summary_lines: list[str] = []

_server: postgres.Server | None = None
_unavailable: str | None = None
_database_numbers = itertools.count(1)


def postgres_server() -> postgres.Server:
    """The run's PostgreSQL server, started on first use; skip without one.

    In CI (``CI=true``) a missing server fails the test instead: there the
    PostgreSQL tests must run.
    """
    global _server, _unavailable
    if _server is None and _unavailable is None:
        try:
            _server = postgres.start()
        except postgres.Unavailable as reason:
            _unavailable = str(reason)
    if _server is None:
        message = f"PostgreSQL tests did not run: {_unavailable}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true, so this is an error. {message}")
        pytest.skip(message)
    return _server


def pytest_sessionstart(session: pytest.Session) -> None:
    """On PostgreSQL, start the server first, or stop and say why."""
    if ENGINE == "sqlite":
        return
    try:
        postgres_server()
    except (pytest.skip.Exception, pytest.fail.Exception) as stop:
        # Every test would skip (or fail, in CI): stop here, say why once.
        failed = isinstance(stop, pytest.fail.Exception)
        pytest.exit(str(stop.msg), returncode=1 if failed else 0)


def pytest_report_header(config: pytest.Config) -> str:
    """Say which engine the suite runs on."""
    if _server is None:
        return "minitwit database: SQLite"
    return f"minitwit database: {_server.version}"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Log the PostgreSQL server the tests ran on, or why none ran."""
    for line in summary_lines:
        terminalreporter.write_line(line)
    if _server is not None:
        terminalreporter.write_line(
            f"PostgreSQL tests ran on: {_server.version}"
        )
    elif _unavailable is not None:
        terminalreporter.write_line(
            f"PostgreSQL tests did not run: {_unavailable}"
        )


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the PostgreSQL server at the end of the run."""
    if _server is not None:
        _server.stop()


def postgres_config(name: str, pooled: bool = False) -> dict[str, Any]:
    """The config keys of a new, empty PostgreSQL database called ``name``.

    Unless ``pooled``, no connection pool: each connection closes when the
    request ends, so the apps of finished tests hold none open.
    """
    config: dict[str, Any] = {
        "DATABASE_URL": postgres_server().create_database(name)
    }
    if not pooled:
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": NullPool}
    return config


def new_database(tmp_path: Path) -> dict[str, Any]:
    """The config keys of a new, empty database on the suite's engine."""
    if ENGINE == "postgresql":
        return postgres_config(f"test_{next(_database_numbers)}")
    return {"DATABASE": str(tmp_path / "minitwit.sqlite")}


def make_config(
    tmp_path: Path, database: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The settings every test app uses: a new database, test keys."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        **(database or new_database(tmp_path)),
        "MAIL_LINK_BASE": LINK_BASE,
        # scrypt takes ~0.1 s per hash by design; a cheap method keeps the
        # suite fast. test_auth checks that the default really is scrypt.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


def close_database(app: Flask) -> None:
    """Close every pooled connection of ``app`` (PostgreSQL counts them)."""
    # minitwit is imported in the functions, not at the top: building it
    # along its chapter (steps/minitwit), the skeleton has no code yet.
    from minitwit.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def empty_tables(app: Flask) -> None:
    """Give ``app`` its tables back, empty, whatever the last test did.

    Emptying three tables takes a millisecond; a new database per test
    (or, on PostgreSQL, a copy of a 7 MB template) takes much longer.
    """
    from minitwit.extensions import db

    with app.app_context():
        db.create_all()  # if a test dropped them (init-db, migrations)
        if ENGINE == "postgresql":
            statements = [
                "SET lock_timeout = '10s'",  # an error, never a hang
                "TRUNCATE account, follower, message RESTART IDENTITY",
            ]
        else:
            # Ids start at 1 again: SQLite takes the largest id plus one.
            statements = [
                "DELETE FROM message",
                "DELETE FROM follower",
                "DELETE FROM account",
            ]
        statements.append("DROP TABLE IF EXISTS alembic_version")
        for statement in statements:
            db.session.execute(text(statement))
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="session")
def shared_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One minitwit for the whole run, on one database.

    Building an app, and compiling its templates on its first pages, was
    most of a short test's time. So the tests share one app; the ``app``
    fixture empties its tables before each test.
    """
    from minitwit import create_app

    folder = tmp_path_factory.mktemp("shared")
    database = (
        # Pooled, as on a server: no new connection for each request.
        postgres_config("app", pooled=True)
        if ENGINE == "postgresql"
        else {"DATABASE": str(folder / "minitwit.sqlite")}
    )
    app = create_app(make_config(folder, database))
    yield app
    close_database(app)


@pytest.fixture
def app(shared_app: Flask) -> Iterator[Flask]:
    """minitwit on empty tables, with no attempts counted by its limits.

    What a test changes in ``app.config`` is undone after it.
    """
    from minitwit.extensions import limiter

    empty_tables(shared_app)
    # minitwit's one Limiter takes the settings of the last app built (some
    # tests build their own): give it back to this app, with empty counts.
    # (Built along its chapter, steps/minitwit, the app has no limits
    # before step 11.)
    if limiter in shared_app.extensions.get("limiter", set()):
        limiter.init_app(shared_app)
    config = dict(shared_app.config)
    yield shared_app
    shared_app.config.clear()
    shared_app.config.update(config)


def sql(app: Flask, statement: str, **params: Any) -> list[Any]:
    """Run raw SQL on ``app``'s database, commit, return the rows (if any).

    For tests that look at or change the tables behind the app's back.
    """
    from minitwit.extensions import db

    with app.app_context(), db.engine.begin() as connection:
        result = connection.execute(text(statement), params)
        return list(result.mappings()) if result.returns_rows else []


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client: a browser that talks to the app without a server."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A runner for the app's ``flask`` commands, such as ``seed``."""
    return app.test_cli_runner()


def mail_link(message: Message) -> str:
    """The path of the link in a mail (text part), checked to use LINK_BASE."""
    body, html = message.body or "", message.html or ""
    match = re.search(r"(https?://\S+)", body)
    assert match, f"no link in the mail:\n{body}"
    url = match.group(1)
    assert url.startswith(LINK_BASE + "/"), url
    assert url in html  # the HTML part carries the same link
    return url.removeprefix(LINK_BASE)


class AuthActions:
    """Sign up, confirm, log in and out through the real pages of minitwit."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        #: The path of the last confirmation link mailed by :meth:`register`.
        self.confirm_link: str | None = None

    def register(
        self,
        username: str = "alice",
        email: str | None = None,
        password: str = PASSWORD,
        password2: str | None = None,
    ) -> TestResponse:
        """Fill in the sign-up form, keep the confirmation link it mails,
        and log in as the new user would (signing up does not)."""
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

    def confirm(self) -> TestResponse:
        """Open the last confirmation link and press its button."""
        assert self.confirm_link is not None
        return submit_form(self.client, self.confirm_link)

    def signup(
        self, username: str = "alice", password: str = PASSWORD
    ) -> TestResponse:
        """Register and confirm: the account (logged in) can post, follow."""
        response = self.register(username, password=password)
        assert response.status_code == 302, response.get_data(as_text=True)
        return self.confirm()

    def login(
        self,
        username: str = "alice",
        password: str = PASSWORD,
        remember: bool = False,
        next_url: str | None = None,
    ) -> TestResponse:
        """Fill in the login form (ticking "remember me" if asked)."""
        data = {"username": username, "password": password}
        if remember:
            data["remember"] = "y"
        url = (
            "/login"
            if next_url is None
            else "/login?" + urlencode({"next": next_url})
        )
        return submit_form(self.client, url, data)

    def logout(self) -> TestResponse:
        """Press the "Log out" button in the navigation."""
        return submit_form(self.client, "/logout", form_url="/public")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """Account actions through the real forms, for the ``client`` browser."""
    return AuthActions(client)

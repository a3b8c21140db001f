"""Fixtures for the flaskr tests, as in the Flask tutorial.

``app`` is flaskr on a fresh copy of the test database, ``client`` a
browser without a server, ``runner`` the ``flask`` command, and ``auth``
logs in and out through the real forms.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

import pytest

import flaskr
from showcase.testing import submit_form

DATA_SQL = (Path(__file__).parent / "data.sql").read_text("utf-8")

#: The settings of every test app.
TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    # Few iterations: logging in takes microseconds. The hashes in data.sql
    # are made with the same method.
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
}


@pytest.fixture(scope="session")
def built_app(tmp_path_factory):
    """flaskr and the test database, built once and shared by the tests."""
    # Here, not at the top: building flaskr along its chapter, this file
    # loads before create_app and db.py exist.
    from flaskr.db import get_db, init_db

    database = tmp_path_factory.mktemp("data") / "flaskr.sqlite"
    app = flaskr.create_app({**TEST_CONFIG, "DATABASE": str(database)})
    with app.app_context():
        init_db()
        get_db().executescript(DATA_SQL)
    return app


@pytest.fixture
def app(built_app, tmp_path):
    """flaskr on a fresh copy of the test database.

    Building an app takes longer than most tests, so they share one. Each
    test gets its own database, its login attempts count from zero, and
    what it changes in ``app.config`` is undone after it.
    """
    config = dict(built_app.config)
    database = shutil.copy(config["DATABASE"], tmp_path)
    built_app.config["DATABASE"] = database
    for limiter in built_app.extensions.get("limiter", ()):
        limiter.reset()
    # One connection open all along, as on a busy server: SQLite keeps its
    # WAL file, and each request opens the database ten times faster.
    with contextlib.closing(sqlite3.connect(database)) as connection:
        connection.execute("SELECT 1 FROM user")
        yield built_app
    built_app.config.clear()
    built_app.config.update(config)


def flashed(client) -> list[tuple[str, str]]:
    """The (category, message) pairs waiting to be shown to ``client``."""
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


@pytest.fixture
def client(app):
    """A test client: a browser that talks to the app without a server."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A runner for the app's ``flask`` commands, such as ``init-db``."""
    return app.test_cli_runner()


class AuthActions:
    """Log in and out through the real forms, CSRF token included."""

    def __init__(self, client):
        self._client = client

    def login(self, username="test", password="test-password"):  # noqa: S107
        """Fill in and send the login form."""
        return submit_form(
            self._client,
            "/auth/login",
            {"username": username, "password": password},
        )

    def logout(self):
        """Press the "Log Out" button (a POST form on every page)."""
        return submit_form(self._client, "/auth/logout", form_url="/")


@pytest.fixture
def auth(client):
    """Log in as ``test`` (or anyone) with ``auth.login()``, out likewise."""
    return AuthActions(client)

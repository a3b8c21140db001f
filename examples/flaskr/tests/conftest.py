"""Fixtures for the flaskr tests, as in the Flask tutorial.

``app`` is flaskr on a new database with the test data, ``client`` a
browser without a server, ``runner`` the ``flask`` command, and ``auth``
logs in and out through the real forms.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.test import TestResponse

import flaskr
from showcase.testing import submit_form

DATA_SQL = (Path(__file__).parent / "data.sql").read_text("utf-8")

#: The settings every test app gets. A real secret key: showcase.init_app
#: refuses the development key anywhere but ``flask run --debug``.
TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    # Few iterations: logging in during a test takes microseconds. The
    # hashes in data.sql are made with the same method.
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
}


@pytest.fixture
def make_app(tmp_path: Path):
    """Build flaskr with the test settings plus ``extra`` ones."""

    def make(**extra) -> Flask:
        database = str(tmp_path / "flaskr.sqlite")
        return flaskr.create_app(
            {**TEST_CONFIG, "DATABASE": database, **extra}
        )

    return make


@pytest.fixture(scope="session")
def shared_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """One flaskr app for the whole run, on a database with the test data.

    Building an app compiles its URL rules, and its first pages compile the
    templates: most of a short test's time. So the tests share one app.
    """
    # Imported here, not at the top: building flaskr along its chapter
    # (steps/flaskr), the factory's tests run before db.py exists.
    from flaskr.db import get_db, init_db

    database = tmp_path_factory.mktemp("data") / "flaskr.sqlite"
    app = flaskr.create_app({**TEST_CONFIG, "DATABASE": str(database)})
    with app.app_context():
        init_db()
        get_db().executescript(DATA_SQL)
    return app


@pytest.fixture
def app(shared_app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """flaskr on a new copy of the test database, in a temporary folder.

    CSRF protection and the login limits stay on: the tests send the token
    the way a browser does. Each test starts with no attempts counted, and
    what it changes in ``app.config`` is undone after it.
    """
    database = tmp_path / "flaskr.sqlite"
    shutil.copyfile(shared_app.config["DATABASE"], database)
    config = dict(shared_app.config)
    shared_app.config["DATABASE"] = str(database)
    # The login limits (Flask-Limiter, from auth.py) count from zero.
    for limiter in shared_app.extensions.get("limiter", ()):
        limiter.reset()
    yield shared_app
    shared_app.config.clear()
    shared_app.config.update(config)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client: a browser that talks to the app without a server."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A runner for the app's ``flask`` commands, such as ``init-db``."""
    return app.test_cli_runner()


class AuthActions:
    """Log in and out through the real forms, CSRF token included."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(
        self,
        username: str = "test",
        password: str = "test-password",  # noqa: S107 (test data)
    ) -> TestResponse:
        """Fill in and send the login form."""
        return submit_form(
            self._client,
            "/auth/login",
            {"username": username, "password": password},
        )

    def logout(self) -> TestResponse:
        """Press the "Log Out" button (a POST form on every page)."""
        return submit_form(self._client, "/auth/logout", form_url="/")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """Log in as ``test`` (or anyone) with ``auth.login()``, out likewise."""
    return AuthActions(client)

"""Fixtures for the flaskr tests: an app on a fresh database, and logging in.

``client`` (a browser without a server) and ``runner`` (the ``flask``
command) come from the shared showcase pytest plugin; they use ``app`` below.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from flaskr import create_app
from flaskr.db import get_db, init_db
from showcase.testing import submit_form

DATA_SQL = (Path(__file__).parent / "data.sql").read_text("utf-8")


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    """A flaskr app on a new database in a temporary folder, with the test data.

    CSRF protection stays on: the tests send the token the way a browser does.
    """
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DATABASE": str(tmp_path / "flaskr.sqlite"),
        }
    )
    with app.app_context():
        init_db()
        get_db().executescript(DATA_SQL)
    return app


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
    """Log in as ``test`` (or anyone) with ``auth.login()``, out with ``auth.logout()``."""
    return AuthActions(client)

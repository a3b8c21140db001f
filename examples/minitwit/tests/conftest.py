"""Fixtures for minitwit's tests, in the Flask tutorial's style.

``app`` is minitwit on a fresh temporary database (CSRF stays on, as in
production); ``client`` is a browser without a server; ``runner`` runs its
``flask`` commands; ``auth`` signs up, confirms and logs in through the real
forms, reading the CSRF token like a browser and the link from the mail.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_mail import Message
from werkzeug.test import TestResponse

from minitwit import create_app
from minitwit.mail import mail
from minitwit.db import init_db
from showcase.testing import submit_form

#: Where the links in test mails point (MAIL_LINK_BASE).
LINK_BASE = "http://minitwit.test"
PASSWORD = "correct-horse"


def make_config(tmp_path) -> dict:
    """The settings every test app uses: a temporary database, test keys."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE": str(tmp_path / "minitwit.sqlite"),
        "MAIL_LINK_BASE": LINK_BASE,
        # scrypt takes ~0.1 s per hash by design; a cheap method keeps the
        # suite fast. test_auth checks that the default really is scrypt.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


@pytest.fixture
def app(tmp_path) -> Flask:
    """minitwit on a new, empty database under ``tmp_path``."""
    app = create_app(make_config(tmp_path))
    with app.app_context():
        init_db()
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client: a browser that talks to the app without a server."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A runner for the app's ``flask`` commands, such as ``seed``."""
    return app.test_cli_runner()


def mail_link(message: Message) -> str:
    """The path of the link in a mail (its text part), checked to use LINK_BASE."""
    match = re.search(r"(https?://\S+)", message.body)
    assert match, f"no link in the mail:\n{message.body}"
    url = match.group(1)
    assert url.startswith(LINK_BASE + "/"), url
    assert url in message.html  # the HTML part carries the same link
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
        """Fill in the sign-up form; remember the confirmation link it mails."""
        data = {
            "username": username,
            "email": email if email is not None else f"{username}@example.com",
            "password": password,
            "password2": password if password2 is None else password2,
        }
        with mail.record_messages() as outbox:
            response = submit_form(self.client, "/register", data)
        if outbox:
            self.confirm_link = mail_link(outbox[0])
        return response

    def confirm(self) -> TestResponse:
        """Open the last confirmation link and press its button."""
        assert self.confirm_link is not None
        return submit_form(self.client, self.confirm_link)

    def signup(
        self, username: str = "alice", password: str = PASSWORD
    ) -> TestResponse:
        """Register and confirm: the account can post and follow (and is logged in)."""
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

"""The same app tested with Flask-Testing's ``TestCase``, unittest style.

``showcase.testing.TestCase`` adds an ``assert_redirects`` that understands the
relative ``Location`` headers of today's Werkzeug. Flask-Testing records which
template was rendered last, with its context, and every flashed message.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from flaskr import create_app
from flaskr.db import get_db, init_db
from showcase.testing import TestCase, submit_form

#: The build-along step that makes these tests pass (steps/flaskr).
pytestmark = pytest.mark.step(5)

DATA_SQL = (Path(__file__).parent / "data.sql").read_text("utf-8")


class FlaskrTestCase(TestCase):
    """flaskr on a fresh database with the test data, for every test."""

    def create_app(self):
        """Build the app Flask-Testing uses (called before every test)."""
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret-key-not-for-production",
                "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                "DATABASE": f"{folder.name}/flaskr.sqlite",
            }
        )
        with app.app_context():
            init_db()
            get_db().executescript(DATA_SQL)
        return app

    def login(
        self,
        username="test",
        password="test-password",  # noqa: S107 (test data)
    ):
        """Log in through the real form."""
        return submit_form(
            self.client,
            "/auth/login",
            {"username": username, "password": password},
        )

    @pytest.mark.step(7)
    def test_index_template_and_context(self):
        """The index renders blog/index.html with the first page of posts."""
        response = self.client.get("/")
        self.assert200(response)
        self.assert_template_used("blog/index.html")
        self.assert_context("older", None)
        self.assert_context("newer", None)
        self.assertEqual(
            [post["title"] for post in self.get_context_variable("posts")],
            ["test title"],
        )

    @pytest.mark.step(7)
    def test_register_then_login(self):
        """Registering leads to login with a message; logging in, home."""
        response = submit_form(
            self.client,
            "/auth/register",
            {"username": "new", "password": "new-password"},
        )
        self.assert_redirects(response, "/auth/login")
        self.assert_message_flashed(
            "Registered. You can log in now.", "success"
        )
        self.assert_redirects(self.login("new", "new-password"), "/")

    def test_failed_login_flashes_one_message(self):
        """A wrong password re-renders the form with one error message."""
        response = self.login(password="wrong-password")
        self.assert400(response)
        self.assert_template_used("auth/login.html")
        self.assert_context("username", "test")
        self.assert_message_flashed("Incorrect username or password.", "error")

    @pytest.mark.step(7)
    def test_create_flashes_and_redirects(self):
        """Publishing a post redirects to the index with a message."""
        self.login()
        response = submit_form(
            self.client, "/create", {"title": "from unittest", "body": ""}
        )
        self.assert_redirects(response, "/")
        self.assert_message_flashed("Post published.", "success")

    @pytest.mark.step(7)
    def test_create_errors_in_context(self):
        """Form errors reach the template by field name."""
        self.login()
        response = submit_form(
            self.client, "/create", {"title": "", "body": ""}
        )
        self.assert400(response)
        self.assert_template_used("blog/create.html")
        self.assert_context("errors", {"title": "Title is required."})

    @pytest.mark.step(7)
    def test_update_someone_elses_post(self):
        """Another user's post: 403 Forbidden, from the shared error page."""
        self.login("other", "other-password")
        self.assert403(self.client.get("/1/update"))
        self.assert_template_used("showcase/error.html")

    @pytest.mark.step(7)
    def test_update_missing_post(self):
        """A post that does not exist: 404 Not Found."""
        self.login()
        self.assert404(self.client.get("/42/update"))

    @pytest.mark.step(7)
    def test_anonymous_create_redirects_to_login(self):
        """login_required sends visitors to the login page with next."""
        self.assert_redirects(
            self.client.get("/create"), "/auth/login?next=/create"
        )

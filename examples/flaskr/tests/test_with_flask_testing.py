"""The same app tested with Flask-Testing's ``TestCase``, unittest style.

``showcase.testing.TestCase`` adds an ``assert_redirects`` that understands the
relative ``Location`` headers of today's Werkzeug. Flask-Testing records which
template was rendered last, with its context, and every flashed message.
"""

from __future__ import annotations

import pytest
from html_page import Page

from showcase.testing import TestCase, submit_form

#: The build-along step that makes these tests pass (steps/flaskr).
pytestmark = pytest.mark.step(4)


class FlaskrTestCase(TestCase):
    """flaskr on a fresh copy of the test database, for every test."""

    @pytest.fixture(autouse=True)
    def use_the_test_app(self, app):
        """Take the ``app`` fixture of conftest.py (pytest runs this first)."""
        self.test_app = app

    def create_app(self):
        """Give Flask-Testing the app to test (called before every test)."""
        return self.test_app

    def flashed_categories(self) -> list[str]:
        """The categories of the messages flashed by this test's requests."""
        return [category for _, category in self.flashed_messages]

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

    @pytest.mark.finished
    @pytest.mark.step(6)
    def test_index_template_and_context(self):
        """The index shows the test post."""
        response = self.client.get("/")
        self.assert200(response)
        self.assert_template_used("blog/index.html")
        self.assertEqual(
            [post["title"] for post in self.get_context_variable("posts")],
            ["test title"],
        )

    @pytest.mark.step(6)
    def test_register_then_login(self):
        """Registering leads to login with a message; logging in, home."""
        response = submit_form(
            self.client,
            "/auth/register",
            {"username": "new", "password": "new-password"},
        )
        self.assert_redirects(response, "/auth/login")
        self.assertEqual(self.flashed_categories(), ["success"])
        self.assert_redirects(self.login("new", "new-password"), "/")

    def test_failed_login_flashes_one_message(self):
        """A wrong password: the form again, the username kept, one error."""
        response = self.login(password="wrong-password")
        self.assert400(response)
        self.assert_template_used("auth/login.html")
        form = Page(response.text).form_with("username")
        self.assertEqual(form["username"]["value"], "test")
        self.assertEqual(self.flashed_categories(), ["error"])

    @pytest.mark.finished
    @pytest.mark.step(6)
    def test_create_errors_in_context(self):
        """A post without a title: the form again, the error by the title."""
        self.login()
        response = submit_form(
            self.client, "/create", {"title": "", "body": ""}
        )
        self.assert400(response)
        self.assert_template_used("blog/create.html")
        self.assert_context("errors", {"title": "Title is required."})

    @pytest.mark.finished
    @pytest.mark.step(7)
    def test_update_someone_elses_post(self):
        """Another user's post: 403 Forbidden, from the shared error page."""
        self.login("other", "other-password")
        self.assert403(self.client.get("/1/update"))
        self.assert_template_used("showcase/error.html")

"""The same app tested with Flask-Testing's ``TestCase`` (unittest style).

:class:`MinitwitTestCase` builds minitwit on a temporary database for each
test. It extends ``showcase.testing.TestCase``: Flask-Testing's ``TestCase``
with two fixes (relative ``Location`` headers in ``assert_redirects``, and a
fresh context for every request). Each test gets ``self.app`` from
:meth:`MinitwitTestCase.create_app` and ``self.client``; the assertions below
(templates used, context variables, flashed messages) are what Flask-Testing
adds to plain pytest.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import PASSWORD, AuthActions, make_config, new_app
from html_page import Page

from minitwit.models import db
from showcase.testing import TestCase, submit_form

pytestmark = pytest.mark.step(3)


class MinitwitTestCase(TestCase):
    """Builds minitwit on a temporary database for each test."""

    #: Render the templates, so a test sees the page a browser would.
    render_templates = True

    def create_app(self):
        """Flask-Testing calls this before each test: a fresh app."""
        self.tmpdir = Path(tempfile.mkdtemp())
        app = new_app(make_config(self.tmpdir))
        with app.app_context():
            db.create_all()
        return app

    def setUp(self):
        """Give each test the sign-up and log-in helpers of conftest.py."""
        self.auth = AuthActions(self.client)

    def tearDown(self):
        """Close the test's database and delete its folder."""
        with self.app.app_context():
            db.engine.dispose()
        shutil.rmtree(self.tmpdir)


class TestPages(MinitwitTestCase):
    def test_public_timeline_template_and_context(self):
        response = self.client.get("/public")
        self.assert200(response)
        self.assert_template_used("public.html")
        self.assert_context("messages", [])
        self.assertIsNone(Page(response.text).link("prev"))  # no Newer link

    def test_home_redirects_anonymous_to_public(self):
        self.assert_redirects(self.client.get("/"), "/public")

    def test_unknown_user(self):
        self.assert404(self.client.get("/nobody"))

    @pytest.mark.step(16)
    def test_get_on_a_post_only_route(self):
        self.assert405(self.client.get("/logout"))


class TestAccounts(MinitwitTestCase):
    @pytest.mark.step(9)
    def test_register_form_in_context(self):
        from minitwit.forms import RegisterForm

        self.client.get("/register")
        self.assert_template_used("auth/register.html")
        self.assertIsInstance(self.get_context_variable("form"), RegisterForm)

    @pytest.mark.step(10)
    def test_register_flashes_welcome(self):
        response = self.auth.register("alice")
        self.assert_redirects(response, "/login")
        self.assert_message_flashed(
            "We sent a mail to alice@example.com: open its link.", "success"
        )

    @pytest.mark.step(9)
    def test_login_error_renders_the_form_with_400(self):
        from minitwit.forms import LoginForm

        self.auth.register("alice")
        self.auth.logout()
        response = self.auth.login("alice", "wrong-password")
        self.assert400(response)
        self.assert_template_used("auth/login.html")
        form = self.get_context_variable("form")
        self.assertIsInstance(form, LoginForm)
        self.assertEqual(form.form_errors, ["Invalid username or password."])

    @pytest.mark.step(9)
    def test_login_flashes_and_redirects(self):
        self.auth.register("alice")
        self.auth.logout()
        self.assert_redirects(self.auth.login("alice", PASSWORD), "/")
        self.assert_message_flashed("You were logged in.", "success")

    @pytest.mark.step(10)
    def test_confirm_page_then_button(self):
        self.auth.register("alice")
        self.client.get(self.auth.confirm_link)
        self.assert_template_used("auth/confirm.html")
        self.assert_redirects(self.auth.confirm(), "/")
        self.assert_message_flashed(
            "Thank you, your address is confirmed.", "success"
        )

    @pytest.mark.step(11)
    def test_bad_link_page(self):
        self.assert400(self.client.get("/reset/nonsense"))
        self.assert_template_used("auth/link_invalid.html")
        self.assert_context("kind", "reset")


class TestFollowing(MinitwitTestCase):
    @pytest.mark.step(13)
    def test_follow_and_unfollow_flash(self):
        self.auth.signup("foo")
        self.auth.logout()
        self.auth.signup("bar")
        self.assert_redirects(
            submit_form(self.client, "/foo/follow", form_url="/foo"), "/foo"
        )
        self.assert_message_flashed("You are now following foo.", "success")
        page = Page(self.client.get("/foo").text)
        self.assertIsNotNone(page.form_to("/foo/unfollow"))
        self.assert_redirects(
            submit_form(self.client, "/foo/unfollow", form_url="/foo"), "/foo"
        )
        self.assert_message_flashed(
            "You are no longer following foo.", "success"
        )
        page = Page(self.client.get("/foo").text)
        self.assertIsNone(page.form_to("/foo/unfollow"))

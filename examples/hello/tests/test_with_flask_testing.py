"""The same app tested in Flask-Testing's unittest style.

Flask-Testing records the template each request renders (only the last one)
and the messages it flashes, so a test can check what a view decided, not
only the HTML it produced. ``showcase.testing.TestCase`` fixes
``assert_redirects`` for the relative ``Location`` headers Werkzeug sends.
"""

import io
import shutil
import tempfile

import pytest

import hello
from showcase.testing import TestCase, submit_form

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(1)


class HelloTestCase(TestCase):
    """Each test gets hello's app with an empty upload folder of its own."""

    def create_app(self):
        """Set up the app under test (Flask-Testing calls this first)."""
        folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, folder)
        saved = dict(hello.app.config)
        self.addCleanup(hello.app.config.update, saved)
        hello.app.config.update(
            TESTING=True, UPLOAD_FOLDER=folder, SESSION_COOKIE_SECURE=False
        )
        return hello.app


class TestPages(HelloTestCase):
    def test_index_template(self):
        response = self.client.get("/")
        self.assert200(response)
        self.assert_template_used("index.html")

    @pytest.mark.step(3)
    def test_capitalize_context(self):
        self.client.get("/capitalize/<script>")
        self.assert_template_used("capitalize.html")
        self.assert_context("word", "<script>")
        self.assert_context("capitalized", "<script>")

    @pytest.mark.step(3)
    def test_add_context(self):
        self.client.get("/add/-3/5")
        self.assert_context("n1", -3)
        self.assert_context("n2", 5)
        self.assert_context("total", 2)

    @pytest.mark.step(12)
    def test_add_with_a_word_is_hellos_404(self):
        self.assert404(self.client.get("/add/x/1"))
        self.assert_template_used("404.html")

    @pytest.mark.step(12)
    def test_missing_note_is_hellos_404(self):
        self.assert404(self.client.get("/notes/42"))
        self.assert_template_used("404.html")
        self.assertIn("42", self.get_context_variable("error").description)

    @pytest.mark.step(12)
    def test_staff_only_is_the_shared_error_page(self):
        self.assert403(self.client.get("/staff-only"))
        self.assert_template_used("showcase/error.html")

    @pytest.mark.step(12)
    def test_old_about_redirects(self):
        self.assert_redirects(self.client.get("/old-about"), "/about")

    @pytest.mark.step(11)
    def test_session_counts(self):
        self.client.get("/session")
        self.client.get("/session")
        self.assert_template_used("session.html")
        self.assert_context("visits", 2)


class TestForms(HelloTestCase):
    @pytest.mark.step(13)
    def test_flashing_redirects_with_a_message(self):
        response = submit_form(self.client, "/flashing", {"name": "Grace"})
        self.assert_redirects(response, "/flashing")
        [(message, category)] = self.flashed_messages
        self.assertEqual(category, "success")
        self.assertIn("Grace", message)

    @pytest.mark.step(13)
    def test_flashing_without_a_name(self):
        response = submit_form(self.client, "/flashing", {"name": ""})
        self.assert_redirects(response, "http://localhost/flashing")
        [(_message, category)] = self.flashed_messages
        self.assertEqual(category, "error")

    @pytest.mark.step(10)
    def test_cookie_redirects_back(self):
        response = submit_form(self.client, "/cookies", {"colour": "purple"})
        self.assert_redirects(response, "/cookies")
        self.client.get("/cookies")
        self.assert_context("colour", "purple")

    @pytest.mark.step(6)
    def test_methods_post_context(self):
        submit_form(self.client, "/methods", {"name": "Ada"})
        self.assert_template_used("methods.html")
        self.assert_context("name", "Ada")

    @pytest.mark.step(14)
    def test_upload_flashes_and_redirects(self):
        response = submit_form(
            self.client,
            "/uploads",
            {"file": (io.BytesIO(b"hello"), "hello.txt")},
        )
        self.assert_redirects(response, "/uploads")
        [(message, category)] = self.flashed_messages
        self.assertEqual(category, "success")
        self.assertIn("hello.txt", message)

    @pytest.mark.step(14)
    def test_disallowed_upload_shows_the_error_page(self):
        response = submit_form(
            self.client,
            "/uploads",
            {"file": (io.BytesIO(b"<svg/>"), "drawing.svg")},
        )
        self.assert400(response)
        self.assert_template_used("showcase/error.html")

    @pytest.mark.step(14)
    def test_upload_page_context(self):
        self.client.get("/uploads")
        self.assert_template_used("uploads.html")
        self.assert_context(
            "allowed", ["gif", "jpeg", "jpg", "pdf", "png", "txt"]
        )
        self.assert_context("files", [])

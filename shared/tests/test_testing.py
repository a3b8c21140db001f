"""showcase.testing: the helpers the examples test with."""

from __future__ import annotations

import socket
import unittest

import pytest
from flask import (
    Flask,
    flash,
    g,
    redirect,
    render_template_string,
    session,
    url_for,
)
from flask_wtf import CSRFProtect

from showcase import testing
from showcase.testing import (
    TestCase,
    csrf_token,
    free_port,
    redis_server,
    submit_form,
    wait_for_port,
)


def test_csrf_token_read_from_the_form(client):
    page = client.get("/")
    token = csrf_token(page)
    assert len(token) > 20
    assert csrf_token(page.text) == token


def test_page_without_a_token_fails_loudly():
    with pytest.raises(AssertionError, match="no csrf_token field"):
        csrf_token('<input name="other" value="x"><input name="csrf_token">')


def test_submit_form_sends_the_token(client):
    assert client.post("/echo", data={}).status_code == 400
    assert submit_form(client, "/echo", form_url="/").text == "ok"
    assert (
        submit_form(client, "/echo", {"name": "x"}, form_url="/").status_code
        == 200
    )


class RedirectingApp(TestCase):
    """The fixed assert_redirects, exercised through Flask-Testing itself."""

    def create_app(self) -> Flask:
        app = Flask("redirecting")
        app.config.update(
            TESTING=True, SECRET_KEY="test-secret-key-not-for-production"
        )

        @app.get("/")
        def index():
            flash("Welcome!")
            return render_template_string("{{ greeting }}", greeting="hi")

        @app.get("/old")
        def old():
            return redirect(url_for("index", tab="new"))

        @app.get("/away")
        def away():
            return redirect("https://example.com/landing")

        return app

    def test_relative_location_matches_path_or_full_url(self):
        response = self.client.get("/old")
        self.assert_redirects(response, "/?tab=new")
        self.assertRedirects(response, "http://localhost/?tab=new")

    def test_external_location(self):
        self.assert_redirects(
            self.client.get("/away"), "https://example.com/landing"
        )

    def test_wrong_target_or_no_redirect_fails(self):
        with pytest.raises(AssertionError):
            self.assert_redirects(self.client.get("/old"), "/elsewhere")
        with pytest.raises(
            AssertionError, match="HTTP redirect expected but got 200"
        ):
            self.assert_redirects(self.client.get("/"), "/")

    def test_flask_testing_assertions_still_work(self):
        self.client.get("/")
        self.assert_context("greeting", "hi")
        self.assert_message_flashed("Welcome!")


class CsrfAfterSessionClear(TestCase):
    """A form posted after the session was cleared (as at login) works."""

    def create_app(self) -> Flask:
        app = Flask("csrf_after_clear")
        app.config.update(
            TESTING=True, SECRET_KEY="test-secret-key-not-for-production"
        )
        CSRFProtect(app)

        @app.get("/form")
        def form():
            return render_template_string(
                '<input name="csrf_token" value="{{ csrf_token() }}">'
            )

        @app.post("/login")
        def login():
            session.clear()
            return "logged in"

        @app.post("/post")
        def post():
            return "posted"

        return app

    def test_each_request_has_its_own_g(self):
        @self.app.get("/cache")
        def cache():
            g.hits = g.get("hits", 0) + 1
            return str(g.hits)

        assert [self.client.get("/cache").text for _ in range(2)] == ["1", "1"]

    def test_token_read_after_the_session_was_cleared_is_accepted(self):
        assert (
            submit_form(self.client, "/login", form_url="/form").text
            == "logged in"
        )
        assert (
            submit_form(self.client, "/post", form_url="/form").text
            == "posted"
        )


def test_flask_testing_original_fails_where_ours_passes():
    """The bug we fix: Flask-Testing's own assert_redirects fails here."""
    import flask_testing

    class Original(flask_testing.TestCase):
        create_app = RedirectingApp.create_app

        def runTest(self):
            self.assert_redirects(self.client.get("/old"), "/?tab=new")

    result = unittest.TestResult()
    Original()(
        result
    )  # calling the case runs Flask-Testing's set-up, as unittest does
    assert len(result.failures) == 1


def redis_answers(url: str) -> bytes:
    """Send PING to the Redis server at ``url``; its answer."""
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), 5) as connection:
        connection.sendall(b"PING\r\n")
        return connection.recv(64)


def test_redis_server_runs_for_the_block_only(tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")  # here it must run, not skip
    with redis_server(tmp_path) as url:
        assert url.startswith("redis://127.0.0.1:")
        assert redis_answers(url) == b"+PONG\r\n"
    with pytest.raises(OSError):
        redis_answers(url)


@pytest.mark.parametrize(
    ("ci", "outcome"),
    [("", pytest.skip.Exception), ("true", pytest.fail.Exception)],
)
def test_without_redis_a_test_skips_but_fails_in_ci(
    tmp_path, monkeypatch, ci, outcome
):
    monkeypatch.setattr(testing.shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", ci)
    not_installed = pytest.raises(outcome, match="redis-server is not")
    with not_installed, redis_server(tmp_path):
        raise AssertionError("started without a server")


def test_wait_for_port_gives_up_on_a_port_nobody_opens():
    with pytest.raises(AssertionError, match="nothing listens on port"):
        wait_for_port(free_port(), seconds=0.2)

"""Production defaults: HTTPS cookies, HSTS, trusted hosts, no debug env.

Production is a WSGI server: not the ``flask`` command and not a test
(``TESTING`` under pytest, which sets ``PYTEST_VERSION``).
"""

from __future__ import annotations

import sys
import types

import click
import pytest
from flask import Flask, redirect, request, session, url_for
from flask.cli import ScriptInfo

import showcase
from showcase.security import LOOPBACK_HOSTS

KEY = "production-secret-key-for-tests"


def make_app(**config: object) -> Flask:
    app = Flask("prod")
    app.config.from_mapping({"SECRET_KEY": KEY, **config})
    showcase.init_app(app)

    @app.get("/")
    def index():
        return redirect(url_for("index", _external=True))

    return app


def test_production_gets_https_cookies_hsts_and_loopback_hosts():
    config = make_app().config
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["HSTS"] is True
    assert config["TRUSTED_HOSTS"] == LOOPBACK_HOSTS


def test_tests_and_the_flask_command_are_not_production():
    for config in (
        make_app(TESTING=True).config,
        _under_flask_command(lambda: make_app(DEBUG=True).config),
    ):
        assert config["SESSION_COOKIE_SECURE"] is False
        assert config["REMEMBER_COOKIE_SECURE"] is False
        assert config["HSTS"] is False
        assert config["TRUSTED_HOSTS"] is None


@pytest.mark.parametrize("flag", ["TESTING", "DEBUG"])
def test_testing_or_debug_in_a_servers_config_stops_it(monkeypatch, flag):
    """Under gunicorn, TESTING = True would keep Flask-Mail quiet."""
    monkeypatch.delenv("PYTEST_VERSION")
    monkeypatch.setitem(sys.modules, "gunicorn", types.ModuleType("gunicorn"))
    with pytest.raises(showcase.InsecureConfigError, match=flag):
        make_app(**{flag: True})


def test_testing_outside_pytest_keeps_the_hardening(monkeypatch):
    """A script that makes the app with TESTING (a measuring tool) gets
    the production defaults: TESTING never turns them off outside pytest."""
    monkeypatch.delenv("PYTEST_VERSION")
    for server in showcase.security.SERVERS:
        monkeypatch.delitem(sys.modules, server, raising=False)
    config = make_app(TESTING=True).config
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["TRUSTED_HOSTS"] == LOOPBACK_HOSTS


def test_cookie_names_keep_them_to_https():
    """Over HTTPS, browsers keep __Host- cookies to this host and HTTPS."""
    config = make_app().config
    assert config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert config["REMEMBER_COOKIE_NAME"] == "__Host-remember_token"
    app = make_app()

    @app.get("/visit")
    def visit():
        session["seen"] = True
        return "ok"

    response = app.test_client().get("/visit", base_url="https://localhost")
    assert response.headers["Set-Cookie"].startswith("__Host-session=")
    config = make_app(SESSION_COOKIE_PATH="/app", SESSION_COOKIE_NAME="s")
    assert config.config["SESSION_COOKIE_NAME"] == "__Secure-s"
    assert make_app(HTTPS=False).config["SESSION_COOKIE_NAME"] == "session"
    assert make_app(TESTING=True).config["SESSION_COOKIE_NAME"] == "session"
    # A name that already has its prefix keeps it, once.
    named = make_app(SESSION_COOKIE_NAME="__Host-mine").config
    assert named["SESSION_COOKIE_NAME"] == "__Host-mine"


def test_proxy_count_trusts_that_many_proxies():
    """Behind nginx, the visitor's address; never the forged header."""
    for proxies, seen in ((0, "127.0.0.1"), (1, "203.0.113.7")):
        app = make_app(PROXY_COUNT=proxies, HTTPS=False)

        @app.get("/who")
        def who():
            return request.remote_addr or ""

        headers = {"X-Forwarded-For": "203.0.113.7"}
        response = app.test_client().get("/who", headers=headers)
        assert response.text == seen


def test_remember_me_cookie_is_secure_whenever_the_session_cookie_is():
    """Issue 10, finding 2: remember_token was not Secure."""
    config = make_app(TESTING=True, SESSION_COOKIE_SECURE=True).config
    assert config["REMEMBER_COOKIE_SECURE"] is True


def test_explicit_config_wins():
    config = make_app(
        HTTPS=False,
        REMEMBER_COOKIE_SECURE=True,
        TRUSTED_HOSTS=["example.org"],
    ).config
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["HSTS"] is False
    assert config["TRUSTED_HOSTS"] == ["example.org"]


@pytest.mark.parametrize(
    ("name", "value"),
    [("FLASK_DEBUG", "1"), ("FLASK_DEBUG", "true"), ("FLASK_TESTING", "1")],
)
def test_debug_or_testing_environment_stops_a_production_server(
    monkeypatch, name, value
):
    """These once brought back the public dev key."""
    monkeypatch.setenv(name, value)
    with pytest.raises(showcase.InsecureConfigError, match=name):
        make_app()


@pytest.mark.parametrize("value", ["", "0", "false", "no"])
def test_switched_off_debug_environment_is_fine(monkeypatch, value):
    monkeypatch.setenv("FLASK_DEBUG", value)
    assert make_app().config["HSTS"] is True


def test_the_flask_command_may_debug(monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = _under_flask_command(lambda: make_app(SECRET_KEY="dev"))
    assert app.debug
    assert app.config["SECRET_KEY"] == "dev"


def test_hsts_on_secure_requests_only():
    """Finding 12: no Strict-Transport-Security header anywhere."""
    client = make_app().test_client()
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains"
    )
    assert "Strict-Transport-Security" not in client.get("/").headers
    plain_http = make_app(HTTPS=False).test_client()
    response = plain_http.get("/", base_url="https://localhost")
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:80", "localhost.evil.example"]
)
def test_untrusted_host_is_a_plain_400_never_a_redirect(host):
    """Finding 13: ``Host: evil.example`` was reflected in redirects."""
    response = make_app().test_client().get("/", headers={"Host": host})
    assert response.status_code == 400
    assert response.location is None
    assert response.mimetype == "text/plain"
    assert response.text.startswith("400 Bad Request: Host")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:8080"])
def test_loopback_hosts_are_served(host):
    response = make_app().test_client().get("/", headers={"Host": host})
    assert 300 <= response.status_code < 400
    assert response.location == f"http://{host}/"


def test_configured_hosts_are_served():
    app = make_app(TRUSTED_HOSTS=["example.org"])
    client = app.test_client()
    served = client.get("/", headers={"Host": "example.org"})
    assert served.location == "http://example.org/"
    assert client.get("/", headers={"Host": "localhost"}).status_code == 400


def _under_flask_command(build):
    with click.Context(click.Command("run"), obj=ScriptInfo()):
        return build()

"""The application factory: defaults, the instance folder, the environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import url_for

import showcase
from flaskr import create_app
from showcase.testing import submit_form

#: The build-along step that makes these tests pass (steps/flaskr).
pytestmark = pytest.mark.step(2)

PROJECT = Path(__file__).parent.parent


def test_config_comes_from_the_test(make_app):
    """A test's settings replace the instance folder and the environment."""
    assert not create_app({"SECRET_KEY": "x" * 32}).testing
    assert make_app().testing


def test_defaults():
    """The factory's defaults, as the learner reads them in create_app."""
    app = create_app({"SECRET_KEY": "x" * 32})
    assert app.config["DATABASE"] == os.path.join(
        app.instance_path, "flaskr.sqlite"
    )
    assert app.config["POSTS_PER_PAGE"] == 10
    # Production hashes passwords with werkzeug's strong default.
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt"
    assert app.config["LOGIN_LIMIT"] == "50 per hour"
    assert app.config["REGISTER_LIMIT"] == "20 per hour"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_instance_config_file(monkeypatch, tmp_path):
    """Without test_config, instance/config.py is read."""
    (tmp_path / "config.py").write_text(
        "SECRET_KEY = 'a-real-secret-key-from-the-file'\nPOSTS_PER_PAGE = 3\n"
    )
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.setattr(
        "flask.Flask.auto_find_instance_path", lambda app: str(tmp_path)
    )
    app = create_app()
    assert app.instance_path == str(tmp_path)
    assert app.config["POSTS_PER_PAGE"] == 3


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    """Outside tests, FLASK_* environment variables set the configuration."""
    monkeypatch.setenv(
        "FLASK_SECRET_KEY", "a-real-secret-key-of-enough-length"
    )
    monkeypatch.setenv("FLASK_DATABASE", str(tmp_path / "other.sqlite"))
    monkeypatch.setenv("FLASK_POSTS_PER_PAGE", "5")
    monkeypatch.setenv("FLASK_LOGIN_LIMIT", "5 per minute")
    app = create_app()
    assert app.config["DATABASE"] == str(tmp_path / "other.sqlite")
    assert app.config["POSTS_PER_PAGE"] == 5
    assert app.config["LOGIN_LIMIT"] == "5 per minute"


def test_config_example_refuses_to_start_until_filled_in(
    monkeypatch, tmp_path
):
    """config.example.py as shipped has no key: flaskr will not start."""
    example = PROJECT / "config.example.py"
    (tmp_path / "config.py").write_text(example.read_text("utf-8"))
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.setattr(
        "flask.Flask.auto_find_instance_path", lambda app: str(tmp_path)
    )
    with pytest.raises(showcase.InsecureConfigError, match="SECRET_KEY"):
        create_app()

    monkeypatch.setenv(
        "FLASK_SECRET_KEY", "a-real-secret-key-of-enough-length"
    )
    app = create_app()
    assert app.config["TRUSTED_HOSTS"] == ["blog.example.com"]
    assert app.config["PROXY_COUNT"] == 1


@pytest.mark.step(5)
def test_behind_a_proxy_the_visitor_address_counts(make_app):
    """With PROXY_COUNT, login limits count the visitor, not the proxy."""
    app = make_app(PROXY_COUNT=1, LOGIN_LIMIT="1 per hour")
    app.test_cli_runner().invoke(args=["init-db"])
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.1"  # the proxy

    def attempt(visitor, username):
        return submit_form(
            client,
            "/auth/login",
            {"username": username, "password": "wrong-password"},
            headers={"X-Forwarded-For": visitor},
        )

    assert attempt("203.0.113.1", "a").status_code == 400
    assert attempt("203.0.113.2", "b").status_code == 400
    assert attempt("203.0.113.1", "c").status_code == 429


@pytest.mark.parametrize("key", [None, "dev", "short"])
def test_production_needs_a_real_secret_key(key):
    """Without a real SECRET_KEY (16+ characters), flaskr refuses to start.

    Tests too: ``TESTING`` no longer allows the development key.
    """
    config = {"TESTING": True} if key is None else {"SECRET_KEY": key}
    with pytest.raises(showcase.InsecureConfigError, match="SECRET_KEY"):
        create_app(config)


@pytest.mark.step(7)
def test_index_endpoint_is_the_blog(app):
    """url_for("index") and url_for("blog.index") are both the front page."""
    with app.test_request_context():
        assert url_for("index") == url_for("blog.index") == "/"


@pytest.mark.step(6)
@pytest.mark.parametrize(
    ("name", "mimetype"),
    [("style.css", "text/css"), ("confirm.js", "text/javascript")],
)
def test_static_files_are_served(client, name, mimetype):
    """flaskr serves its stylesheet and its script from /static/."""
    with client.get(f"/static/{name}") as response:
        assert response.status_code == 200
        assert response.mimetype == mimetype

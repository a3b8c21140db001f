"""The application factory: settings from the test, the defaults, and the key rule."""

from __future__ import annotations

import os

import pytest

from flaskr import create_app
from showcase.config import InsecureConfigError


def test_config_comes_from_the_test():
    """A test's settings replace the instance folder and the environment."""
    assert not create_app({"SECRET_KEY": "x" * 32}).testing
    assert create_app({"TESTING": True, "SECRET_KEY": "test"}).testing


def test_defaults():
    """The database lives in the instance folder; ten posts a page."""
    app = create_app({"TESTING": True})
    assert app.config["DATABASE"] == os.path.join(
        app.instance_path, "flaskr.sqlite"
    )
    assert app.config["POSTS_PER_PAGE"] == 10


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    """Outside tests, FLASK_* environment variables set the configuration."""
    monkeypatch.setenv(
        "FLASK_SECRET_KEY", "a-real-secret-key-of-enough-length"
    )
    monkeypatch.setenv("FLASK_DATABASE", str(tmp_path / "other.sqlite"))
    monkeypatch.setenv("FLASK_POSTS_PER_PAGE", "5")
    app = create_app()
    assert app.config["DATABASE"] == str(tmp_path / "other.sqlite")
    assert app.config["POSTS_PER_PAGE"] == 5


def test_production_needs_a_real_secret_key(monkeypatch):
    """Served by a WSGI server without a real SECRET_KEY, flaskr refuses to start."""
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    with pytest.raises(InsecureConfigError, match="SECRET_KEY"):
        create_app({})


def test_index_endpoint_is_the_blog(app):
    """url_for("index") and url_for("blog.index") are both the front page, as in the tutorial."""
    with app.test_request_context():
        from flask import url_for

        assert url_for("index") == url_for("blog.index") == "/"

"""The application factory: defaults, the instance folder, the environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import url_for
from html_page import Page

import showcase
from flaskr import create_app

#: The build-along step that makes these tests pass (steps/flaskr).
pytestmark = pytest.mark.step(1)

PROJECT = Path(__file__).parent.parent
#: A key long enough for showcase.init_app outside tests and the flask command.
KEY = "a-real-secret-key-of-enough-length"


def test_config():
    """A test's settings replace the instance folder and the environment."""
    assert not create_app({"SECRET_KEY": KEY}).testing
    assert create_app({"SECRET_KEY": KEY, "TESTING": True}).testing


def test_defaults():
    """The factory's defaults, as the learner reads them in create_app."""
    app = create_app({"SECRET_KEY": KEY})
    assert app.config["DATABASE"] == os.path.join(
        app.instance_path, "flaskr.sqlite"
    )
    assert app.config["POSTS_PER_PAGE"] == 10
    # Production hashes passwords with werkzeug's strong default.
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt"


@pytest.fixture
def instance_folder(monkeypatch, tmp_path):
    """An empty instance folder, and no FLASK_SECRET_KEY in the environment."""
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.setattr(
        "flask.Flask.auto_find_instance_path", lambda app: str(tmp_path)
    )
    return tmp_path


def test_instance_config_file(instance_folder):
    """Without test_config, instance/config.py is read."""
    (instance_folder / "config.py").write_text(
        f"SECRET_KEY = '{KEY}'\nPOSTS_PER_PAGE = 3\n"
    )
    app = create_app()
    assert app.instance_path == str(instance_folder)
    assert app.config["POSTS_PER_PAGE"] == 3


def test_environment_overrides_defaults(monkeypatch, instance_folder):
    """Outside tests, FLASK_* environment variables set the configuration."""
    monkeypatch.setenv("FLASK_SECRET_KEY", KEY)
    monkeypatch.setenv("FLASK_DATABASE", str(instance_folder / "o.sqlite"))
    monkeypatch.setenv("FLASK_POSTS_PER_PAGE", "5")
    app = create_app()
    assert app.config["DATABASE"] == str(instance_folder / "o.sqlite")
    assert app.config["POSTS_PER_PAGE"] == 5


@pytest.mark.parametrize("key", ["dev", "short"])
def test_production_needs_a_real_secret_key(key):
    """Under a server, without a real SECRET_KEY, flaskr refuses to start."""
    with pytest.raises(showcase.InsecureConfigError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": key})


def test_config_example_refuses_to_start_until_filled_in(
    monkeypatch, instance_folder
):
    """config.example.py as shipped has no key: flaskr will not start."""
    example = PROJECT / "config.example.py"
    (instance_folder / "config.py").write_text(example.read_text("utf-8"))
    with pytest.raises(showcase.InsecureConfigError, match="SECRET_KEY"):
        create_app()

    monkeypatch.setenv("FLASK_SECRET_KEY", KEY)
    app = create_app()
    assert app.config["TRUSTED_HOSTS"] == ["blog.example.com"]
    assert app.config["PROXY_COUNT"] == 0  # waitress reads the headers
    assert app.config["SECRET_KEY_FALLBACKS"] == []


@pytest.mark.step(5)
@pytest.mark.parametrize(
    ("name", "mimetype"),
    [("style.css", "text/css"), ("confirm.js", "text/javascript")],
)
def test_static_files_are_served(client, name, mimetype):
    """flaskr serves its stylesheet and its script from /static/."""
    with client.get(f"/static/{name}") as response:
        assert response.status_code == 200
        assert response.mimetype == mimetype


@pytest.mark.step(6)
def test_index_endpoint_is_the_blog(app):
    """url_for("index") and url_for("blog.index") are both the front page."""
    with app.test_request_context():
        assert url_for("index") == url_for("blog.index") == "/"


def test_unknown_url_is_a_404_with_the_way_back():
    """An address that is no page: 404, and a link to the start page."""
    app = create_app({"SECRET_KEY": KEY, "TESTING": True})
    response = app.test_client().get("/no-such-page")
    assert response.status_code == 404
    assert "/" in Page(response.text).hrefs()

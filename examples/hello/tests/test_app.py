"""The app of the first steps: its settings, and what the showcase adds."""

import os
import runpy

import pytest
from flask.cli import routes_command

import hello
from hello.minimal import app as minimal_app
from showcase import InsecureConfigError

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(1)


def test_defaults():
    """The settings hello.app starts with, before a test changes them."""
    config = hello.app.config
    assert hello.app.testing  # from the FLASK_TESTING that conftest.py sets
    assert config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    assert config["UPLOAD_FOLDER"] == os.path.join(
        hello.app.instance_path, "uploads"
    )
    assert config["UPLOAD_MAX_FILES"] == 50
    assert config["UPLOAD_MAX_BYTES"] == 20 * 1024 * 1024
    assert config["UPLOAD_MAX_FILES_PER_VISITOR"] == 10
    assert config["UPLOAD_MAX_BYTES_PER_VISITOR"] == 5 * 1024 * 1024
    assert config["UPLOAD_MAX_AGE"] == 24 * 60 * 60
    # From the FLASK_SECRET_KEY that conftest.py sets.
    assert config["SECRET_KEY"] == os.environ["FLASK_SECRET_KEY"]


def test_testing_config(app, upload_folder):
    """The app fixture puts the app in testing mode with its own folder."""
    assert app is hello.app
    assert app.testing
    assert app.config["UPLOAD_FOLDER"] == str(upload_folder)


def test_import_refuses_the_development_key(monkeypatch):
    """Imported by a production server, hello will not start with "dev"."""
    monkeypatch.setenv("FLASK_SECRET_KEY", "dev")
    with pytest.raises(InsecureConfigError, match="SECRET_KEY"):
        # Runs hello/__init__.py again, as a fresh `import hello` would.
        runpy.run_path(hello.__file__)


def test_minimal_app_says_hello():
    """hello/minimal.py is the one-file app of the first step."""
    response = minimal_app.test_client().get("/")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "Hello, World!"


@pytest.mark.step(14)
def test_flask_routes_lists_every_endpoint(runner):
    """`flask --app hello routes` shows each endpoint with its URL."""
    result = runner.invoke(routes_command)
    assert result.exit_code == 0
    lines = [line.split() for line in result.output.splitlines()]
    assert ["capitalize", "GET", "/capitalize/<word>"] in lines
    assert ["remember_colour", "POST", "/cookies"] in lines
    assert ["download", "GET", "/uploads/<name>"] in lines


@pytest.mark.parametrize(
    "path", ["/", "/about", "/uploads", "/no-such-page", "/staff-only"]
)
def test_security_headers(client, path):
    """Every response, error pages included, carries the security headers."""
    headers = client.get(path).headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_stylesheets_are_linked(client):
    """Pages use the shared stylesheet and hello's own, both from the app."""
    page = client.get("/").get_data(as_text=True)
    assert 'href="/_showcase/static/showcase.css"' in page
    assert 'href="/static/hello.css"' in page

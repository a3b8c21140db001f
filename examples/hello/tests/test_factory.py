"""The app factory, the smallest app, and what every page gets from the showcase."""

from __future__ import annotations

import os

import pytest

from hello import create_app
from hello.minimal import app as minimal_app
from showcase.config import InsecureConfigError


def test_testing_config(app, upload_folder):
    """test_config is applied, and the upload folder is created."""
    assert app.testing
    assert app.config["UPLOAD_FOLDER"] == str(upload_folder)
    assert upload_folder.is_dir()


def test_defaults():
    """Settings test_config leaves alone: a 1 MiB limit, uploads in the instance folder."""
    app = create_app({"SECRET_KEY": "a-real-secret-key-for-this-test"})
    assert not app.testing
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    assert app.config["UPLOAD_FOLDER"] == os.path.join(
        app.instance_path, "uploads"
    )


def test_production_needs_a_secret_key():
    """Outside debug and tests, the development key is refused."""
    with pytest.raises(InsecureConfigError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": "dev"})


def test_minimal_app_says_hello():
    """hello/minimal.py is the one-file app of the first step."""
    response = minimal_app.test_client().get("/")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "Hello, World!"


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
    """Pages use the shared stylesheet and hello's own, both served by the app."""
    page = client.get("/").get_data(as_text=True)
    assert 'href="/_showcase/static/showcase.css"' in page
    assert 'href="/static/hello.css"' in page

"""Fixtures for hello's tests: ``app``, ``client``, ``runner`` and more.

hello has no factory: ``hello.app`` is made once, when the package is
imported. Each test gets that app in testing mode with an empty upload
folder of its own, and its settings are put back afterwards. CSRF
protection stays on: tests post forms with ``showcase.testing.submit_form``,
which reads the token from the page, as a browser does.
"""

import io
import itertools
import os
from pathlib import Path

# hello refuses the development key "dev" when it is imported outside
# `flask run --debug`, so the tests give it a real one first.
os.environ.setdefault("FLASK_SECRET_KEY", "test-secret-key-not-for-production")

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

import hello
from showcase.testing import csrf_token

#: Numbers the tests' upload folders, so no two tests share one.
folder_numbers = itertools.count()


@pytest.fixture(scope="session")
def uploads_root(tmp_path_factory) -> Path:
    """One temporary folder for the run, holding each test's uploads."""
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture
def app(uploads_root):
    """hello's app in testing mode, with an upload folder of its own.

    hello makes the folder when a view first needs it, so most tests never
    touch the disk.
    """
    saved = dict(hello.app.config)
    hello.app.config.update(
        TESTING=True,
        UPLOAD_FOLDER=str(uploads_root / str(next(folder_numbers))),
        # Imported by pytest, not by `flask run`, hello.app got a production
        # server's HTTPS-only session cookie; the test client talks HTTP.
        SESSION_COOKIE_SECURE=False,
    )
    yield hello.app
    hello.app.config.clear()
    hello.app.config.update(saved)


@pytest.fixture
def upload_folder(app) -> Path:
    """The test's upload folder, made now and empty."""
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir()
    return folder


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client: a browser that talks to the app without a server."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Runs ``flask`` commands against the app, without a terminal."""
    return app.test_cli_runner()


@pytest.fixture
def post_multipart(client):
    """Post a multipart form with its CSRF token, the body encoded in memory.

    For large bodies Werkzeug's test client spools the form to a temporary
    file it never closes (a ResourceWarning); encoding it first avoids that.
    """

    def post(url: str, data: dict) -> TestResponse:
        """POST ``data`` to ``url``; a ``(name, bytes)`` value is a file."""
        token = csrf_token(client.get(url))
        fields = {
            key: FileStorage(io.BytesIO(value[1]), filename=value[0])
            if isinstance(value, tuple)
            else value
            for key, value in data.items()
        }
        boundary, body = encode_multipart({**fields, "csrf_token": token})
        return client.post(
            url,
            data=body,
            content_type=f"multipart/form-data; boundary={boundary}",
        )

    return post

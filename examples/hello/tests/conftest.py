"""Fixtures for hello's tests: ``app``, ``client``, ``runner``, and the
upload folder.

hello has no factory: ``hello.app`` is made once, when the package is
imported. Each test gets that app in testing mode with an upload folder of
its own, and its settings are put back afterwards. CSRF protection stays
on: tests post forms with ``showcase.testing.submit_form``, which reads the
token from the page, as a browser does.
"""

import io
import itertools
import os
from pathlib import Path

# The tests run with a key of their own, never the public "dev" key.
os.environ.setdefault("FLASK_SECRET_KEY", "test-secret-key-not-for-production")

import pytest

import hello
from showcase.testing import submit_form

#: Numbers the tests' upload folders, so no two tests share one.
folder_numbers = itertools.count()


@pytest.fixture(scope="session")
def uploads_root(tmp_path_factory):
    """One temporary folder for the run, holding each test's uploads."""
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture
def app(uploads_root):
    """hello's app in testing mode, with an upload folder of its own.

    The folder is made only when the app needs it: most tests never touch
    the disk.
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
def client(app):
    """A test client: a browser that talks to the app without a server."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Runs ``flask`` commands against the app, without a terminal."""
    return app.test_cli_runner()


@pytest.fixture
def upload_folder(app) -> Path:
    """The test's upload folder, made now and empty."""
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir()
    return folder


@pytest.fixture
def upload(client):
    """Post one file with the upload form, as a browser would."""

    def upload(filename, content=b"hello\n"):
        file = (io.BytesIO(content), filename)
        return submit_form(client, "/uploads", {"file": file})

    return upload

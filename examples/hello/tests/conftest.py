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

# The tests run with a key of their own, never the public "dev" key, and
# in testing mode from the start: hello.app is made when it is imported.
os.environ.setdefault("FLASK_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("FLASK_TESTING", "true")

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

import hello
from showcase.testing import csrf_token

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
        UPLOAD_FOLDER=str(uploads_root / str(next(folder_numbers)))
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
    """The test's upload folder, empty."""
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def upload(client):
    """Post a file with the upload form, as a browser would.

    The form is read once, for its CSRF token: a browser that sends the
    form again sends the same token.
    """
    token = csrf_token(client.get("/uploads"))

    def upload(filename, content=b"hello\n"):
        file = FileStorage(io.BytesIO(content), filename=filename)
        fields = {"file": file, "csrf_token": token}
        # Encoded here, with one boundary for every upload: the test client
        # would draw a new one each time, and Werkzeug compiles a pattern
        # for each boundary it reads.
        boundary, body = encode_multipart(fields, boundary="hello-tests")
        content_type = f"multipart/form-data; boundary={boundary}"
        return client.post("/uploads", data=body, content_type=content_type)

    return upload

"""Fixtures for hello's tests: ``app``, ``client``, ``runner``, and the
upload folders.

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
def visitor_folder(client, upload_folder) -> Path:
    """The test client's own folder in the upload folder, not made yet.

    Its name is the random id that the client's first visit to /uploads put
    in its session.
    """
    client.get("/uploads")
    with client.session_transaction() as session:
        return upload_folder / session["uploader"]


#: A small file of each type the upload form takes: the first bytes of its
#: format (its "magic bytes"), then a little more.
SAMPLES = {
    ".txt": b"hello\n",
    ".pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    ".png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ".gif": b"GIF89a\x01\x00\x01\x00",
    ".jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    ".jpeg": b"\xff\xd8\xff\xdb\x00\x43\x00",
}


def uploader(client):
    """Return a function that posts a file with the upload form of
    ``client``, as a browser would.

    The form is read once, for its CSRF token: a browser that sends the
    form again sends the same token. Without ``content``, the file is a
    small one of the type its name says.
    """
    token = csrf_token(client.get("/uploads"))

    def upload(filename, content=None):
        if content is None:
            extension = os.path.splitext(filename)[1].lower()
            content = SAMPLES.get(extension, b"hello\n")
        file = FileStorage(io.BytesIO(content), filename=filename)
        fields = {"file": file, "csrf_token": token}
        # Encoded here, with one boundary for every upload: the test client
        # would draw a new one each time, and Werkzeug compiles a pattern
        # for each boundary it reads.
        boundary, body = encode_multipart(fields, boundary="hello-tests")
        content_type = f"multipart/form-data; boundary={boundary}"
        return client.post("/uploads", data=body, content_type=content_type)

    return upload


@pytest.fixture
def upload(client):
    """Post a file with the upload form of ``client``: see ``uploader``."""
    return uploader(client)


@pytest.fixture
def stranger(app):
    """A second visitor: another browser, with a session of its own."""
    return app.test_client()


@pytest.fixture
def stranger_upload(stranger):
    """Post a file with the upload form, as the second visitor."""
    return uploader(stranger)

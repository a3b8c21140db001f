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
import re
from html.parser import HTMLParser
from pathlib import Path

# The tests run with a key of their own, never the public "dev" key, and
# in testing mode from the start: hello.app is made when it is imported.
os.environ.setdefault("FLASK_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("FLASK_TESTING", "true")

import pytest
from flask import message_flashed
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


# What a page shows. The tests read a page as a visitor does: its text and
# its links, not its markup, so any wording of your own around the data
# passes.


class PageReader(HTMLParser):
    """Collects the text of a page's <main>, and the links and pictures
    of the page."""

    #: Elements whose text is not shown as the page's text: form controls
    #: (what a visitor may type or choose), scripts and styles.
    HIDDEN = frozenset(
        {"option", "script", "select", "style", "textarea", "title"}
    )

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self.images: list[dict[str, str | None]] = []
        #: The links in <main>: their target and their text.
        self.main_links: list[tuple[str, str]] = []
        self.in_main = self.hidden = 0
        self.link_text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        """Note where we are; keep each link's target."""
        self.in_main += tag == "main"
        self.hidden += tag in self.HIDDEN
        href = dict(attrs).get("href")
        if tag == "a" and href is not None:
            self.links.append(href)
            self.link_text = [] if self.in_main else None
        if tag == "img":
            self.images.append(dict(attrs))
        if tag in {"br", "p", "li", "td", "h1", "h2", "div"}:
            self.text.append(" ")

    def handle_endtag(self, tag):
        """Leave an element; a block ends a word."""
        self.in_main -= tag == "main"
        self.hidden -= tag in self.HIDDEN
        self.text.append(" ")
        if tag == "a" and self.link_text is not None:
            text = " ".join("".join(self.link_text).split())
            self.main_links.append((self.links[-1], text))
            self.link_text = None

    def handle_data(self, data):
        """Keep the text shown in <main>."""
        if self.in_main and not self.hidden:
            self.text.append(data)
        if self.link_text is not None:
            self.link_text.append(data)


def read_page(response) -> PageReader:
    """Read a response's HTML."""
    reader = PageReader()
    reader.feed(response.get_data(as_text=True))
    reader.close()
    return reader


def page_text(response) -> str:
    """The text the page shows in its <main>, as a visitor reads it: no
    tags, entities decoded, every run of spaces and newlines one space."""
    return " ".join("".join(read_page(response).text).split())


def shows(response, *texts) -> bool:
    """Whether the page shows each of ``texts``, ignoring case and spaces."""
    shown = page_text(response).casefold()
    return all(" ".join(text.split()).casefold() in shown for text in texts)


def links(response) -> list[str]:
    """The targets of the page's links, entities decoded."""
    return read_page(response).links


def main_links(response) -> list[tuple[str, str]]:
    """The links in the page's <main>: (target, text) pairs."""
    return read_page(response).main_links


def images(response) -> list[dict[str, str | None]]:
    """The attributes of the page's pictures (``src``, ``alt``...)."""
    return read_page(response).images


def words(text: str) -> list[str]:
    """The words and numbers of ``text``, in order."""
    return re.findall(r"[-\w.]*\w", text)


def is_hellos_404(response) -> bool:
    """Whether the response is hello's own "Page not found" page (Step 12:
    Redirects and errors), not the shared one."""
    return response.status_code == 404 and shows(response, "Page not found")


def redirects_to(response, path: str) -> bool:
    """Whether the response sends the browser on to ``path``."""
    return 300 <= response.status_code < 400 and response.location == path


@pytest.fixture
def flashes(app):
    """The (category, message) pairs the app flashes during the test."""
    flashed: list[tuple[str, str]] = []

    def record(sender, message, category, **extra):
        flashed.append((category, str(message)))

    with message_flashed.connected_to(record, app):
        yield flashed

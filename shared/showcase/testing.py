"""Test helpers: CSRF-aware form posts, bad redirect targets, TestCase,
and a throwaway Redis server."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import flask_testing
import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

#: Never to be followed after login: Django's unsafe redirect targets
#: (``url_has_allowed_host_and_scheme`` tests) and a few more.
# fmt: off
BAD_REDIRECT_TARGETS = [
    "http://example.com", "http:///example.com", "https://example.com",
    "ftp://example.com", r"\\example.com", r"\\\example.com",
    r"/\\/example.com", r"\\//example.com", r"/\/example.com",
    r"\/example.com", r"/\example.com", r"http:/\//example.com",
    r"http:\/example.com", r"http:/\example.com", 'javascript:alert("XSS")',
    "\njavascript:alert(x)", "\x08//example.com",
    r"http://otherserver\@example.com", r"http:\\testserver\@example.com",
    r"http://testserver\me:pass@example.com", r"http://testserver\@example.com",
    r"http:\\testserver\confirm\me@example.com", "http:999999999",
    "ftp:9999999999", "\n", "http://[2001:cdba:0000:0000:0000:0000:3257:9652/",
    "http://2001:cdba:0000:0000:0000:0000:3257:9652]/", "//example.com",
    "///example.com", "/\t/example.com", " //example.com", "example.com", "",
]
# fmt: on


class _CsrfTokenFinder(HTMLParser):
    """Collects the value of the first ``<input name="csrf_token">``."""

    token: str | None = None

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        fields = dict(attrs)
        if tag == "input" and fields.get("name") == "csrf_token":
            self.token = self.token or fields.get("value")


def csrf_token(page: TestResponse | str) -> str:
    """Return the CSRF token of the first form on ``page``."""
    finder = _CsrfTokenFinder()
    finder.feed(page if isinstance(page, str) else page.text)
    if not finder.token:
        raise AssertionError("the page has no csrf_token field")
    return finder.token


def submit_form(
    client: FlaskClient,
    url: str,
    data: Mapping[str, Any] | None = None,
    *,
    form_url: str | None = None,
    **kwargs: Any,
) -> TestResponse:
    """POST ``data`` with the CSRF token of ``form_url`` (default: url)."""
    token = csrf_token(client.get(form_url or url))
    data = {**(data or {}), "csrf_token": token}
    return client.post(url, data=data, **kwargs)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, seconds: float = 10) -> None:
    """Wait until something accepts connections on ``port``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), 0.1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                message = f"nothing listens on port {port}"
                raise AssertionError(message) from None
            time.sleep(0.05)


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """Run a Redis server of its own in ``folder``; yield its URL.

    Without ``redis-server`` the test is skipped; in CI (``CI=true``),
    where ``.ci/run`` installs it, it fails instead.
    """
    server = shutil.which("redis-server")
    if server is None:
        reason = "redis-server is not installed (.ci/run installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true, so this is an error: {reason}")
        pytest.skip(reason)
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 (our own command line)
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait()


class TestCase(flask_testing.TestCase):
    """Flask-Testing's ``TestCase``, fixed for today's Flask and Werkzeug.

    ``assert_redirects`` accepts relative ``Location`` headers (Flask-Testing
    issue #154), and each request gets its own context, as in a server.
    """

    _ctx: Any  # the request context Flask-Testing pushes for each test

    def _pre_setup(self) -> None:
        super()._pre_setup()
        self._ctx.pop()  # Flask-Testing's one context for the whole test
        self._ctx = None  # its teardown pops it only if it is set

    def assert_redirects(
        self, response: TestResponse, location: str, message: Any = None
    ) -> None:
        """Assert that ``response`` redirects to ``location``."""
        server = self.app.config.get("SERVER_NAME") or "localhost"
        base = f"http://{server}/"
        expected = f"HTTP redirect expected but got {response.status_code}"
        self.assertTrue(300 < response.status_code < 400, message or expected)
        self.assertEqual(
            urljoin(base, response.location), urljoin(base, location), message
        )

    assertRedirects = assert_redirects  # Flask-Testing's camelCase alias

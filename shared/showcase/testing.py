"""Test helpers: CSRF-aware form posts, bad URLs, and a fixed Flask-Testing base.

The examples keep CSRF protection on in their tests, so a test posts a form the
way a browser does: GET the page, read the hidden ``csrf_token``, POST it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import flask_testing
from flask import Flask, g, request_started
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

#: URLs that must never be followed after login: Django's list of unsafe
#: redirect targets (``url_has_allowed_host_and_scheme`` tests) plus a few more.
BAD_REDIRECT_TARGETS = [
    "http://example.com",
    "http:///example.com",
    "https://example.com",
    "ftp://example.com",
    r"\\example.com",
    r"\\\example.com",
    r"/\\/example.com",
    r"\\//example.com",
    r"/\/example.com",
    r"\/example.com",
    r"/\example.com",
    r"http:/\//example.com",
    r"http:\/example.com",
    r"http:/\example.com",
    'javascript:alert("XSS")',
    "\njavascript:alert(x)",
    "\x08//example.com",
    r"http://otherserver\@example.com",
    r"http:\\testserver\@example.com",
    r"http://testserver\me:pass@example.com",
    r"http://testserver\@example.com",
    r"http:\\testserver\confirm\me@example.com",
    "http:999999999",
    "ftp:9999999999",
    "\n",
    "http://[2001:cdba:0000:0000:0000:0000:3257:9652/",
    "http://2001:cdba:0000:0000:0000:0000:3257:9652]/",
    "//example.com",
    "///example.com",
    "/\t/example.com",
    " //example.com",
    "example.com",
    "",
]


class _CsrfTokenFinder(HTMLParser):
    """Collects the value of the first ``<input name="csrf_token">``."""

    def __init__(self) -> None:
        super().__init__()
        self.token: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = dict(attrs)
        if tag == "input" and fields.get("name") == "csrf_token" and self.token is None:
            self.token = fields.get("value")


def csrf_token(page: TestResponse | str) -> str:
    """Return the CSRF token of the first form on ``page``, as a browser would send it."""
    html = page if isinstance(page, str) else page.get_data(as_text=True)
    finder = _CsrfTokenFinder()
    finder.feed(html)
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
    """POST ``data`` to ``url`` with the CSRF token read from the form page.

    The form page is ``url`` itself unless ``form_url`` names another one (for a
    button such as "Log out" that sits on every page).
    """
    page = client.get(form_url or url)
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(page)}, **kwargs)


def _forget_csrf_token(sender: Flask, **extra: Any) -> None:
    """Drop the CSRF token Flask-WTF cached in ``g`` by an earlier request."""
    g.pop("csrf_token", None)


class TestCase(flask_testing.TestCase):
    """Flask-Testing's ``TestCase``, fixed for today's Flask, Werkzeug and Flask-WTF.

    - ``assert_redirects``: Werkzeug 2.1+ sends relative ``Location`` headers
      (``/auth/login``), while Flask-Testing 0.8.1 compares against
      ``http://localhost/auth/login`` and fails (flask-testing issue #154). Here
      both sides are resolved against the test server before comparing.
    - CSRF tokens: Flask-Testing keeps one app context for the whole test, so
      every request shares one ``g``. Flask-WTF caches the form's CSRF token in
      ``g``; after a login clears the session, that cached token no longer
      matches and the next form would fail with 400. Each request here starts
      without it, as in a real server.
    """

    def _pre_setup(self) -> None:
        super()._pre_setup()
        request_started.connect(_forget_csrf_token, self.app)

    def _post_teardown(self) -> None:
        request_started.disconnect(_forget_csrf_token)
        super()._post_teardown()

    def assert_redirects(
        self, response: TestResponse, location: str, message: str | None = None
    ) -> None:
        """Assert that ``response`` redirects to ``location`` (a path or a full URL)."""
        base = "http://{}/".format(self.app.config.get("SERVER_NAME") or "localhost")
        self.assertIn(
            response.status_code,
            (301, 302, 303, 305, 307, 308),
            message or f"HTTP redirect expected but got {response.status_code}",
        )
        self.assertEqual(urljoin(base, response.location), urljoin(base, location), message)

    assertRedirects = assert_redirects  # Flask-Testing's camelCase alias

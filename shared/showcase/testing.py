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

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        fields = dict(attrs)
        if (
            tag == "input"
            and fields.get("name") == "csrf_token"
            and self.token is None
        ):
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
    return client.post(
        url, data={**(data or {}), "csrf_token": csrf_token(page)}, **kwargs
    )


class TestCase(flask_testing.TestCase):
    """Flask-Testing's ``TestCase``, fixed for today's Flask, Werkzeug and Flask-WTF.

    - ``assert_redirects``: Werkzeug 2.1+ sends relative ``Location`` headers
      (``/auth/login``), while Flask-Testing 0.8.1 compares against
      ``http://localhost/auth/login`` and fails (flask-testing issue #154). Here
      both sides are resolved against the test server before comparing.
    - One context per request: Flask-Testing pushes a request context for the
      whole test, so every request of the test client shares one app context
      and one ``g``. Anything cached in ``g`` then outlives its request:
      Flask-WTF's CSRF token (stale after a login clears the session, so the
      next form fails with 400) or Flask-Login's current user (still
      unconfirmed after confirming). Here that context is popped once the test
      is set up, so each request gets its own, as in a real server. A test
      that needs a context opens one: ``with self.app.test_request_context():``.
    """

    def _pre_setup(self) -> None:
        super()._pre_setup()
        self._ctx.pop()
        self._ctx = None  # Flask-Testing's teardown pops it only if it is set

    def assert_redirects(
        self, response: TestResponse, location: str, message: str | None = None
    ) -> None:
        """Assert that ``response`` redirects to ``location`` (a path or a full URL)."""
        base = "http://{}/".format(
            self.app.config.get("SERVER_NAME") or "localhost"
        )
        self.assertIn(
            response.status_code,
            (301, 302, 303, 305, 307, 308),
            message
            or f"HTTP redirect expected but got {response.status_code}",
        )
        self.assertEqual(
            urljoin(base, response.location), urljoin(base, location), message
        )

    assertRedirects = assert_redirects  # Flask-Testing's camelCase alias

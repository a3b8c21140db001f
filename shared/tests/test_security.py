"""showcase.security: headers on every response, and safe redirect targets."""

from __future__ import annotations

import pytest

from showcase.security import is_safe_redirect_target
from showcase.testing import BAD_REDIRECT_TARGETS


def test_security_headers_on_pages_and_errors(client):
    for url in ("/", "/missing"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "style-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"


def test_a_view_can_set_its_own_policy(app, client):
    @app.get("/framed")
    def framed():
        return "ok", {"X-Frame-Options": "SAMEORIGIN"}

    assert client.get("/framed").headers["X-Frame-Options"] == "SAMEORIGIN"


def test_config_can_change_the_policy(app, client):
    app.config["CONTENT_SECURITY_POLICY"] = "default-src 'none'"
    assert (
        client.get("/").headers["Content-Security-Policy"]
        == "default-src 'none'"
    )


@pytest.mark.parametrize("target", BAD_REDIRECT_TARGETS)
def test_unsafe_targets_are_refused(target):
    assert not is_safe_redirect_target(target)


@pytest.mark.parametrize(
    "target",
    [None, "/\u2028/example.com", "/\u00a0/example.com", "/a\u200bb", "/x y"],
)
def test_missing_and_invisible_characters_are_refused(target):
    assert not is_safe_redirect_target(target)


@pytest.mark.parametrize(
    "target",
    [
        "/",
        "/create",
        "/1/update?x=1",
        "/auth/login?next=%2F",
        "/a/b#frag",
        "/caf\u00e9",
    ],
)
def test_same_site_paths_are_accepted(target):
    assert is_safe_redirect_target(target)

"""showcase.security: the security headers on every response."""

from __future__ import annotations


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


def test_pages_that_read_the_session_are_never_stored(app, client):
    """A page made for one visitor must stay out of shared caches."""

    @app.get("/public-page")
    def public_page():
        return "the same for everyone"

    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert "Cache-Control" not in client.get("/public-page").headers

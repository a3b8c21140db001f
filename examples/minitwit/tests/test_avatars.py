"""Avatars: drawn locally by default, gravatar.com only when configured."""

from __future__ import annotations

import re

import pytest

from minitwit.models import User

pytestmark = pytest.mark.step(2)


def avatar_srcs(html: str) -> list[str]:
    """The src of every avatar image on a page."""
    return re.findall(r'<img class="avatar" src="([^"]+)"', html)


@pytest.mark.step(7)
def test_local_avatars_are_served_by_the_app(client, auth):
    auth.signup("alice")
    from showcase.testing import submit_form

    submit_form(client, "/add_message", {"text": "hi"}, form_url="/")
    (src,) = avatar_srcs(client.get("/public").get_data(as_text=True))
    assert re.fullmatch(r"/avatar/[0-9a-f]{32}\.svg", src)
    response = client.get(src)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.data.startswith(b"<svg")
    assert "max-age=86400" in response.headers["Cache-Control"]
    # The page tells nothing about the address: no plain hash of it.
    import hashlib

    md5 = hashlib.md5(b"alice@example.com").hexdigest()  # noqa: S324 (old way)
    assert md5 not in src
    assert hashlib.sha256(b"alice@example.com").hexdigest()[:32] not in src


def avatar_of(email: str) -> str:
    """The avatar URL of an account with the address ``email``."""
    return User(email=email).avatar


def test_same_address_same_avatar_any_case(app):
    with app.test_request_context():
        assert avatar_of("Alice@example.com") == avatar_of("alice@example.com")
        assert avatar_of("alice@example.com") != avatar_of("bob@example.com")


def test_different_digests_draw_different_pictures(client):
    first = client.get("/avatar/" + "0" * 32 + ".svg").data
    second = client.get("/avatar/" + "f" * 32 + ".svg").data
    assert first != second
    assert b"<rect" in second


@pytest.mark.parametrize(
    "digest", ["abc", "G" * 32, "0" * 33, "../../etc/passwd"]
)
def test_bad_digest_is_404(client, digest):
    assert client.get(f"/avatar/{digest}.svg").status_code == 404


def test_csp_allows_no_other_host_by_default(client):
    csp = client.get("/public").headers["Content-Security-Policy"]
    assert "gravatar" not in csp
    assert "img-src 'self' data:" in csp


def test_gravatar_option(make_app):
    app = make_app(AVATARS="gravatar")
    with app.test_request_context():
        url = avatar_of("Alice@Example.com")
    import hashlib

    digest = hashlib.sha256(b"alice@example.com").hexdigest()
    assert url == f"https://www.gravatar.com/avatar/{digest}?d=identicon"
    csp = app.config["CONTENT_SECURITY_POLICY"]
    assert "img-src https://www.gravatar.com 'self' data:" in csp


def test_unknown_avatar_option_stops_the_app(make_app):
    with pytest.raises(ValueError, match="AVATARS must be"):
        make_app(AVATARS="gravtar")

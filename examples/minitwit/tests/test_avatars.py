"""Avatars: drawn by the app by default, gravatar.com only when asked."""

from __future__ import annotations

import hashlib

import pytest
from html_page import Page

from showcase.testing import submit_form

pytestmark = pytest.mark.step(5)


def avatar_srcs(html: str) -> list[str]:
    """Where each avatar on a page comes from, in any markup."""
    srcs = [image.get("src", "") for image in Page(html).images]
    return [src for src in srcs if "/avatar/" in src]


@pytest.mark.step(12)
def test_local_avatars_are_served_by_the_app(client, auth):
    auth.signup("alice")
    submit_form(client, "/add_message", {"text": "hi"}, form_url="/")
    (src,) = avatar_srcs(client.get("/public").get_data(as_text=True))
    assert src == "/avatar/alice.svg"
    response = client.get(src)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.data.startswith(b"<svg")
    assert "max-age=86400" in response.headers["Cache-Control"]


def test_same_name_same_picture_any_case(client):
    assert client.get("/avatar/Alice.svg").data == (
        client.get("/avatar/alice.svg").data
    )
    assert client.get("/avatar/alice.svg").data != (
        client.get("/avatar/bob.svg").data
    )


def test_the_picture_depends_on_the_secret_key(app, client):
    first = client.get("/avatar/alice.svg").data
    app.config["SECRET_KEY"] = "another-secret-key-for-this-test"
    assert client.get("/avatar/alice.svg").data != first


@pytest.mark.step(16)
@pytest.mark.parametrize("name", ["x" * 31, "public", "a%00b"])
def test_no_picture_for_a_name_no_account_can_have(client, name):
    assert client.get(f"/avatar/{name}.svg").status_code == 404


def test_csp_allows_no_other_host_by_default(client):
    csp = client.get("/public").headers["Content-Security-Policy"]
    assert "gravatar" not in csp
    assert "img-src 'self' data:" in csp


def test_gravatar_option(make_app):
    app = make_app(AVATARS="gravatar")
    with app.app_context():
        from minitwit.models import User, db

        db.create_all()
        db.session.add(User(username="alice", email="Alice@Example.com",
                            pw_hash="!", session_token="t"))  # fmt: skip
        db.session.commit()
    client = app.test_client()
    digest = hashlib.sha256(b"alice@example.com").hexdigest()
    gravatar = f"https://www.gravatar.com/avatar/{digest}?d=identicon&s=48"
    assert client.get("/avatar/alice.svg").location == gravatar
    assert client.get("/avatar/nobody.svg").status_code == 404
    csp = app.config["CONTENT_SECURITY_POLICY"]
    assert "img-src https://www.gravatar.com 'self' data:" in csp


def test_unknown_avatar_option_stops_the_app(make_app):
    with pytest.raises(ValueError, match="AVATARS"):  # names the setting
        make_app(AVATARS="gravtar")

"""The session: a visit counter in a signed cookie."""

import pytest
from conftest import page_text, redirects_to, words

from showcase.testing import submit_form


def count_shown(client) -> list[str]:
    """Open /session; the numbers the page shows."""
    response = client.get("/session")
    assert response.status_code == 200
    return [word for word in words(page_text(response)) if word.isdigit()]


#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(11)


def test_counts_visits(client):
    """Each visit shows the count, one more each time, kept in
    session["visits"]."""
    for visits in range(1, 4):
        assert str(visits) in count_shown(client)
    with client.session_transaction() as session:
        assert session["visits"] == 3


def test_each_browser_has_its_own_count(app):
    first, second = app.test_client(), app.test_client()
    first.get("/session")
    first.get("/session")
    assert count_shown(second) == ["1"]


def test_session_cookie_is_signed_and_httponly(client):
    response = client.get("/session")
    set_cookie = response.headers["Set-Cookie"]
    assert set_cookie.startswith("session=")
    assert "HttpOnly" in set_cookie
    assert "SameSite=Lax" in set_cookie


def test_tampered_session_is_ignored(client):
    """A cookie edited by hand fails the signature check: a fresh session."""
    client.set_cookie("session", '{"visits": 99}')
    assert count_shown(client) == ["1"]


def test_reset(client):
    client.get("/session")
    client.get("/session")
    response = submit_form(client, "/session/reset", form_url="/session")
    assert redirects_to(response, "/session")
    with client.session_transaction() as session:
        assert "visits" not in session
    assert count_shown(client) == ["1"]


def test_reset_without_a_count(client):
    response = submit_form(client, "/session/reset", form_url="/methods")
    assert redirects_to(response, "/session")


def test_reset_needs_post(client):
    assert client.get("/session/reset").status_code == 405


def test_reset_without_csrf_token(client):
    client.get("/session")
    assert client.post("/session/reset").status_code == 400
    with client.session_transaction() as session:
        assert session["visits"] == 1

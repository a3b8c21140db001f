"""The session: a visit counter in a signed cookie."""

import pytest

from showcase.testing import submit_form

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(11)


def test_counts_visits(client):
    for visits in range(1, 4):
        page = client.get("/session").get_data(as_text=True)
        assert f"<strong>{visits}</strong> time" in page
    with client.session_transaction() as session:
        assert session["visits"] == 3


def test_one_time_or_many_times(client):
    assert "<strong>1</strong> time." in client.get("/session").get_data(
        as_text=True
    )
    assert "<strong>2</strong> times." in client.get("/session").get_data(
        as_text=True
    )


def test_each_browser_has_its_own_count(app):
    first, second = app.test_client(), app.test_client()
    first.get("/session")
    first.get("/session")
    assert "<strong>1</strong>" in second.get("/session").get_data(
        as_text=True
    )


def test_session_cookie_is_signed_and_httponly(client):
    response = client.get("/session")
    set_cookie = response.headers["Set-Cookie"]
    assert set_cookie.startswith("session=")
    assert "HttpOnly" in set_cookie
    assert "SameSite=Lax" in set_cookie


def test_tampered_session_is_ignored(client):
    """A cookie edited by hand fails the signature check: a fresh session."""
    client.set_cookie("session", '{"visits": 99}')
    assert "<strong>1</strong>" in client.get("/session").get_data(
        as_text=True
    )


def test_reset(client):
    client.get("/session")
    client.get("/session")
    response = submit_form(client, "/session/reset", form_url="/session")
    assert response.location == "/session"
    with client.session_transaction() as session:
        assert "visits" not in session
    assert "<strong>1</strong>" in client.get("/session").get_data(
        as_text=True
    )


def test_reset_without_a_count(client):
    response = submit_form(client, "/session/reset", form_url="/methods")
    assert response.location == "/session"


def test_reset_needs_post(client):
    assert client.get("/session/reset").status_code == 405


def test_reset_without_csrf_token(client):
    client.get("/session")
    assert client.post("/session/reset").status_code == 400
    with client.session_transaction() as session:
        assert session["visits"] == 1

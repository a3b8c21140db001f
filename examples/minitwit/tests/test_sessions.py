"""Sessions that end on the server: logging out, a new password, age.

A signed session cookie cannot be taken back from the browser, or from
whoever copied it. These tests copy the cookies the way a thief would, and
check that the server stops honouring them.
"""

from __future__ import annotations

import time

import pytest
from conftest import AuthActions

from minitwit.models import db, load_user
from showcase.testing import csrf_token, submit_form

pytestmark = pytest.mark.step(8)

DAY = 24 * 3600


def logged_in(client) -> bool:
    """Whether ``client`` gets the home timeline (not a redirect)."""
    return client.get("/").status_code == 200


def copy_cookies(client) -> dict[str, str]:
    """The session and remember-me cookies, as a thief would copy them."""
    return {
        name: cookie.value
        for name in ("session", "remember_token")
        if (cookie := client.get_cookie(name)) is not None
    }


def browser_with(app, cookies: dict[str, str]):
    """A new browser that carries only the ``cookies`` given."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief


@pytest.mark.step(15)
@pytest.mark.parametrize("kept", ["session", "remember_token"])
def test_logout_ends_the_copied_cookies(app, client, auth, kept):
    auth.register("alice")
    auth.logout()
    auth.login(remember=True)
    stolen = copy_cookies(client)
    assert logged_in(browser_with(app, {kept: stolen[kept]}))
    auth.logout()
    assert not logged_in(browser_with(app, {kept: stolen[kept]}))


@pytest.mark.step(15)
def test_password_change_ends_other_sessions(app, client, auth):
    auth.register("alice")
    auth.logout()
    auth.login(remember=True)
    other = browser_with(app, copy_cookies(client))
    response = submit_form(
        client,
        "/settings/password",
        {
            "current_password": "correct-horse",
            "password": "battery-staple",
            "password2": "battery-staple",
        },
    )
    assert response.location == "/"
    assert logged_in(client)  # this browser stays
    assert not logged_in(other)


@pytest.mark.step(15)
def test_remember_cookie_is_new_at_every_login(client, auth):
    auth.register("alice")
    values = []
    for _ in range(2):
        auth.logout()
        auth.login(remember=True)
        values.append(client.get_cookie("remember_token").value)
    assert values[0] != values[1]


@pytest.mark.step(15)
def test_remember_cookie_expires_on_the_server(app, client, auth, monkeypatch):
    auth.register("alice")
    auth.logout()
    auth.login(remember=True)
    stolen = {"remember_token": client.get_cookie("remember_token").value}
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 13 * DAY)
    assert logged_in(browser_with(app, stolen))
    monkeypatch.setattr(time, "time", lambda: now + 15 * DAY)
    assert not logged_in(browser_with(app, stolen))


@pytest.mark.step(15)
def test_login_lifetime_follows_the_config_in_seconds(app, client, auth):
    auth.register("alice")
    assert logged_in(client)
    app.config["REMEMBER_COOKIE_DURATION"] = -1  # seconds: already too old
    assert not logged_in(client)


@pytest.mark.parametrize("login_id", ["", "token", "token.soon.x", "a.-1.b"])
def test_malformed_login_ids_load_nobody(app, login_id):
    with app.app_context():
        db.create_all()
        assert load_user(login_id) is None


@pytest.mark.step(9)
def test_remember_cookie_secure_with_the_session_cookie(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True)
    with app.app_context():
        db.create_all()
    auth = AuthActions(app.test_client())
    auth.register("alice")
    auth.logout()
    response = auth.login(remember=True)
    headers = response.headers.getlist("Set-Cookie")
    # Secure cookies get a __Host- name: browsers keep them to HTTPS.
    (remember,) = [h for h in headers if h.startswith("__Host-remember_")]
    assert "Secure" in remember


@pytest.mark.step(15)
def test_csrf_token_from_before_login_fails_after_it(client, auth):
    auth.register("alice")
    auth.logout()
    before = csrf_token(client.get("/login"))
    auth.login()
    response = client.post("/logout", data={"csrf_token": before})
    assert response.status_code == 400
    assert logged_in(client)


@pytest.mark.step(15)
def test_session_is_new_at_login(client, auth):
    auth.register("alice")
    auth.logout()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    auth.login()
    with client.session_transaction() as session:
        assert "planted" not in session

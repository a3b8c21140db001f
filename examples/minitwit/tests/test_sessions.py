"""Sessions that end on the server: logging out, a new password, age.

A signed session cookie cannot be taken back from the browser, or from
whoever copied it. These tests copy the cookies the way a thief would, and
check that the server stops honouring them.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from conftest import NOW, AuthActions, flashed, mail_link, sql
from sent_mail import recorded_mail

from minitwit.models import User, db, load_user
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


# --- pre-hijacking: signing up with someone else's address -----------------


def sign_up_as_mallory(app):
    """Mallory signs up with victim@example.com and stays logged in; the
    confirmation mail goes to the victim's inbox."""
    mallory = AuthActions(app.test_client())
    mallory.register("mallory", email="victim@example.com")
    assert logged_in(mallory.client)
    return mallory


@pytest.mark.step(15)
def test_confirming_ends_the_sessions_of_whoever_signed_up(app):
    """The owner of the address confirms it from the mail, logged out:
    mallory, who signed up with it, is logged out."""
    mallory = sign_up_as_mallory(app)
    victim = app.test_client()
    response = submit_form(victim, mallory.confirm_link)
    assert response.location == "/"
    assert not logged_in(mallory.client)
    assert not logged_in(victim)  # the link confirms; it does not log in


@pytest.mark.step(15)
def test_confirming_keeps_this_browser_logged_in(app, client, auth):
    """Confirmed in the browser that is logged in: it stays logged in, and
    the page says the other browsers were logged out."""
    auth.register("alice")
    laptop = AuthActions(app.test_client())
    laptop.login()
    response = submit_form(client, auth.confirm_link)
    assert response.location == "/"
    said = "Every other browser logged in to this account was logged out."
    assert ("message", said) in flashed(client)
    assert logged_in(client)
    assert not logged_in(laptop.client)


@pytest.mark.step(15)
def test_confirming_twice_at_once_confirms_once(
    app, client, auth, monkeypatch
):
    """Two tabs press the button at once: the later gets the page of a
    link that does not work (400), never an error; the first one's change
    stays."""
    auth.register("alice")
    page = client.get(auth.confirm_link)
    real_commit = db.session.commit

    def other_tab_first():
        sql(app, "UPDATE account SET session_token = 'other-tab'")
        real_commit()

    monkeypatch.setattr(db.session, "commit", other_tab_first)
    response = client.post(
        auth.confirm_link, data={"csrf_token": csrf_token(page)}
    )
    assert response.status_code == 400
    (row,) = sql(app, "SELECT session_token FROM account")
    assert row["session_token"] == "other-tab"


def age_accounts(app, days: float) -> None:
    """Make every account look signed up ``days`` ago."""
    with app.app_context():
        for user in db.session.scalars(db.select(User)):
            user.created = NOW - timedelta(days=days)
        db.session.commit()


@pytest.mark.step(15)
def test_an_unconfirmed_sign_up_gives_its_address_up_when_its_link_dies(app):
    """Past CONFIRM_TOKEN_MAX_AGE, the daily ``flask expire-signups``
    deletes mallory's account, and with it her session: the owner of the
    address signs up with it."""
    mallory = sign_up_as_mallory(app)
    age_accounts(app, 3)  # the link worked for 2 days
    result = app.test_cli_runner().invoke(args=["expire-signups"])
    assert result.exit_code == 0, result.output
    assert sql(app, "SELECT username FROM account") == []
    victim = AuthActions(app.test_client())
    with recorded_mail() as outbox:
        victim.register("victim", email="victim@example.com")
    (mail,) = outbox
    assert "/confirm/" in mail_link(mail)  # a new account, not "you have one"
    assert not logged_in(mallory.client)
    assert logged_in(victim.client)
    names = sql(app, "SELECT username FROM account")
    assert [row["username"] for row in names] == ["victim"]


@pytest.mark.step(16)  # a taken address: the owner gets a mail
def test_a_sign_up_keeps_its_address_while_its_link_works(app):
    """Within CONFIRM_TOKEN_MAX_AGE (or once confirmed), the address stays
    taken: a second sign-up only mails its owner."""
    sign_up_as_mallory(app)
    AuthActions(app.test_client()).signup("carol")  # confirmed
    age_accounts(app, 3)
    with app.app_context():
        User.named("mallory").created = NOW - timedelta(days=1)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["expire-signups"])
    assert result.exit_code == 0, result.output
    with recorded_mail() as outbox:
        AuthActions(app.test_client()).register("victim", "victim@example.com")
    assert outbox[0].subject == "[minitwit] You already have an account"
    names = sql(app, "SELECT username FROM account ORDER BY id")
    assert [row["username"] for row in names] == ["mallory", "carol"]

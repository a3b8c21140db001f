"""Signing up, logging in and out: the original minitwit scenarios and more."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import click
import pytest
from conftest import (
    PASSWORD,
    AuthActions,
    flashed,
    mail_link,
    make_config,
    sql,
)
from flask import session
from flask.cli import ScriptInfo
from html_page import Page
from sent_mail import recorded_mail

import minitwit.auth
import minitwit.models
from minitwit import create_app
from minitwit.cli import DEMO_PASSWORD, DEMO_USERS
from minitwit.models import User
from showcase.testing import BAD_REDIRECT_TARGETS, submit_form

pytestmark = pytest.mark.step(8)


def user_rows(app):
    """Every account's row, read straight from the database."""
    return sql(app, "SELECT * FROM account ORDER BY id")


# --- signing up --------------------------------------------------------------


@pytest.mark.step(9)
def test_register_page(client):
    response = client.get("/register")
    assert response.status_code == 200
    fields = Page(response.text).fields()
    for name in ("username", "email", "password", "password2", "csrf_token"):
        assert name in fields


@pytest.mark.step(10)
def test_register_creates_unconfirmed_account_and_mails_it(app, client):
    data = {
        "username": "alice",
        "email": "alice@example.com",
        "password": PASSWORD,
        "password2": PASSWORD,
    }
    with recorded_mail() as outbox:
        response = submit_form(client, "/register", data)
    assert response.location == "/login"
    (row,) = user_rows(app)
    assert row["username"] == "alice"
    assert row["email"] == "alice@example.com"
    assert row["confirmed_at"] is None
    assert row["pw_hash"] != PASSWORD and row["pw_hash"].startswith("pbkdf2:")
    (message,) = outbox
    assert message.recipients == ["alice@example.com"]
    assert "/confirm/" in mail_link(message)
    ((category, message),) = flashed(client)
    assert category == "success" and "alice@example.com" in message


@pytest.mark.step(9)
@pytest.mark.parametrize(
    ("username", "email", "password", "password2", "message"),
    [
        (
            "",
            "a@example.com",
            "long-enough",
            "long-enough",
            "Choose a username.",
        ),
        ("meh", "", "long-enough", "long-enough", "Enter your email address."),
        (
            "meh",
            "broken",
            "long-enough",
            "long-enough",
            "Enter a valid email address.",
        ),
        ("meh", "a@example.com", "", "", "Choose a password."),
        ("meh", "a@example.com", "short", "short", "Use 8 to 256 characters."),
        (
            "meh",
            "a@example.com",
            "long-enough",
            "",
            "Type the password again.",
        ),
        (
            "meh",
            "a@example.com",
            "long-enough",
            "different!",
            "The two passwords do not match.",
        ),
    ],
)
def test_register_errors(
    app, auth, username, email, password, password2, message
):
    response = auth.register(username, email, password, password2)
    assert response.status_code == 400
    assert message in Page(response.text).text()
    assert user_rows(app) == []


@pytest.mark.step(9)
def test_register_taken_username_any_case(app, client, auth):
    auth.register("alice")
    auth.logout()
    response = auth.register("ALICE", email="other@example.com")
    assert response.status_code == 400
    assert "That username is already taken." in Page(response.text).text()
    assert len(user_rows(app)) == 1


@pytest.mark.step(16)
def test_register_email_stripped_and_unique_any_case(app, auth):
    auth.register("alice", email="  Alice@EXAMPLE.Com ")
    (row,) = user_rows(app)
    assert row["email"] == "Alice@EXAMPLE.Com"  # the spaces gone
    auth.logout()
    response = auth.register("bob", email="alice@example.COM")
    assert response.location == "/login"  # the page tells nothing
    assert len(user_rows(app)) == 1


@pytest.mark.step(20)
def test_one_account_per_address_beyond_ascii(app, auth):
    """ÉLODIE@example.com has an account: a sign-up as élodie@example.com
    only mails her, and a reset asked with either spelling reaches her."""
    auth.register("elodie", email="ÉLODIE@example.com")
    auth.logout()
    with recorded_mail() as outbox:
        other = AuthActions(app.test_client())
        other.register("other", email="élodie@example.com")
        for email in ("élodie@example.com", "ÉLODIE@\uff45xample.com"):
            submit_form(app.test_client(), "/reset", {"email": email})
    assert [row["username"] for row in user_rows(app)] == ["elodie"]
    assert [mail.subject for mail in outbox] == [
        "[minitwit] You already have an account",
        "[minitwit] Choose a new password",
        "[minitwit] Choose a new password",
    ]
    resets = {mail.recipients[0] for mail in outbox[1:]}
    assert resets == {"ÉLODIE@example.com"}


@pytest.mark.step(9)
@pytest.mark.parametrize(
    "email",
    [
        "victim@example.com\r\nBcc: everyone@example.com",
        "victim@example.com\nBcc: everyone@example.com",
        "victim@example.com\rX-Injected: 1",
        "victim\n@example.com",
    ],
)
def test_register_header_injection_is_a_form_error(app, auth, email):
    response = auth.register("mallory", email=email)
    assert response.status_code == 400
    assert "Enter a valid email address." in Page(response.text).text()
    assert auth.confirm_link is None  # no mail was sent
    assert user_rows(app) == []


@pytest.mark.step(9)
@pytest.mark.parametrize(
    "username",
    [
        "a/b",
        "a b",
        "a\tb",
        "a\x00b",
        "a\x1bb",
        "a\x7fb",
        "a\u200bb",
        ".",
        "..",
        "-dash",
        "x" * 31,
        "al\u0456ce",  # a Cyrillic i: looks like "alice"
    ],
)
def test_register_refuses_bad_usernames(app, auth, username):
    response = auth.register(username, email="someone@example.com")
    assert response.status_code == 400
    assert user_rows(app) == []


@pytest.mark.step(16)
@pytest.mark.parametrize(
    "username",
    [
        "public",
        "login",
        "logout",
        "register",
        "reset",
        "confirm",
        "settings",
        "add_message",
        "static",
        "_showcase",
        "avatar",
        "Login",
        "PUBLIC",
    ],
)
def test_register_refuses_names_of_routes(app, auth, username):
    response = auth.register(username, email="someone@example.com")
    assert response.status_code == 400
    assert "That name is reserved by the site." in Page(response.text).text()
    assert user_rows(app) == []


@pytest.mark.step(16)
def test_reserved_names_come_from_the_url_map(tmp_path):
    from minitwit.forms import route_names

    # An app of its own: a rule added here must not reach other tests.
    app = create_app(make_config(tmp_path))
    app.add_url_rule("/brand-new-page", "brand_new", lambda: "new")
    names = route_names(app.url_map)
    assert "brand-new-page" in names
    assert {
        "public",
        "login",
        "register",
        "settings",
        "_showcase",
        "avatar",
    } <= names
    assert "" not in names
    assert not any("<" in name for name in names)


@pytest.mark.step(16)
def test_register_race_on_username_gives_one_row(app, auth, monkeypatch):
    from minitwit.forms import RegisterForm

    auth.register("alice")
    auth.logout()
    # The form's check says the name is free, as it would for a second
    # request that checked just before the first one's INSERT: the unique
    # index decides.
    monkeypatch.setattr(RegisterForm, "validate_username", lambda *args: None)
    response = auth.register("alice", email="second@example.com")
    assert response.status_code == 409
    assert len(user_rows(app)) == 1


@pytest.mark.step(16)
def test_register_race_on_email_gives_one_row(app, client, auth, monkeypatch):
    auth.register("alice")
    auth.logout()
    # The view's check says the address is free, as it would for a second
    # request that checked just before the first one's INSERT.
    monkeypatch.setattr(minitwit.auth, "user_with_email", lambda email: None)
    response = auth.register("bob", email="ALICE@example.com")
    assert response.status_code == 409
    assert len(user_rows(app)) == 1


@pytest.mark.step(9)
def test_logged_in_user_is_sent_home_from_register_and_login(client, auth):
    auth.register("alice")
    assert client.get("/register").location == "/"
    assert client.get("/login").location == "/"


@pytest.mark.step(9)
def test_register_without_csrf_token_is_refused(app, client):
    response = client.post(
        "/register",
        data={
            "username": "a",
            "email": "a@example.com",
            "password": "x" * 8,
            "password2": "x" * 8,
        },
    )
    assert response.status_code == 400
    assert user_rows(app) == []


def test_default_password_hash_is_scrypt(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "DATABASE": str(tmp_path / "x"),
        }
    )
    with app.app_context():
        user = User()
        user.set_password("secret-password")
        assert user.pw_hash.startswith("scrypt:")


# --- the demo logins --------------------------------------------------------


def demo_logins_shown(app):
    """The demo usernames and password the login page shows."""
    words = Page(app.test_client().get("/login").text).text().split()
    return {word for word in [*DEMO_USERS, DEMO_PASSWORD] if word in words}


@pytest.mark.step(14)
def test_flask_run_shows_the_demo_logins_once_seeded(make_app):
    """Under ``flask run``, the login page lists the demo logins, but only
    once ``flask seed`` has made the accounts."""
    with click.Context(click.Command("run"), obj=ScriptInfo()):
        app = make_app(TESTING=False)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert demo_logins_shown(app) == set()
    assert "Loaded the demo data" in runner.invoke(args=["seed"]).output
    assert demo_logins_shown(app) == {*DEMO_USERS, DEMO_PASSWORD}


@pytest.mark.step(14)
def test_tests_and_production_never_show_the_demo_logins(make_app):
    """With the demo accounts there: nothing under TESTING, nothing under a
    production server."""
    testing = make_app()
    production = make_app(
        TESTING=False,
        SECRET_KEY="a-real-secret-key-for-this-test",
        MAIL_SERVER="smtp.example.com",
        MAIL_LINK_BASE="https://localhost",
    )
    for app in testing, production:
        result = app.test_cli_runner().invoke(args=["seed"])
        assert "Loaded the demo data" in result.output
        assert demo_logins_shown(app) == set()


# --- logging in and out ------------------------------------------------------


@pytest.mark.step(9)
def test_login_logout(client, auth):
    auth.register("alice")
    response = auth.logout()
    assert response.location == "/public"
    assert flashed(client)[-1] == ("message", "You were logged out.")
    response = auth.login("alice")
    assert response.location == "/"
    assert flashed(client)[-1] == ("success", "You were logged in.")
    auth.logout()
    assert client.get("/").location == "/public"


@pytest.mark.step(9)
@pytest.mark.parametrize(
    ("username", "password"),
    [("alice", "wrong-password"), ("nobody", PASSWORD)],
)
def test_login_failure_says_the_same_for_unknown_user_and_wrong_password(
    client, auth, username, password
):
    auth.register("alice")
    auth.logout()
    response = auth.login(username, password)
    assert response.status_code == 400
    assert "Invalid username or password." in Page(response.text).text()
    assert client.get("/").location == "/public"  # still logged out


@pytest.mark.step(16)
@pytest.mark.parametrize(
    ("username", "password"),
    [("alice", "wrong-password"), ("nobody", PASSWORD)],
)
def test_login_failure_checks_one_hash_either_way(
    auth, monkeypatch, username, password
):
    auth.register("alice")
    auth.logout()
    calls = []
    real_check = minitwit.models.check_password_hash

    def spy(pw_hash, candidate):
        calls.append(pw_hash)
        return real_check(pw_hash, candidate)

    monkeypatch.setattr(minitwit.models, "check_password_hash", spy)
    auth.login(username, password)
    # Same work whether or not the user exists, with the same hash method.
    assert len(calls) == 1
    assert calls[0].startswith("pbkdf2:sha256:1000$")


def test_login_empty_fields(auth):
    response = auth.login("", "")
    assert response.status_code == 400
    shown = Page(response.text).text()
    assert "Enter your username." in shown
    assert "Enter your password." in shown


@pytest.mark.finished
def test_only_the_fields_with_errors_are_marked_invalid(client, auth):
    """A screen reader hears which field is wrong, and only that one."""
    page = client.get("/login").get_data(as_text=True)
    assert "aria-invalid" not in page
    form = Page(auth.login("alice", "").text).form_with("password")
    assert form["password"].get("aria-invalid") == "true"
    assert "aria-invalid" not in form["username"]


@pytest.mark.step(9)
def test_login_username_any_case(client, auth):
    auth.register("alice")
    auth.logout()
    assert auth.login("ALICE").location == "/"


@pytest.mark.step(16)
def test_login_required_redirects_with_next_and_login_follows_it(client, auth):
    auth.register("alice")
    auth.logout()
    response = client.get("/settings/password")
    assert response.location == "/login?next=%2Fsettings%2Fpassword"
    assert (
        auth.login(next_url="/settings/password").location
        == "/settings/password"
    )


@pytest.mark.step(16)
def test_login_follows_a_safe_next_with_query(auth):
    auth.register("alice")
    auth.logout()
    assert auth.login(next_url="/public?page=1").location == "/public?page=1"


@pytest.mark.step(16)
def test_login_ignores_an_unsafe_next(auth):
    auth.register("alice")
    for target in BAD_REDIRECT_TARGETS:
        auth.logout()
        assert auth.login(next_url=target).location == "/", target


@pytest.mark.step(16)
@pytest.mark.parametrize(
    "path", ["/logout", "/add_message", "/alice/follow", "/alice/unfollow"]
)
def test_state_changing_routes_refuse_get(client, auth, path):
    auth.register("alice")
    assert client.get(path).status_code == 405
    assert client.get("/").status_code == 200  # still logged in


@pytest.mark.step(9)
def test_logout_without_csrf_token_is_refused(client, auth):
    auth.register("alice")
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200  # still logged in


@pytest.mark.step(9)
def test_logout_when_logged_out_just_redirects(client):
    response = submit_form(client, "/logout", form_url="/login")
    assert response.location == "/public"


# --- remember me and session protection --------------------------------------


def remember_cookie_header(response) -> str | None:
    """The Set-Cookie header of the remember-me cookie, if there is one."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith("remember_token="):
            return header
    return None


@pytest.mark.step(15)
def test_remember_me_cookie_is_httponly_lax_and_expires(client, auth):
    auth.register("alice")
    auth.logout()
    response = auth.login(remember=True)
    header = remember_cookie_header(response)
    assert header is not None
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    cookie = client.get_cookie("remember_token")
    lifetime = cookie.expires - datetime.now(timezone.utc)
    assert timedelta(days=13, hours=23) < lifetime <= timedelta(days=14)


@pytest.mark.step(9)
def test_no_remember_cookie_without_remember_me(auth):
    auth.register("alice")
    auth.logout()
    assert remember_cookie_header(auth.login()) is None


@pytest.mark.step(9)
def test_remember_cookie_logs_in_after_the_browser_closes(client, auth):
    auth.register("alice")
    auth.logout()
    auth.login(remember=True)
    client.delete_cookie(
        "session"
    )  # the browser was closed: session cookie gone
    response = client.get("/")
    assert response.status_code == 200  # not sent to /public: logged in


@pytest.mark.step(9)
def test_remember_cookie_holds_the_session_token_not_the_user_id(
    app, client, auth
):
    auth.register("alice")
    auth.logout()
    auth.login(remember=True)
    (row,) = user_rows(app)
    value = client.get_cookie("remember_token").value
    assert value.split(".")[0] == row["session_token"]


@pytest.mark.step(15)
def test_session_protection_basic_marks_a_moved_session_not_fresh(
    client, auth
):
    auth.register("alice")
    with client:
        client.get("/")
        assert session["_fresh"] is True
        response = client.get("/", headers={"User-Agent": "another browser"})
        assert (
            response.status_code == 200
        )  # still logged in ("basic", not "strong")
        assert session["_fresh"] is False

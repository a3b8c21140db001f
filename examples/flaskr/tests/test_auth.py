"""Registering, logging in and out, the session, and where login sends you next."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from flask import g, session

import flaskr.auth
from flaskr.db import get_db
from showcase.testing import BAD_REDIRECT_TARGETS, csrf_token, submit_form


def user_rows(app, username):
    """Return the rows of ``user`` with this username (case-insensitive)."""
    with app.app_context():
        return (
            get_db()
            .execute("SELECT * FROM user WHERE username = ?", (username,))
            .fetchall()
        )


# --- register ---------------------------------------------------------------


def test_register(client, app):
    """The form shows; a good registration stores a hashed password and goes to login."""
    page = client.get("/auth/register")
    assert page.status_code == 200
    assert 'name="username"' in page.text and 'name="password"' in page.text

    response = submit_form(
        client, "/auth/register", {"username": "a", "password": "a-password"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"

    (row,) = user_rows(app, "a")
    assert row["password"] != "a-password"
    assert row["password"].startswith("scrypt:")
    assert "Registered. You can log in now." in client.get("/auth/login").text


def test_register_trims_and_normalises_the_username(client, app):
    """Spaces around the name go; an accent typed two ways is stored one way."""
    decomposed = "Jose\u0301"  # "e" followed by a combining accent
    submit_form(
        client,
        "/auth/register",
        {"username": f"  {decomposed} ", "password": "12345678"},
    )
    (row,) = user_rows(app, "Jos\u00e9")
    assert row["username"] == "Jos\u00e9"


@pytest.mark.parametrize(
    ("username", "password", "field", "message"),
    [
        ("", "a-password", "username", "Username is required."),
        ("   ", "a-password", "username", "Username is required."),
        (
            "a" * 81,
            "a-password",
            "username",
            "Username must be at most 80 characters.",
        ),
        (
            "a" * 10_000,
            "a-password",
            "username",
            "Username must be at most 80 characters.",
        ),
        (
            "bad\x00name",
            "a-password",
            "username",
            "cannot contain control or invisible",
        ),
        (
            "bad\nname",
            "a-password",
            "username",
            "cannot contain control or invisible",
        ),
        (
            "zero\u200bwidth",
            "a-password",
            "username",
            "cannot contain control or invisible",
        ),
        ("a", "", "password", "Password is required."),
        (
            "a",
            "1234567",
            "password",
            "Password must be at least 8 characters.",
        ),
        (
            "a",
            "x" * 257,
            "password",
            "Password must be at most 256 characters.",
        ),
        (
            "a",
            "x" * 10_000,
            "password",
            "Password must be at most 256 characters.",
        ),
        ("test", "a-password", "username", "User test is already registered."),
        ("TEST", "a-password", "username", "User TEST is already registered."),
    ],
)
def test_register_validate_input(
    client, app, username, password, field, message
):
    """Each bad input gets its message next to its field, status 400, and no new user."""
    with app.app_context():
        before = get_db().execute("SELECT COUNT(*) FROM user").fetchone()[0]
    response = submit_form(
        client, "/auth/register", {"username": username, "password": password}
    )
    assert response.status_code == 400
    assert f'<p class="error" id="{field}-error">' in response.text
    assert message in response.text
    with app.app_context():
        assert (
            get_db().execute("SELECT COUNT(*) FROM user").fetchone()[0]
            == before
        )


@pytest.mark.parametrize("username", ["a" * 80, "Zoë", "名前", "with space"])
def test_register_accepts_limits_and_letters(client, app, username):
    """80 characters, accents, other scripts and inner spaces are fine."""
    response = submit_form(
        client, "/auth/register", {"username": username, "password": "x" * 256}
    )
    assert response.status_code == 302
    assert len(user_rows(app, username)) == 1


def test_register_missing_fields(client):
    """A form without its fields is a form error, not a crash."""
    response = submit_form(client, "/auth/register", {})
    assert response.status_code == 400
    assert "Username is required." in response.text
    assert "Password is required." in response.text


def test_register_keeps_the_username_but_never_the_password(client):
    """After an error the username is filled in again; the password is not."""
    response = submit_form(
        client, "/auth/register", {"username": "kept", "password": "short"}
    )
    assert 'value="kept"' in response.text
    assert "short" not in response.text


def test_register_race_inserted_between_check_and_insert(
    client, app, monkeypatch
):
    """Another registration lands after this one was checked: one row, one clear error.

    Hashing the password is the slow step between validating the form and the
    INSERT; here another connection registers the same name during it.
    """
    real_hash = flaskr.auth.generate_password_hash

    def hash_while_someone_else_registers(password):
        other = sqlite3.connect(app.config["DATABASE"])
        with other:
            other.execute(
                "INSERT INTO user (username, password) VALUES ('race', 'x')"
            )
        other.close()
        return real_hash(password)

    monkeypatch.setattr(
        flaskr.auth,
        "generate_password_hash",
        hash_while_someone_else_registers,
    )
    response = submit_form(
        client, "/auth/register", {"username": "race", "password": "12345678"}
    )
    assert response.status_code == 400
    assert "User race is already registered." in response.text
    assert len(user_rows(app, "race")) == 1


def test_register_race_two_threads(app, monkeypatch):
    """Two people register one name at the same moment: one succeeds, one is told why."""
    real_hash = flaskr.auth.generate_password_hash
    both_validated = threading.Barrier(2, timeout=10)

    def hash_after_both_validated(password):
        both_validated.wait()  # neither INSERT runs until both forms were checked
        return real_hash(password)

    monkeypatch.setattr(
        flaskr.auth, "generate_password_hash", hash_after_both_validated
    )
    clients = [app.test_client(), app.test_client()]
    tokens = [csrf_token(c.get("/auth/register")) for c in clients]
    statuses = []

    def register(index):
        response = clients[index].post(
            "/auth/register",
            data={
                "username": "twin",
                "password": f"password-{index}",
                "csrf_token": tokens[index],
            },
        )
        statuses.append((response.status_code, response.text))

    threads = [threading.Thread(target=register, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(status for status, _ in statuses) == [302, 400]
    (failed,) = [text for status, text in statuses if status == 400]
    assert "User twin is already registered." in failed
    assert len(user_rows(app, "twin")) == 1


# --- login ------------------------------------------------------------------


def test_login(client, auth):
    """The form shows; logging in stores the user's id and loads g.user."""
    assert client.get("/auth/login").status_code == 200
    response = auth.login()
    assert response.headers["Location"] == "/"

    with client:
        client.get("/")
        assert session["user_id"] == 1
        assert g.user["username"] == "test"
        assert g.user.keys() == ["id", "username"]  # never the hash


def test_login_is_case_insensitive_and_trimmed(client, auth):
    """Typing the username as ' Test ' logs in the user 'test'."""
    assert auth.login(" Test ", "test-password").status_code == 302


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("nobody", "test-password"),
        ("test", "wrong-password"),
        ("test", ""),
        ("", ""),
        ("test", "x" * 10_000),
        ("x" * 10_000, "test-password"),
    ],
)
def test_login_failure_says_the_same_thing(client, auth, username, password):
    """Unknown user or wrong password: one message, status 400, nobody logged in."""
    response = auth.login(username, password)
    assert response.status_code == 400
    assert "Incorrect username or password." in response.text
    assert "Incorrect username." not in response.text
    assert "Incorrect password." not in response.text
    with client:
        client.get("/")
        assert "user_id" not in session


def test_login_missing_fields(client):
    """A login form without its fields fails like any other wrong login."""
    response = submit_form(client, "/auth/login", {})
    assert response.status_code == 400
    assert "Incorrect username or password." in response.text


def test_login_hashes_even_for_an_unknown_user(client, auth, monkeypatch):
    """An unknown username still costs one password check, against the dummy hash."""
    checked = []
    real_check = flaskr.auth.check_password_hash

    def spy(password_hash, password):
        checked.append(password_hash)
        return real_check(password_hash, password)

    monkeypatch.setattr(flaskr.auth, "check_password_hash", spy)
    auth.login("nobody", "test-password")
    assert checked == [flaskr.auth.DUMMY_PASSWORD_HASH]
    # The dummy is a real hash made with the default method, like registered users'.
    assert flaskr.auth.DUMMY_PASSWORD_HASH.startswith("scrypt:")

    checked.clear()
    auth.login("test", "wrong-password")
    assert len(checked) == 1 and checked[0] != flaskr.auth.DUMMY_PASSWORD_HASH


def test_login_clears_the_session(client, auth):
    """Whatever was in the session before logging in is gone after it."""
    with client.session_transaction() as sess:
        sess["planted"] = "by someone else"
    auth.login()
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["user_id"] == 1


@pytest.mark.parametrize("target", ["/create", "/1/update?x=1", "/?page=2"])
def test_login_follows_a_safe_next(client, target):
    """After logging in you land on the page you were sent from."""
    url = f"/auth/login?next={target}"
    response = submit_form(
        client, url, {"username": "test", "password": "test-password"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", BAD_REDIRECT_TARGETS)
def test_login_ignores_an_unsafe_next(client, target):
    """A ``next`` that could lead off the site is dropped: you land on the index."""
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={
            "username": "test",
            "password": "test-password",
            "csrf_token": csrf_token(
                client.get("/auth/login", query_string={"next": target})
            ),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_form_keeps_next(client):
    """The login form posts back to the same ``?next=``."""
    page = client.get("/auth/login?next=/create")
    assert 'action="/auth/login?next=/create"' in page.text


def test_deleted_user_is_logged_out(client, auth, app):
    """A session for a user who no longer exists counts as logged out."""
    auth.login()
    with app.app_context():
        db = get_db()
        db.execute("DELETE FROM post")
        db.execute("DELETE FROM user WHERE id = 1")
    with client:
        response = client.get("/")
        assert g.user is None
    assert "Log In" in response.text


# --- logout -----------------------------------------------------------------


def test_logout(client, auth):
    """The Log Out button clears the session and says so."""
    auth.login()
    with client.session_transaction() as sess:
        sess["other"] = "value"
    response = auth.logout()
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    with client.session_transaction() as sess:
        assert "user_id" not in sess
        assert "other" not in sess
    assert "You have been logged out." in client.get("/").text


def test_logout_by_get_changes_nothing(client, auth):
    """A link or an <img src="/auth/logout"> cannot log anyone out: 405."""
    auth.login()
    response = client.get("/auth/logout")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"].split(", ")
    with client.session_transaction() as sess:
        assert sess["user_id"] == 1


def test_logout_without_csrf_token_changes_nothing(client, auth):
    """A logout form posted from another site has no token: 400, still logged in."""
    auth.login()
    response = client.post("/auth/logout")
    assert response.status_code == 400
    assert "The CSRF token is missing." in response.text
    with client.session_transaction() as sess:
        assert sess["user_id"] == 1


def test_logout_when_logged_out_goes_to_login(client):
    """Logging out without being logged in sends you to the login page."""
    response = submit_form(client, "/auth/logout", form_url="/auth/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=/"


# --- CSRF on the auth forms -------------------------------------------------


@pytest.mark.parametrize("token", [None, "not-a-real-token"])
def test_register_without_valid_csrf_token(client, app, token):
    """No token, or a forged one: 400, and no user is created."""
    data = {"username": "csrf", "password": "a-password"}
    if token:
        data["csrf_token"] = token
    response = client.post("/auth/register", data=data)
    assert response.status_code == 400
    assert user_rows(app, "csrf") == []


def test_login_without_csrf_token(client):
    """Login CSRF: another site cannot log you in to its own account."""
    response = client.post(
        "/auth/login", data={"username": "test", "password": "test-password"}
    )
    assert response.status_code == 400
    with client.session_transaction() as sess:
        assert "user_id" not in sess

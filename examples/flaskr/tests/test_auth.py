"""Registering, logging in and out, the session, throttling, ``next``."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

import pytest
from flask import g, session
from markupsafe import escape

import flaskr.auth
from flaskr.db import get_db, init_db
from showcase.testing import (
    BAD_REDIRECT_TARGETS,
    csrf_token,
    redis_server,
    submit_form,
)
from showcase.usernames import USERNAME_RULE

#: The build-along step that makes these tests pass (steps/flaskr).
pytestmark = pytest.mark.step(4)


def user_rows(app, username):
    """Return the rows of ``user`` with this username (case-insensitive)."""
    with app.app_context():
        return (
            get_db()
            .execute("SELECT * FROM user WHERE username = ?", (username,))
            .fetchall()
        )


# --- register ---------------------------------------------------------------


@pytest.mark.step(5)
def test_register(client, app):
    """A good registration stores a hashed password, then goes to login."""
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
    # Hashed with the configured method (the tests' cheap one).
    assert row["password"].startswith("pbkdf2:sha256:1000$")
    assert "Registered. You can log in now." in client.get("/auth/login").text


@pytest.mark.step(5)
def test_register_trims_the_username(client, app):
    """Spaces a paste adds around the name are dropped."""
    submit_form(
        client,
        "/auth/register",
        {"username": "  jose ", "password": "12345678"},
    )
    (row,) = user_rows(app, "jose")
    assert row["username"] == "jose"


@pytest.mark.step(5)
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
        ("bad\x00name", "a-password", "username", USERNAME_RULE),
        ("bad\nname", "a-password", "username", USERNAME_RULE),
        ("zero\u200bwidth", "a-password", "username", USERNAME_RULE),
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
    """Each bad input: its message by its field, status 400, no new user."""
    with app.app_context():
        before = get_db().execute("SELECT COUNT(*) FROM user").fetchone()[0]
    response = submit_form(
        client, "/auth/register", {"username": username, "password": password}
    )
    assert response.status_code == 400
    assert f'<p class="error" id="{field}-error">' in response.text
    assert escape(message) in response.text
    with app.app_context():
        assert (
            get_db().execute("SELECT COUNT(*) FROM user").fetchone()[0]
            == before
        )


@pytest.mark.step(5)
@pytest.mark.parametrize(
    "username", ["a" * 80, "Zoe_2", "dots.and-dashes", "_x"]
)
def test_register_accepts_limits_and_plain_names(client, app, username):
    """80 characters of letters, digits, ``_``, ``.`` and ``-`` are fine."""
    response = submit_form(
        client, "/auth/register", {"username": username, "password": "x" * 256}
    )
    assert response.status_code == 302
    assert len(user_rows(app, username)) == 1


#: The user "test", written with a look-alike or an invisible character.
LOOK_ALIKES_OF_TEST = {
    "cyrillic-e": "t\u0435st",
    "hangul-filler": "test\u3164",
    "fullwidth-t": "\uff54est",
    "nbsp": "te\u00a0st",
    "combining-accent": "te\u0301st",
    "zero-width-space": "\u200btest",
}


@pytest.mark.step(5)
@pytest.mark.parametrize(
    "username", LOOK_ALIKES_OF_TEST.values(), ids=LOOK_ALIKES_OF_TEST.keys()
)
def test_register_refuses_look_alikes_of_a_user(client, app, username):
    """Invisible and look-alike versions of "test" cannot be registered."""
    response = submit_form(
        client, "/auth/register", {"username": username, "password": "x" * 8}
    )
    assert response.status_code == 400
    assert escape(USERNAME_RULE) in response.text
    assert user_rows(app, username) == []


@pytest.mark.step(5)
def test_register_missing_fields(client):
    """A form without its fields is a form error, not a crash."""
    response = submit_form(client, "/auth/register", {})
    assert response.status_code == 400
    assert "Username is required." in response.text
    assert "Password is required." in response.text


@pytest.mark.step(5)
def test_register_keeps_the_username_but_never_the_password(client):
    """After an error the username is filled in again; the password is not."""
    response = submit_form(
        client, "/auth/register", {"username": "kept", "password": "short"}
    )
    assert 'value="kept"' in response.text
    assert "short" not in response.text


@pytest.mark.step(5)
def test_register_race_inserted_between_check_and_insert(
    client, app, monkeypatch
):
    """Another registration lands after this one was checked: one row.

    Hashing the password is the slow step between validating the form and the
    INSERT; here another connection registers the same name during it.
    """
    real_hash = flaskr.auth.hash_password

    def hash_while_someone_else_registers(password):
        other = sqlite3.connect(app.config["DATABASE"])
        with other:
            other.execute(
                "INSERT INTO user (username, password) VALUES ('race', 'x')"
            )
        other.close()
        return real_hash(password)

    monkeypatch.setattr(
        flaskr.auth, "hash_password", hash_while_someone_else_registers
    )
    response = submit_form(
        client, "/auth/register", {"username": "race", "password": "12345678"}
    )
    assert response.status_code == 400
    assert "User race is already registered." in response.text
    assert len(user_rows(app, "race")) == 1


@pytest.mark.step(5)
def test_register_race_two_threads(app, monkeypatch):
    """Two people register one name at once: one succeeds, one is told."""
    real_hash = flaskr.auth.hash_password
    both_validated = threading.Barrier(2, timeout=10)

    def hash_after_both_validated(password):
        # Neither INSERT runs until both forms were checked.
        both_validated.wait()
        return real_hash(password)

    monkeypatch.setattr(
        flaskr.auth, "hash_password", hash_after_both_validated
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


@pytest.mark.step(7)
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


@pytest.mark.step(7)
def test_login_is_case_insensitive_and_trimmed(client, auth):
    """Typing the username as ' Test ' logs in the user 'test'."""
    assert auth.login(" Test ", "test-password").status_code == 302


@pytest.mark.step(5)
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
    """Unknown user or wrong password: one message, 400, nobody logged in."""
    response = auth.login(username, password)
    assert response.status_code == 400
    assert "Incorrect username or password." in response.text
    assert "Incorrect username." not in response.text
    assert "Incorrect password." not in response.text
    with client:
        client.get("/")
        assert "user_id" not in session


@pytest.mark.step(5)
def test_login_missing_fields(client):
    """A login form without its fields fails like any other wrong login."""
    response = submit_form(client, "/auth/login", {})
    assert response.status_code == 400
    assert "Incorrect username or password." in response.text


@pytest.mark.step(5)
def test_login_hashes_even_for_an_unknown_user(client, app, auth, monkeypatch):
    """An unknown username costs one password check too, of the same kind.

    Both failures run one ``check_password_hash`` with the configured
    method, so both take the same time.
    """
    checked = []
    real_check = flaskr.auth.check_password_hash

    def spy(password_hash, password):
        checked.append(password_hash)
        return real_check(password_hash, password)

    monkeypatch.setattr(flaskr.auth, "check_password_hash", spy)
    auth.login("nobody", "test-password")
    auth.login("test", "wrong-password")
    dummy, real = checked
    assert dummy == flaskr.auth.dummy_password_hash("pbkdf2:sha256:1000")
    assert real == user_rows(app, "test")[0]["password"]
    method = app.config["PASSWORD_HASH_METHOD"]
    assert dummy.startswith(f"{method}$") and real.startswith(f"{method}$")


def test_importing_flaskr_hashes_nothing():
    """No password hash is computed at import time, in a fresh Python."""
    program = (
        "import werkzeug.security as s\n"
        "def refuse(*args, **kwargs): raise SystemExit('hashed at import')\n"
        "s.generate_password_hash = refuse\n"
        "import flaskr\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_dummy_hash_is_made_when_first_needed(monkeypatch):
    """The dummy hash is made on first use, once per method."""
    made = []
    real_hash = flaskr.auth.generate_password_hash

    def spy(password, method):
        made.append(method)
        return real_hash(password, method)

    monkeypatch.setattr(flaskr.auth, "generate_password_hash", spy)
    flaskr.auth.dummy_password_hash.cache_clear()
    first = flaskr.auth.dummy_password_hash("pbkdf2:sha256:1")
    assert flaskr.auth.dummy_password_hash("pbkdf2:sha256:1") == first
    assert made == ["pbkdf2:sha256:1"]


@pytest.mark.step(7)
def test_login_clears_the_session(client, auth):
    """Whatever was in the session before logging in is gone after it."""
    with client.session_transaction() as sess:
        sess["planted"] = "by someone else"
    auth.login()
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["user_id"] == 1


@pytest.mark.step(5)
@pytest.mark.parametrize("target", ["/create", "/1/update?x=1", "/?page=2"])
def test_login_follows_a_safe_next(client, target):
    """After logging in you land on the page you were sent from."""
    url = f"/auth/login?next={target}"
    response = submit_form(
        client, url, {"username": "test", "password": "test-password"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == target


@pytest.mark.step(7)
@pytest.mark.parametrize("target", BAD_REDIRECT_TARGETS)
def test_login_ignores_an_unsafe_next(client, target):
    """A ``next`` that could lead off the site is dropped: the index."""
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


@pytest.mark.step(5)
def test_login_form_keeps_next(client):
    """The login form posts back to the same ``?next=``."""
    page = client.get("/auth/login?next=/create")
    assert 'action="/auth/login?next=/create"' in page.text


@pytest.mark.step(7)
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


@pytest.mark.step(7)
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


@pytest.mark.step(7)
def test_logout_by_get_changes_nothing(client, auth):
    """A link or an <img src="/auth/logout"> cannot log anyone out: 405."""
    auth.login()
    response = client.get("/auth/logout")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"].split(", ")
    with client.session_transaction() as sess:
        assert sess["user_id"] == 1


@pytest.mark.step(7)
def test_logout_without_csrf_token_changes_nothing(client, auth):
    """A logout form from another site has no token: 400, still logged in."""
    auth.login()
    response = client.post("/auth/logout")
    assert response.status_code == 400
    assert "The CSRF token is missing." in response.text
    with client.session_transaction() as sess:
        assert sess["user_id"] == 1


@pytest.mark.step(7)
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


# --- sessions end on the server ---------------------------------------------


def session_cookie(client):
    """Return the value of the client's session cookie."""
    return client.get_cookie("session").value


@pytest.mark.step(7)
def test_logout_ends_every_copy_of_the_session(app, client, auth):
    """A copy of the session cookie taken before logout stops working."""
    auth.login()
    stolen = session_cookie(client)
    auth.logout()

    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/create")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=/create"


@pytest.mark.step(7)
def test_logging_in_again_does_not_revive_an_old_cookie(app, client, auth):
    """After logout and a new login, the cookie from before still fails."""
    auth.login()
    stolen = session_cookie(client)
    auth.logout()
    auth.login()
    assert client.get("/create").status_code == 200

    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/create").status_code == 302


@pytest.mark.step(7)
def test_logout_ends_the_other_devices_sessions_too(app, client, auth):
    """Logging out anywhere logs the user out everywhere."""
    auth.login()
    laptop = app.test_client()
    submit_form(
        laptop,
        "/auth/login",
        {"username": "test", "password": "test-password"},
    )
    auth.logout()
    assert laptop.get("/create").status_code == 302


@pytest.mark.step(7)
def test_session_from_before_login_versions_is_refused(client):
    """A signed session holding only a user id (no version) is logged out."""
    with client.session_transaction() as sess:
        sess["user_id"] = 1
    assert client.get("/create").status_code == 302


@pytest.mark.step(7)
def test_csrf_token_from_before_login_fails_after_it(client, auth, app):
    """Logging in makes a new CSRF secret: older tokens no longer work."""
    old_token = csrf_token(client.get("/auth/login"))
    auth.login()
    new_token = csrf_token(client.get("/create"))
    assert new_token != old_token
    response = client.post(
        "/create",
        data={"title": "planted", "body": "", "csrf_token": old_token},
    )
    assert response.status_code == 400
    assert "The CSRF tokens do not match." in response.text
    response = client.post(
        "/create",
        data={"title": "mine", "body": "", "csrf_token": new_token},
    )
    assert response.status_code == 302


# --- throttling -------------------------------------------------------------


def attempt_login(
    client,
    username="test",
    password="wrong-password",  # noqa: S107 (test data)
):
    """Send the login form from ``client``; return the response."""
    return submit_form(
        client,
        "/auth/login",
        {"username": username, "password": password},
    )


def client_at(app, address):
    """A test client whose requests come from ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.mark.step(5)
def test_the_51st_wrong_password_gets_429(app, client):
    """After 50 wrong passwords an hour, even the right one is refused."""
    assert app.config["LOGIN_LIMIT"] == "50 per hour"
    token = csrf_token(client.get("/auth/login"))
    for _ in range(50):
        response = client.post(
            "/auth/login",
            data={
                "username": "test",
                "password": "wrong-password",
                "csrf_token": token,
            },
        )
        assert response.status_code == 400
    response = attempt_login(client, password="test-password")
    assert response.status_code == 429
    assert "Too many attempts. Wait a while, then try again." in (
        response.text
    )
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    # The shared error page, with the security headers of every page.
    assert "429 Too Many Requests" in response.text
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"
    with client.session_transaction() as sess:
        assert "user_id" not in sess


@pytest.mark.step(5)
def test_login_limit_is_per_account(app):
    """Guesses at one account from many addresses still hit its limit."""
    app.config["LOGIN_LIMIT"] = "3 per hour"
    for number in range(3):
        assert attempt_login(client_at(app, f"10.0.0.{number}")).status_code
    elsewhere = client_at(app, "10.0.0.99")
    assert attempt_login(elsewhere).status_code == 429
    # Another account, from that same fresh address, is not affected.
    assert attempt_login(elsewhere, "other").status_code == 400


@pytest.mark.step(7)
def test_login_limit_is_per_address(app):
    """One address guessing at many accounts hits its own limit."""
    app.config["LOGIN_LIMIT"] = "3 per hour"
    guesser = client_at(app, "10.0.0.1")
    for username in ("a", "b", "c"):
        assert attempt_login(guesser, username).status_code == 400
    assert attempt_login(guesser, "test").status_code == 429
    # The account itself is fine from another address.
    other = client_at(app, "10.0.0.2")
    assert attempt_login(other, password="test-password").status_code == 302


@pytest.mark.step(5)
def test_login_limit_ignores_case_and_spaces(app):
    """Any case, with spaces around: one account for the limit too."""
    app.config["LOGIN_LIMIT"] = "2 per hour"
    attempt_login(client_at(app, "10.0.0.1"), "TEST")
    attempt_login(client_at(app, "10.0.0.2"), " test ")
    assert attempt_login(client_at(app, "10.0.0.3")).status_code == 429


@pytest.mark.step(5)
def test_showing_the_login_form_is_not_limited(app, client):
    """Only sending the form counts: GET /auth/login never gets 429."""
    app.config["LOGIN_LIMIT"] = "1 per hour"
    attempt_login(client)
    for _ in range(3):
        assert client.get("/auth/login").status_code == 200


@pytest.mark.step(5)
def test_register_is_limited(app, client):
    """Registrations are limited per address (REGISTER_LIMIT)."""
    assert app.config["REGISTER_LIMIT"] == "20 per hour"
    app.config["REGISTER_LIMIT"] = "2 per hour"
    for name in ("first", "second"):
        response = submit_form(
            client, "/auth/register", {"username": name, "password": "x" * 8}
        )
        assert response.status_code == 302
    response = submit_form(
        client, "/auth/register", {"username": "third", "password": "x" * 8}
    )
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    assert user_rows(app, "third") == []


@pytest.fixture
def redis_url(tmp_path):
    """A Redis server of its own for one test, stopped after it."""
    with redis_server(tmp_path) as url:
        yield url


@pytest.mark.step(5)
def test_limits_shared_by_workers_through_redis(make_app, redis_url):
    """With Redis, a second server process sees the first one's counts.

    A new app starts a new Flask-Limiter storage, as a new worker process
    would. With "memory://" it would start from zero; with Redis it goes on
    counting where the first one stopped.
    """
    config = {"RATELIMIT_STORAGE_URI": redis_url, "LOGIN_LIMIT": "2 per hour"}
    try:
        first_worker = make_app(**config)
        with first_worker.app_context():
            init_db()
        client = first_worker.test_client()
        assert attempt_login(client, "a").status_code == 400
        assert attempt_login(client, "b").status_code == 400

        second_worker = make_app(**config)
        response = attempt_login(second_worker.test_client(), "c")
        assert response.status_code == 429
    finally:
        # The one `limiter` object keeps the storage of the last app built:
        # give it back the in-memory storage the other tests use.
        make_app()

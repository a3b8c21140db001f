"""Security: throttled logins, logouts that end every copy of a session,
logins that end after LOGIN_MAX_AGE, one answer time for any failed login."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

import flaskr.auth
from flaskr import create_app
from flaskr.db import get_db, init_db
from showcase.testing import csrf_token, redis_server, submit_form

#: The build-along step that makes these tests pass (steps/flaskr).
pytestmark = pytest.mark.step(9)


def test_defaults():
    """The limits and the proxies, as the learner reads them in create_app."""
    app = create_app({"SECRET_KEY": "a-real-secret-key-of-enough-length"})
    assert app.config["LOGIN_LIMIT"] == "50 per hour"
    assert app.config["REGISTER_LIMIT"] == "20 per hour"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.config["PROXY_COUNT"] == 0
    assert app.config["LOGIN_MAX_AGE"] == 24 * 60 * 60  # a day


# --- sessions end on the server ---------------------------------------------


def session_cookie(client):
    """Return the value of the client's session cookie."""
    return client.get_cookie("session").value


def test_logout_ends_every_copy_of_the_session(app, client, auth):
    """A copy of the session cookie taken before logout stops working."""
    auth.login()
    stolen = session_cookie(client)
    auth.logout()

    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/create")
    assert response.headers["Location"] == "/auth/login?next=/create"


def test_logging_in_again_does_not_revive_an_old_cookie(app, client, auth):
    """After logout and a new login, the cookie from before still fails."""
    auth.login()
    stolen = session_cookie(client)
    auth.logout()
    auth.login()
    assert client.get("/create").status_code == 200

    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/create").headers["Location"].startswith("/auth/login")


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
    assert laptop.get("/create").headers["Location"].startswith("/auth/login")


def test_session_without_a_version_is_refused(client):
    """A signed session holding only a user id (no version) is logged out."""
    with client.session_transaction() as sess:
        sess["user_id"] = 1
    assert client.get("/create").headers["Location"].startswith("/auth/login")


@pytest.fixture
def later(monkeypatch):
    """Move the clock on: ``later(seconds)``, for every time.time() call."""
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)

    def move_on(seconds: float) -> None:
        nonlocal now
        now += seconds

    return move_on


def post_something(browser):
    """Publish a post from ``browser``; the session cookie is signed again."""
    response = submit_form(browser, "/create", {"title": "t", "body": "b"})
    assert response.headers["Location"] == "/"
    assert browser.get("/").status_code == 200


def test_a_copied_cookie_dies_with_the_login_however_busy(
    app, client, auth, later
):
    """A copy of the session cookie stops working LOGIN_MAX_AGE after the
    login, though its owner and the thief both kept it busy all along."""
    app.config["LOGIN_MAX_AGE"] = 60 * 60
    auth.login()
    thief = app.test_client()
    thief.set_cookie("session", session_cookie(client))
    for _ in range(3):
        later(19 * 60)
        post_something(client)
        post_something(thief)
    later(4 * 60)  # 61 minutes after logging in
    for browser in (thief, client):
        response = browser.get("/create")
        assert response.headers["Location"] == "/auth/login?next=/create"
    # The owner logs in again, for another hour.
    auth.login()
    later(59 * 60)
    assert client.get("/create").status_code == 200


def test_a_session_from_before_login_times_is_logged_out(app, client, auth):
    """A session without a login time (signed before they existed) is
    refused, as a too old one is."""
    auth.login()
    with client.session_transaction() as sess:
        del sess["login_time"]
    assert client.get("/create").headers["Location"].startswith("/auth/login")


def test_database_without_session_versions(app, client, auth):
    """A database from before session versions: the set-up page (503)."""
    auth.login()
    with app.app_context():
        get_db().execute("ALTER TABLE user DROP COLUMN session_version")
    response = client.get("/")
    assert response.status_code == 503
    assert "flask --app flaskr init-db" in response.text


# --- a new secret key ------------------------------------------------------


def test_a_new_key_keeps_sessions_while_the_old_one_is_a_fallback(
    app, client, auth
):
    """The deploy page's rotation: the old key in SECRET_KEY_FALLBACKS keeps
    everyone logged in; a cookie it signed dies when it leaves the list."""
    auth.login()
    stolen = session_cookie(client)
    form = client.get("/create")  # a form left open over the change
    old_key = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "a-brand-new-secret-key-for-the-test"
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    assert client.get("/create").status_code == 200
    # The open form's CSRF token was signed with the old key: one 400,
    # nothing posted; the form shown again has a new token, which works.
    data = {"title": "t", "body": "b", "csrf_token": csrf_token(form)}
    assert client.post("/create", data=data).status_code == 400
    post_something(client)  # the session is signed with the new key now

    app.config["SECRET_KEY_FALLBACKS"] = []
    assert client.get("/create").status_code == 200
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/create")
    assert response.headers["Location"] == "/auth/login?next=/create"


# --- a failed login takes as long, whatever was wrong -----------------------


def test_login_hashes_even_for_an_unknown_user(app, auth, monkeypatch):
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
    with app.app_context():
        (stored,) = (
            get_db()
            .execute("SELECT password FROM user WHERE username = 'test'")
            .fetchone()
        )
    assert real == stored
    method = app.config["PASSWORD_HASH_METHOD"]
    assert dummy.startswith(f"{method}$") and real.startswith(f"{method}$")


@pytest.mark.finished
def test_the_dummy_hash_is_made_once_when_first_needed(monkeypatch):
    """The hash for unknown users is made on first use, once per method."""
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


@pytest.mark.slow
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


# --- throttling -------------------------------------------------------------


def attempt_login(client, username="test", password="wrong-password"):  # noqa: S107
    """Send the login form from ``client``; return the response."""
    return submit_form(
        client, "/auth/login", {"username": username, "password": password}
    )


def client_at(app, address):
    """A test client whose requests come from ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_too_many_wrong_passwords_get_429(app, client):
    """After LOGIN_LIMIT wrong passwords, even the right one is refused."""
    app.config["LOGIN_LIMIT"] = "2 per hour"  # 50 by default
    data = {
        "username": "test",
        "password": "wrong-password",
        "csrf_token": csrf_token(client.get("/auth/login")),
    }
    for _ in range(2):
        assert client.post("/auth/login", data=data).status_code == 400
    response = attempt_login(client, password="test-password")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    # The shared error page, with the security headers of every page.
    assert "429 Too Many Requests" in response.text
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"
    with client.session_transaction() as sess:
        assert "user_id" not in sess


def test_guesses_from_elsewhere_never_lock_the_owner_out(app):
    """Wrong passwords for an account from many addresses, each past its
    limit, leave the owner's right password working from theirs."""
    app.config["LOGIN_LIMIT"] = "3 per hour"
    for number in range(5):
        guesser = client_at(app, f"10.0.0.{number}")
        for _ in range(3):
            assert attempt_login(guesser).status_code == 400
        # Each guesser is stopped: no more guesses, right or wrong.
        assert attempt_login(guesser).status_code == 429
        response = attempt_login(guesser, password="test-password")
        assert response.status_code == 429
    owner = client_at(app, "192.0.2.7")
    response = attempt_login(owner, password="test-password")
    assert response.headers["Location"] == "/"


def test_only_failed_logins_count(app, client):
    """Logging in with the right password, again and again, is never
    throttled; failures after it still are."""
    app.config["LOGIN_LIMIT"] = "2 per hour"
    for _ in range(4):
        response = attempt_login(client, password="test-password")
        assert response.headers["Location"] == "/"
    assert attempt_login(client).status_code == 400
    assert attempt_login(client).status_code == 400
    assert attempt_login(client).status_code == 429


def test_login_limit_is_per_address(app):
    """One address guessing at many accounts hits its own limit."""
    app.config["LOGIN_LIMIT"] = "3 per hour"
    guesser = client_at(app, "10.0.0.1")
    for username in ("a", "b", "c"):
        assert attempt_login(guesser, username).status_code == 400
    assert attempt_login(guesser, "test").status_code == 429
    # The account itself is fine from another address.
    other = client_at(app, "10.0.0.2")
    response = attempt_login(other, password="test-password")
    assert response.headers["Location"] == "/"


def test_showing_the_login_form_is_not_limited(app, client):
    """Only sending the form counts: GET /auth/login never gets 429."""
    app.config["LOGIN_LIMIT"] = "1 per hour"
    attempt_login(client)
    for _ in range(3):
        assert client.get("/auth/login").status_code == 200


def register(client, username):
    """Send the registration form from ``client``; return the response."""
    return submit_form(
        client, "/auth/register", {"username": username, "password": "x" * 8}
    )


def test_register_is_limited_per_address(app, client):
    """Registrations from one address are limited (REGISTER_LIMIT)."""
    assert app.config["REGISTER_LIMIT"] == "20 per hour"
    app.config["REGISTER_LIMIT"] = "2 per hour"
    for name in ("first", "second"):
        assert register(client, name).headers["Location"] == "/auth/login"
    response = register(client, "third")
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    with app.app_context():
        users = get_db().execute("SELECT username FROM user").fetchall()
    assert sorted(name for (name,) in users) == [
        "first",
        "other",
        "second",
        "test",
    ]


def test_register_is_limited_per_name(app):
    """Trying one name from many addresses hits that name's limit."""
    app.config["REGISTER_LIMIT"] = "2 per hour"
    for number in range(2):
        response = register(client_at(app, f"10.0.0.{number}"), "test")
        assert response.status_code == 400  # taken
    assert register(client_at(app, "10.0.0.99"), "test").status_code == 429


def test_register_limit_per_name_ignores_case_and_spaces(app):
    """Any case, with spaces around: one name for the limit too."""
    app.config["REGISTER_LIMIT"] = "2 per hour"
    register(client_at(app, "10.0.0.1"), "TEST")
    register(client_at(app, "10.0.0.2"), " test ")
    assert register(client_at(app, "10.0.0.3"), "test").status_code == 429


def test_behind_a_proxy_the_visitor_address_counts(app):
    """With PROXY_COUNT, login limits count the visitor, not the proxy."""
    config = {**app.config, "PROXY_COUNT": 1, "LOGIN_LIMIT": "1 per hour"}
    client = create_app(config).test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.1"  # the proxy

    def attempt(visitor, username):
        return submit_form(
            client,
            "/auth/login",
            {"username": username, "password": "wrong-password"},
            headers={"X-Forwarded-For": visitor},
        )

    assert attempt("203.0.113.1", "a").status_code == 400
    assert attempt("203.0.113.2", "b").status_code == 400
    assert attempt("203.0.113.1", "c").status_code == 429


@pytest.mark.slow
def test_limits_shared_by_workers_through_redis(app, tmp_path):
    """With Redis, a second server process sees the first one's counts.

    A new app starts a new Flask-Limiter storage, as a new worker process
    would. With "memory://" it would start from zero; with Redis it goes on
    counting where the first one stopped.
    """
    with redis_server(tmp_path) as url:
        config = {
            **app.config,
            "RATELIMIT_STORAGE_URI": url,
            "LOGIN_LIMIT": "2 per hour",
        }
        try:
            first_worker = create_app(config)
            with first_worker.app_context():
                init_db()
            client = first_worker.test_client()
            assert attempt_login(client, "a").status_code == 400
            assert attempt_login(client, "b").status_code == 400

            second_worker = create_app(config)
            response = attempt_login(second_worker.test_client(), "c")
            assert response.status_code == 429
        finally:
            # The one limiter of flaskr.throttle counts in the storage of
            # the last app built: give it back one in memory.
            create_app(app.config)

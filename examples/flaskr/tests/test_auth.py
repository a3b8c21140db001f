"""Registering, logging in and out, the session, ``next``."""

from __future__ import annotations

import sqlite3
import threading
from urllib.parse import urljoin

import pytest
from conftest import flashed
from flask import g, session
from html_page import Page

import flaskr.auth
from flaskr.db import get_db
from showcase.testing import BAD_REDIRECT_TARGETS, csrf_token, submit_form

#: The build-along step that makes these tests pass (steps/flaskr).
pytestmark = pytest.mark.step(3)


def user_rows(app, username):
    """Return the rows of ``user`` with this username (case-insensitive)."""
    with app.app_context():
        return (
            get_db()
            .execute("SELECT * FROM user WHERE username = ?", (username,))
            .fetchall()
        )


def register(client, username, password):
    """Fill in and send the registration form."""
    return submit_form(
        client,
        "/auth/register",
        {"username": username, "password": password},
    )


def form_with(page, field):
    """The attributes of the form with ``field``, and of its fields."""
    return Page(page.text).form_with(field)


# --- register ---------------------------------------------------------------


def test_register_without_valid_csrf_token(client, app):
    """A form from another site has no token: 400, and no user is made."""
    for token in (None, "not-a-real-token"):
        data = {"username": "csrf", "password": "a-password"}
        if token:
            data["csrf_token"] = token
        response = client.post("/auth/register", data=data)
        assert response.status_code == 400
    assert user_rows(app, "csrf") == []


@pytest.mark.step(4)
def test_register(client, app):
    """A good registration stores a hashed password, then goes to login."""
    assert client.get("/auth/register").status_code == 200
    response = register(client, "a", "a-password")
    assert response.headers["Location"] == "/auth/login"

    (row,) = user_rows(app, "a")
    assert row["password"] != "a-password"
    # Hashed with the configured method (the tests' cheap one).
    assert row["password"].startswith("pbkdf2:sha256:1000$")
    ((category, message),) = flashed(client)
    assert category == "success"
    assert message in client.get("/auth/login").text


@pytest.mark.step(4)
def test_register_trims_the_username(client, app):
    """Spaces a paste adds around the name are dropped."""
    register(client, "  jose ", "12345678")
    (row,) = user_rows(app, "jose")
    assert row["username"] == "jose"


#: The user "test", written with a look-alike or an invisible character.
LOOK_ALIKES_OF_TEST = [
    "t\u0435st",  # a Cyrillic e
    "test\u3164",  # the Hangul filler, which shows as nothing
    "\uff54est",  # a fullwidth t
    "te\u00a0st",  # a no-break space
    "te\u0301st",  # a combining accent
    "\u200btest",  # a zero-width space
]
#: The register view's message for a username it refuses (views page).
USERNAME_RULE = "Use letters, digits, '_', '.' and '-', not first '.' or '-'."
#: Bad registrations: (username, password, the field, its message).
BAD_REGISTRATIONS = [
    ("", "a-password", "username", "Username is required."),
    ("   ", "a-password", "username", "Username is required."),
    ("a" * 81, "a-password", "username", "at most 80 characters."),
    ("a" * 10_000, "a-password", "username", "at most 80 characters."),
    ("bad\x00name", "a-password", "username", USERNAME_RULE),
    ("bad\nname", "a-password", "username", USERNAME_RULE),
    ("bad name", "a-password", "username", USERNAME_RULE),
    (".hidden", "a-password", "username", USERNAME_RULE),
    ("-dash", "a-password", "username", USERNAME_RULE),
    *(
        (name, "a-password", "username", USERNAME_RULE)
        for name in LOOK_ALIKES_OF_TEST
    ),
    ("a", "", "password", "Password is required."),
    ("a", "1234567", "password", "at least 8 characters."),
    ("a", "x" * 257, "password", "at most 256 characters."),
    ("a", "x" * 10_000, "password", "at most 256 characters."),
    ("test", "a-password", "username", "User test is already registered."),
    ("TEST", "a-password", "username", "User TEST is already registered."),
]


@pytest.mark.step(4)
def test_register_validate_input(client, app):
    """Each bad input: an error by its field only, status 400, no new user.

    Look-alike and invisible versions of "test" are refused too.
    """
    app.config["REGISTER_LIMIT"] = "100 per hour"  # more tries than that
    blank = client.get("/auth/register")
    token = csrf_token(blank)
    for username, password, field, _ in BAD_REGISTRATIONS:
        data = {"username": username, "password": password}
        response = client.post(
            "/auth/register", data={**data, "csrf_token": token}
        )
        assert response.status_code == 400, data
        errors = Page(response.text).fields_with_errors(Page(blank.text))
        assert errors == {field}, data
    with app.app_context():
        users = get_db().execute("SELECT username FROM user").fetchall()
    assert sorted(name for (name,) in users) == ["other", "test"]


@pytest.mark.finished
def test_register_messages(client, app):
    """The finished app's message for each bad input, by its field."""
    app.config["REGISTER_LIMIT"] = "100 per hour"
    token = csrf_token(client.get("/auth/register"))
    for username, password, field, message in BAD_REGISTRATIONS:
        data = {"username": username, "password": password}
        response = client.post(
            "/auth/register", data={**data, "csrf_token": token}
        )
        assert Page(response.text).field_by(message) == field, data
    with app.app_context():
        users = get_db().execute("SELECT username FROM user").fetchall()
    assert sorted(name for (name,) in users) == ["other", "test"]


@pytest.mark.step(4)
def test_register_accepts_limits_and_plain_names(client, app):
    """80 characters of letters, digits, ``_``, ``.`` and ``-`` are fine."""
    token = csrf_token(client.get("/auth/register"))
    for username in ["a" * 80, "Zoe_2", "dots.and-dashes", "_x"]:
        data = {"username": username, "password": "x" * 256}
        response = client.post(
            "/auth/register", data={**data, "csrf_token": token}
        )
        assert response.headers["Location"] == "/auth/login"
        assert len(user_rows(app, username)) == 1


@pytest.mark.step(4)
def test_register_form_limits_are_the_server_limits(client):
    """The form asks for what the server accepts: the same lengths."""
    form = form_with(client.get("/auth/register"), "password")
    assert form["username"]["maxlength"] == "80"
    assert form["password"]["minlength"] == "8"
    assert form["password"]["maxlength"] == "256"


@pytest.mark.step(4)
def test_register_missing_fields(client):
    """A form without its fields is a form error, not a crash."""
    blank = Page(client.get("/auth/register").text)
    response = submit_form(client, "/auth/register", {})
    assert response.status_code == 400
    errors = Page(response.text).fields_with_errors(blank)
    assert errors == {"username", "password"}


@pytest.mark.step(4)
def test_register_keeps_the_username_but_never_the_password(client):
    """After an error the username is filled in again; the password is not."""
    response = register(client, "kept", "short")
    assert form_with(response, "username")["username"]["value"] == "kept"
    assert "short" not in response.text


@pytest.mark.slow
@pytest.mark.step(4)
def test_register_race_inserted_between_check_and_insert(
    client, app, monkeypatch
):
    """Someone takes the name while the form is checked: one row, an error.

    Hashing the password is the slow step between checking the form and the
    INSERT; here another connection registers the same name during it.
    """
    real_hash = flaskr.auth.generate_password_hash

    def hash_while_someone_else_registers(password, method):
        with sqlite3.connect(app.config["DATABASE"]) as other:
            other.execute(
                "INSERT INTO user (username, password) VALUES ('race', 'x')"
            )
        return real_hash(password, method)

    monkeypatch.setattr(
        flaskr.auth,
        "generate_password_hash",
        hash_while_someone_else_registers,
    )
    blank = Page(client.get("/auth/register").text)
    response = register(client, "race", "12345678")
    assert response.status_code == 400
    assert Page(response.text).fields_with_errors(blank) == {"username"}
    assert len(user_rows(app, "race")) == 1


@pytest.mark.slow
@pytest.mark.step(4)
def test_register_race_two_threads(app, monkeypatch):
    """Two people register one name at once: one succeeds, one is told."""
    real_hash = flaskr.auth.generate_password_hash
    both_checked = threading.Barrier(2, timeout=10)

    def hash_after_both_checked(password, method):
        # Neither INSERT runs until both forms were checked.
        both_checked.wait()
        return real_hash(password, method)

    monkeypatch.setattr(
        flaskr.auth, "generate_password_hash", hash_after_both_checked
    )
    clients = [app.test_client(), app.test_client()]
    tokens = [csrf_token(c.get("/auth/register")) for c in clients]
    responses = []

    def send(index):
        data = {
            "username": "twin",
            "password": f"password-{index}",
            "csrf_token": tokens[index],
        }
        responses.append(clients[index].post("/auth/register", data=data))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    registered = [r for r in responses if "Location" in r.headers]
    refused = [r for r in responses if r.status_code == 400]
    assert len(registered) == len(refused) == 1
    assert "User twin is already registered." in refused[0].text
    assert len(user_rows(app, "twin")) == 1


# --- login ------------------------------------------------------------------


def test_login_without_csrf_token(client):
    """Login CSRF: another site cannot log you in to its own account."""
    response = client.post(
        "/auth/login", data={"username": "test", "password": "test-password"}
    )
    assert response.status_code == 400
    with client.session_transaction() as sess:
        assert "user_id" not in sess


@pytest.mark.step(6)
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


@pytest.mark.step(6)
def test_login_is_case_insensitive_and_trimmed(auth):
    """Typing the username as ' Test ' logs in the user 'test'."""
    assert auth.login(" Test ", "test-password").headers["Location"] == "/"


def wrong_login_texts(client, data: dict[str, str]) -> list[str]:
    """Send the login form with ``data``; the new texts it shows (400)."""
    blank = Page(client.get("/auth/login").text)
    response = submit_form(client, "/auth/login", data)
    assert response.status_code == 400, data
    with client.session_transaction() as sess:
        assert "user_id" not in sess
    return Page(response.text).new_texts(blank)


@pytest.mark.step(4)
def test_login_failure_says_the_same_thing(client):
    """Unknown user or wrong password: one message, 400, nobody logged in."""
    said = wrong_login_texts(client, {"username": "nobody", "password": "x"})
    assert said
    for username, password in [
        ("nobody", "test-password"),
        ("test", "wrong-password"),
        ("test", ""),
        ("", ""),
        ("test", "x" * 10_000),
        ("x" * 10_000, "test-password"),
    ]:
        data = {"username": username, "password": password}
        assert wrong_login_texts(client, data) == said, data


@pytest.mark.finished
def test_login_failure_message(client):
    """The finished app's one message for a wrong login."""
    response = submit_form(
        client, "/auth/login", {"username": "test", "password": "wrong"}
    )
    assert "Incorrect username or password." in response.text


@pytest.mark.step(4)
def test_login_missing_fields(client):
    """A login form without its fields fails like any other wrong login."""
    wrong = {"username": "test", "password": "wrong-password"}
    assert wrong_login_texts(client, {}) == wrong_login_texts(client, wrong)


@pytest.mark.step(6)
def test_login_clears_the_session(client, auth):
    """Whatever was in the session before logging in is gone after it."""
    with client.session_transaction() as sess:
        sess["planted"] = "by someone else"
    auth.login()
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["user_id"] == 1


@pytest.mark.step(4)
@pytest.mark.parametrize("target", ["/create", "/1/update?x=1", "/?page=2"])
def test_login_follows_a_safe_next(client, target):
    """After logging in you land on the page you were sent from."""
    url = f"/auth/login?next={target}"
    response = submit_form(
        client, url, {"username": "test", "password": "test-password"}
    )
    assert response.headers["Location"] == target


@pytest.mark.step(6)
def test_login_ignores_an_unsafe_next(client):
    """A ``next`` that could lead off the site is dropped: the index."""
    for target in BAD_REDIRECT_TARGETS:
        page = client.get("/auth/login", query_string={"next": target})
        response = client.post(
            "/auth/login",
            query_string={"next": target},
            data={
                "username": "test",
                "password": "test-password",
                "csrf_token": csrf_token(page),
            },
        )
        assert response.headers["Location"] == "/", target


@pytest.mark.step(4)
def test_login_form_keeps_next(client):
    """The login form posts back to the page's URL, ``?next=`` included."""
    url = "/auth/login?next=/create"
    form = form_with(client.get(url), "password")["form"]
    assert form["method"] == "post"
    # No action (or an empty one): the browser sends the form to this URL.
    assert urljoin(url, form.get("action") or "") == url


@pytest.mark.step(6)
def test_deleted_user_is_logged_out(client, auth, app):
    """A session for a user who no longer exists counts as logged out."""
    auth.login()
    with app.app_context():
        db = get_db()
        db.execute("DELETE FROM post")
        db.execute("DELETE FROM user WHERE id = 1")
        db.commit()
    with client:
        response = client.get("/")
        assert g.user is None
    assert "/auth/login" in Page(response.text).hrefs()


# --- logout -----------------------------------------------------------------


def test_logout_is_a_post(client):
    """``GET /auth/logout`` is not a page: 405, it takes a POST."""
    response = client.get("/auth/logout")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"].split(", ")


@pytest.mark.step(6)
def test_logout(client, auth):
    """The Log Out button clears the session and says so."""
    auth.login()
    with client.session_transaction() as sess:
        sess["other"] = "value"
    response = auth.logout()
    assert response.headers["Location"] == "/"
    with client.session_transaction() as sess:
        assert "user_id" not in sess
        assert "other" not in sess
    ((category, message),) = flashed(client)
    assert category == "success"
    assert message in client.get("/").text


@pytest.mark.step(6)
def test_logout_by_get_changes_nothing(client, auth):
    """A link or an <img src="/auth/logout"> cannot log anyone out: 405."""
    auth.login()
    assert client.get("/auth/logout").status_code == 405
    with client.session_transaction() as sess:
        assert sess["user_id"] == 1


@pytest.mark.step(6)
def test_logout_without_csrf_token_changes_nothing(client, auth):
    """A logout form from another site has no token: 400, still logged in."""
    auth.login()
    response = client.post("/auth/logout")
    assert response.status_code == 400
    with client.session_transaction() as sess:
        assert sess["user_id"] == 1


@pytest.mark.step(6)
def test_logout_when_logged_out_goes_to_login(client):
    """Logging out without being logged in sends you to the login page."""
    response = submit_form(client, "/auth/logout", form_url="/auth/login")
    assert response.headers["Location"] == "/auth/login?next=/"


@pytest.mark.step(6)
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
    with app.app_context():
        titles = get_db().execute("SELECT title FROM post").fetchall()
    assert "planted" not in [title for (title,) in titles]
    response = client.post(
        "/create",
        data={"title": "mine", "body": "", "csrf_token": new_token},
    )
    assert response.headers["Location"] == "/"

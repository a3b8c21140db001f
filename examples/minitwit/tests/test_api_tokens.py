"""Tokens of the JSON API: a username and password buy one; it ends.

A program sends HTTP Basic to ``POST /api/v1/tokens`` and gets a bearer
token back. It stops working when revoked, when it expires, and when its
owner's sessions end (a new password, logging out). A browser's session
cookie is no credential here.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from conftest import PASSWORD, AuthActions, sql
from test_api import assert_problem
from test_limits import from_address, login
from test_pagination import insert_messages

from showcase.testing import submit_form

pytestmark = pytest.mark.step(28)


def new_token(client, username="alice", password=PASSWORD):
    """Ask for a token with HTTP Basic; the response."""
    return client.post("/api/v1/tokens", auth=(username, password))


def bearer(token: str) -> dict[str, str]:
    """The header that sends ``token``."""
    return {"Authorization": f"Bearer {token}"}


def works(client, token: str) -> bool:
    """Whether the API takes ``token`` (asked without spending it)."""
    response = client.get("/api/v1/timeline", headers=bearer(token))
    if response.status_code == 401:
        assert response.mimetype == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        return False
    assert response.status_code == 200, response.text
    return True


@pytest.fixture
def api(app):
    """A program: no cookies, only what it sends."""
    return app.test_client()


@pytest.fixture
def alice(auth):
    """alice's account (her browser, ``client``, is logged in)."""
    auth.signup("alice")


@pytest.mark.step(29)
def test_a_username_and_password_buy_a_token(app, api, alice):
    response = new_token(api)
    assert response.status_code == 201
    token = response.json["token"]
    assert len(token) >= 40
    expires = datetime.strptime(response.json["expires"], "%Y-%m-%dT%H:%M:%SZ")
    expected = datetime.now(timezone.utc) + timedelta(days=1)
    assert abs(expires.replace(tzinfo=timezone.utc) - expected).seconds < 60
    assert works(api, token)
    # The database keeps the digest only.
    (row,) = sql(app, "SELECT * FROM token")
    assert token not in str(dict(row))
    assert row["digest"] == hashlib.sha256(token.encode()).hexdigest()


@pytest.mark.step(29)
def test_each_token_is_new(api, alice):
    first, second = new_token(api).json, new_token(api).json
    assert first["token"] != second["token"]
    assert works(api, first["token"]) and works(api, second["token"])


@pytest.mark.parametrize(
    ("username", "password"),
    [("alice", "wrong-password"), ("nobody", PASSWORD), ("ALICE", "")],
)
def test_a_wrong_username_or_password_is_a_401(api, alice, username, password):
    response = new_token(api, username, password)
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Basic")


@pytest.mark.parametrize(
    "authorization", [None, "Bearer abc", "Basic %%%", "Digest x=1"]
)
def test_no_password_is_a_401(api, alice, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = api.post("/api/v1/tokens", headers=headers)
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_the_username_is_in_any_case(api, alice):
    assert new_token(api, "ALICE").status_code == 201


@pytest.mark.step(29)
@pytest.mark.parametrize(
    "authorization", ["Bearer", "Bearer ", "Bearer nope", "Basic YTpi"]
)
def test_a_missing_or_made_up_token_is_a_401(api, alice, authorization):
    response = api.get(
        "/api/v1/timeline", headers={"Authorization": authorization}
    )
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


# --- how a token ends --------------------------------------------------------


@pytest.mark.step(29)
def test_a_revoked_token_is_useless(app, api, alice):
    token = new_token(api).json["token"]
    other = new_token(api).json["token"]
    response = api.delete("/api/v1/tokens", headers=bearer(token))
    assert response.status_code == 204
    assert not works(api, token)
    assert_problem(api.delete("/api/v1/tokens", headers=bearer(token)), 401)
    assert works(api, other)  # only the token sent is revoked
    assert len(sql(app, "SELECT * FROM token")) == 1


@pytest.mark.step(29)
def test_an_expired_token_is_useless(app, api, alice):
    app.config["API_TOKEN_MAX_AGE"] = 0
    assert not works(api, new_token(api).json["token"])


@pytest.mark.step(29)
def test_a_token_works_until_it_expires(app, api, alice):
    token = new_token(api).json["token"]
    later = datetime.now(timezone.utc) + timedelta(hours=23)
    sql(app, "UPDATE token SET expires = :later", later=later)
    assert works(api, token)
    sql(app, "UPDATE token SET expires = :now", now=datetime.now(timezone.utc))
    assert not works(api, token)


@pytest.mark.step(29)
def test_a_new_password_ends_every_token(api, client, alice):
    tokens = [new_token(api).json["token"] for _ in range(2)]
    response = submit_form(
        client,
        "/settings/password",
        {
            "current_password": PASSWORD,
            "password": "battery-staple",
            "password2": "battery-staple",
        },
    )
    assert response.location == "/"
    assert not any(works(api, token) for token in tokens)
    assert works(api, new_token(api, password="battery-staple").json["token"])


@pytest.mark.step(29)
def test_logging_out_ends_every_token(api, auth, alice):
    token = new_token(api).json["token"]
    auth.logout()  # minitwit logs out everywhere
    assert not works(api, token)


@pytest.mark.step(29)
def test_confirming_the_address_ends_the_tokens_made_before(api, auth):
    """Whoever signed up may not own the address: once its owner confirms
    it, the tokens made before work no more."""
    auth.register("mallory")
    token = new_token(api, "mallory").json["token"]
    assert works(api, token)
    auth.confirm()
    assert not works(api, token)


def test_a_new_token_clears_the_ended_ones(app, api, auth, alice):
    new_token(api)
    auth.logout()
    new_token(api)
    assert len(sql(app, "SELECT * FROM token")) == 1


@pytest.mark.step(29)
def test_each_token_acts_for_its_owner(app, api, alice):
    AuthActions(app.test_client()).signup("bob")
    insert_messages(app, "alice", 1)
    insert_messages(app, "bob", 1)
    alices = new_token(api).json["token"]
    bobs = new_token(api, "bob").json["token"]
    bobs_home = api.get("/api/v1/timeline", headers=bearer(bobs))
    assert [m["author"] for m in bobs_home.json["messages"]] == ["bob"]
    api.delete("/api/v1/tokens", headers=bearer(bobs))
    assert works(api, alices)


# --- the browser's cookie is no credential -----------------------------------


@pytest.mark.step(29)
def test_a_session_cookie_alone_cannot_act_through_the_api(client, alice):
    """A page on another site makes alice's browser, logged in here, send
    requests to the API: with her cookie, without a token. Nothing happens.
    """
    forged = {
        "Origin": "https://evil.example",
        "Referer": "https://evil.example/",
    }
    for method, url in [
        ("POST", "/api/v1/tokens"),
        ("DELETE", "/api/v1/tokens"),
        ("GET", "/api/v1/timeline"),
    ]:
        response = client.open(url, method=method, headers=forged)
        assert_problem(response, 401)


# --- limits ------------------------------------------------------------------


@pytest.mark.step(30)
def test_wrong_passwords_count_with_the_login_forms(app, api, client, alice):
    """The API's wrong passwords and the login form's share one count."""
    app.config["LOGIN_LIMIT"] = "3 per hour"
    for _ in range(2):
        assert new_token(api, password="wrong-password").status_code == 401
    assert login(app.test_client(), "alice").status_code == 400
    response = new_token(api, password="wrong-password")
    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) > 0
    assert login(app.test_client(), "alice").status_code == 429
    # From another address, the right password still works.
    assert new_token(from_address(api, "10.0.0.9")).status_code == 201


def test_right_passwords_are_not_counted_as_wrong(app, api, alice):
    app.config["LOGIN_LIMIT"] = "2 per hour"
    for _ in range(4):
        assert new_token(api).status_code == 201


@pytest.mark.step(30)
def test_new_tokens_are_limited_per_address(app, api, alice):
    app.config["API_TOKEN_LIMIT"] = "2 per hour"
    for _ in range(2):
        assert new_token(api).status_code == 201
    response = new_token(api)
    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) > 0
    assert new_token(from_address(api, "10.0.0.9")).status_code == 201


@pytest.mark.step(30)
def test_default_limits_and_lifetime(app):
    assert app.config["API_TOKEN_LIMIT"] == "20 per hour"
    assert app.config["API_TOKEN_MAX_AGE"] == 24 * 3600

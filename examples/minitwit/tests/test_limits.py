"""Throttling with Flask-Limiter: too many tries get a 429 page.

Each limited form is sent past its limit, from one address for many
accounts and from many addresses for one account.
"""

from __future__ import annotations

import pytest
from conftest import PASSWORD
from sent_mail import recorded_mail

from minitwit.models import db
from showcase.testing import redis_server, submit_form

pytestmark = pytest.mark.step(16)


def from_address(client, address: str):
    """Make ``client`` send its requests from the client ``address``."""
    client.environ_base["REMOTE_ADDR"] = address
    return client


WRONG_PASSWORD = "wrong-password"


def login(client, username: str, password: str = WRONG_PASSWORD):
    """Send the login form."""
    data = {"username": username, "password": password}
    return submit_form(client, "/login", data)


def assert_throttled(response) -> None:
    """A clear 429 page, with Retry-After and the security headers."""
    assert response.status_code == 429
    assert b"Too many attempts" in response.data
    assert int(response.headers["Retry-After"]) > 0
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_default_limits(app):
    assert app.config["LOGIN_LIMIT"] == "50 per hour"
    assert app.config["REGISTER_LIMIT"] == "20 per hour"
    assert app.config["RESET_LIMIT"] == "5 per hour"
    assert app.config["RESEND_LIMIT"] == "5 per hour"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_login_limit_is_per_account(app, auth):
    auth.register("alice")
    auth.logout()
    app.config["LOGIN_LIMIT"] = "3 per hour"
    for n in range(3):
        client = from_address(app.test_client(), f"10.0.0.{n}")
        assert login(client, "alice").status_code == 400
    client = from_address(app.test_client(), "10.0.0.99")
    # Even the right password waits: guessing gets no further.
    assert_throttled(login(client, " ALICE ", PASSWORD))


def test_login_limit_is_per_address(app, client):
    app.config["LOGIN_LIMIT"] = "3 per hour"
    for name in ("a", "b", "c"):
        assert login(client, name).status_code == 400
    assert_throttled(login(client, "d"))
    # Another address is not held back.
    other = from_address(app.test_client(), "10.0.0.7")
    assert login(other, "d").status_code == 400


def test_showing_the_forms_is_not_limited(app, client):
    app.config["LOGIN_LIMIT"] = "1 per hour"
    for _ in range(3):
        assert client.get("/login").status_code == 200


def test_register_is_limited(app, client, auth):
    app.config["REGISTER_LIMIT"] = "2 per hour"
    for name in ("alice", "bob"):
        assert auth.register(name).location == "/login"
        auth.logout()
    assert_throttled(auth.register("carol"))


def test_reset_requests_cannot_flood_an_inbox(app, auth):
    auth.register("alice")
    auth.logout()
    with recorded_mail() as outbox:
        for n in range(20):
            client = from_address(app.test_client(), f"10.0.1.{n}")
            submit_form(client, "/reset", {"email": "Alice@example.com"})
    assert len(outbox) == 5


def test_resending_the_confirmation_is_limited(app, client, auth):
    auth.register("alice")
    app.config["RESEND_LIMIT"] = "2 per hour"
    with recorded_mail() as outbox:
        for _ in range(2):
            response = submit_form(client, "/confirm", form_url="/")
            assert response.location == "/"
        assert_throttled(submit_form(client, "/confirm", form_url="/"))
    assert len(outbox) == 2


@pytest.fixture
def redis_url(tmp_path):
    """A Redis server of its own for one test, stopped after it."""
    with redis_server(tmp_path) as url:
        yield url


@pytest.mark.slow
def test_limits_shared_by_workers_through_redis(make_app, redis_url):
    """With Redis, a second server process sees the first one's counts.

    A new app starts a new Flask-Limiter storage, as a new worker process
    would. With "memory://" it would start from zero; with Redis it goes on
    counting where the first one stopped.
    """
    config = {"RATELIMIT_STORAGE_URI": redis_url, "LOGIN_LIMIT": "2 per hour"}
    first_worker = make_app(**config)
    with first_worker.app_context():
        db.create_all()
    client = first_worker.test_client()
    assert login(client, "a").status_code == 400
    assert login(client, "b").status_code == 400
    second_worker = make_app(**config)
    assert_throttled(login(second_worker.test_client(), "c"))

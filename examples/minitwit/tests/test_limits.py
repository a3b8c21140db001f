"""Throttling with Flask-Limiter: too many tries get a 429 page.

Each limited form is sent past its limit from one address; and as an
attacker elsewhere would, to lock the owner of an account out or to flood
an inbox, which must fail.
"""

from __future__ import annotations

import pytest
from conftest import PASSWORD, AuthActions, mail_link
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


def test_wrong_passwords_from_elsewhere_never_lock_the_owner_out(app, auth):
    """Guesses at alice's password, from many addresses, past the limit:
    alice, at home, logs in at once."""
    auth.register("alice")
    auth.logout()
    app.config["LOGIN_LIMIT"] = "3 per hour"
    for n in range(10):
        attacker = from_address(app.test_client(), f"10.0.0.{n % 4}")
        assert login(attacker, "alice").status_code in (400, 429)
    owner = from_address(app.test_client(), "192.0.2.1")
    assert login(owner, "alice", PASSWORD).location == "/"


def test_guessing_from_one_address_stays_bounded(app, auth):
    """Past the limit of wrong passwords, even the right one waits there."""
    auth.register("alice")
    auth.logout()
    app.config["LOGIN_LIMIT"] = "3 per hour"
    attacker = from_address(app.test_client(), "10.0.0.1")
    for _ in range(3):
        assert login(attacker, "alice").status_code == 400
    assert_throttled(login(attacker, " ALICE ", PASSWORD))


def test_only_wrong_passwords_count(app, client, auth):
    """Logging in and out all day from one address is never limited."""
    auth.register("alice")
    auth.logout()
    app.config["LOGIN_LIMIT"] = "2 per hour"
    for _ in range(4):
        assert login(client, "alice", PASSWORD).location == "/"
        auth.logout()
    assert login(client, "alice").status_code == 400


def change_password(client, current: str):
    """Send the password form, logged in, with ``current`` as the password."""
    data = {
        "current_password": current,
        "password": "a-brand-new-password",
        "password2": "a-brand-new-password",
    }
    return submit_form(client, "/settings/password", data)


def test_a_session_cannot_guess_the_password_without_limit(app, client, auth):
    """Whoever holds a session guesses the current password past the limit
    of wrong ones: 429, even for the right one. Logins count with it."""
    auth.register("alice")
    app.config["LOGIN_LIMIT"] = "3 per hour"
    for _ in range(2):
        assert change_password(client, WRONG_PASSWORD).status_code == 400
    assert login(app.test_client(), "alice").status_code == 400
    assert_throttled(change_password(client, PASSWORD))
    # The owner, elsewhere, is not held back.
    owner = from_address(app.test_client(), "192.0.2.1")
    assert login(owner, "alice", PASSWORD).location == "/"
    assert 300 <= change_password(owner, PASSWORD).status_code < 400


def test_login_limit_is_per_address(app, client):
    app.config["LOGIN_LIMIT"] = "3 per hour"
    for name in ("a", "b", "c"):
        assert login(client, name).status_code == 400
    assert_throttled(login(client, "d"))
    # Another address is not held back.
    other = from_address(app.test_client(), "10.0.0.7")
    assert login(other, "d").status_code == 400


def behind_nginx(app, visitor: str):
    """A browser at ``visitor``, seen through one proxy on this machine."""
    client = from_address(app.test_client(), "127.0.0.1")
    client.environ_base["HTTP_X_FORWARDED_FOR"] = visitor
    return client


def test_behind_one_proxy_each_visitor_has_its_own_count(make_app):
    """With PROXY_COUNT = 1, as the production page sets it behind nginx,
    one visitor's wrong passwords do not hold the next one back."""
    app = make_app(PROXY_COUNT=1, LOGIN_LIMIT="2 per hour")
    with app.app_context():
        db.create_all()
    guesser = behind_nginx(app, "198.51.100.7")
    for name in ("a", "b"):
        assert login(guesser, name).status_code == 400
    assert_throttled(login(guesser, "c"))
    assert login(behind_nginx(app, "203.0.113.9"), "c").status_code == 400


def test_without_a_proxy_a_forged_header_changes_nothing(app, client):
    """PROXY_COUNT = 0 (the default) reads no X-Forwarded-For: a client
    that writes its own gets no new count."""
    app.config["LOGIN_LIMIT"] = "2 per hour"
    for n in range(2):
        client.environ_base["HTTP_X_FORWARDED_FOR"] = f"10.9.9.{n}"
        assert login(client, "a").status_code == 400
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "10.9.9.99"
    assert_throttled(login(client, "a"))


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


@pytest.mark.step(20)
def test_one_inbox_in_any_case_or_width_is_one_count(app):
    """Sign-ups from many addresses, each spelling alice's address its own
    way, mail her inbox only REGISTER_LIMIT times."""
    app.config["REGISTER_LIMIT"] = "2 per hour"
    spellings = [
        "alice@example.com",
        "ALICE@Example.com",
        "alice@\uff45xample.com",
    ]
    for n, email in enumerate(spellings):
        client = from_address(app.test_client(), f"10.0.2.{n}")
        response = AuthActions(client).register(f"user{n}", email=email)
        if n < 2:
            assert response.location == "/login"
        else:
            assert_throttled(response)


#: alice's address, as an attacker may type it: full-width letters too.
ALICE_SPELLINGS = [
    "Alice@example.com",
    "alice@\uff45xample.com",
    "ALICE@EXAMPLE.\uff23\uff2f\uff2d",
]


@pytest.mark.step(20)
def test_reset_requests_cannot_flood_an_inbox(app, auth):
    auth.register("alice")
    auth.logout()
    with recorded_mail() as outbox:
        for n in range(20):
            client = from_address(app.test_client(), f"10.0.1.{n}")
            email = ALICE_SPELLINGS[n % 3]
            submit_form(client, "/reset", {"email": email})
    assert len(outbox) == 5


@pytest.mark.step(20)
def test_reset_requests_cannot_flood_an_inbox_without_an_account(app):
    """Nor with "No account uses this address" mails, from many clients."""
    with recorded_mail() as outbox:
        for n in range(20):
            client = from_address(app.test_client(), f"10.0.2.{n}")
            submit_form(client, "/reset", {"email": "Nobody@Example.com"})
    assert [mail.recipients for mail in outbox] == [["Nobody@Example.com"]] * 5


def test_reset_requests_from_elsewhere_never_refuse_the_owner(app, auth):
    """After a flood of reset requests for her address, alice's own gets
    the usual answer, not a 429; the newest link in her mail works."""
    auth.register("alice")
    auth.logout()
    with recorded_mail() as outbox:
        for n in range(8):
            attacker = from_address(app.test_client(), f"10.0.3.{n}")
            submit_form(attacker, "/reset", {"email": "alice@example.com"})
        owner = from_address(app.test_client(), "192.0.2.1")
        data = {"email": "alice@example.com"}
        assert submit_form(owner, "/reset", data).location == "/login"
    assert owner.get(mail_link(outbox[-1])).status_code == 200


def test_reset_requests_from_one_address_are_limited(app, client):
    app.config["RESET_LIMIT"] = "2 per hour"
    for n in range(2):
        data = {"email": f"someone{n}@example.com"}
        assert submit_form(client, "/reset", data).location == "/login"
    assert_throttled(submit_form(client, "/reset", {"email": "x@example.com"}))


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

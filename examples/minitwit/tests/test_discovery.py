"""Nothing to discover: which addresses have an account stays secret.

``/reset`` and ``/register`` answer the same, in the same time, whether
an address has an account or not. The mail goes out in a background
thread, here to a real SMTP server, so the request never waits for it.
"""

from __future__ import annotations

import gc
import re
import statistics
import time
from collections import Counter

import pytest
from aiosmtpd.controller import Controller
from conftest import PASSWORD
from sent_mail import recorded_mail, wait_for_mail
from test_mail import Mailbox, free_port

from minitwit.models import db
from showcase.testing import csrf_token, submit_form

pytestmark = [pytest.mark.step(16), pytest.mark.slow]

#: Requests timed per case; the medians are compared.
SAMPLES = 31
#: How far apart two medians may be: 5 ms, or half the faster one. The
#: leak found took 2.5 to 4 times as long for a known address; on two busy
#: cores, medians of equal work still differ by up to a third.
MARGIN_SECONDS = 0.005


@pytest.fixture(autouse=True)
def no_garbage_collection():
    """Keep the collector's pauses out of the timings (fair to both)."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()


@pytest.fixture
def app(make_app):
    """minitwit that sends its mail to a real SMTP server, limits high."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app = make_app(
        MAIL_SERVER=controller.hostname,
        MAIL_PORT=controller.port,
        MAIL_SUPPRESS_SEND=False,
        REGISTER_LIMIT="1000 per hour",
        RESET_LIMIT="1000 per hour",
    )
    with app.app_context():
        db.create_all()
    app.wsgi_app = Stopwatch(app.wsgi_app)
    app.mailbox = mailbox
    try:
        yield app
    finally:
        wait_for_mail(app)
        controller.stop()


class Stopwatch:
    """WSGI middleware: how long the app took to make its last response.

    What a server waits for before it sends the answer: the view, the
    end of the request, the body. Then, as a server does once it has sent
    the body, it closes the response (minitwit's mail leaves then).
    """

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app
        self.seconds = 0.0

    def __call__(self, environ, start_response):
        start = time.perf_counter()
        response = self.wsgi_app(environ, start_response)
        body = list(response)
        self.seconds = time.perf_counter() - start
        response.close()
        return body


def timed_post(client, url: str, data: dict[str, str]) -> float:
    """Seconds the app takes to answer one POST; then its mail leaves."""
    response = client.post(url, data=data)
    assert response.location == "/login"
    wait_for_mail(client.application)
    return client.application.wsgi_app.seconds


def assert_same_time(first: list[float], second: list[float]) -> None:
    """The medians of two series differ by less than the margin."""
    a, b = statistics.median(first), statistics.median(second)
    margin = max(MARGIN_SECONDS, 0.5 * min(a, b))
    assert abs(a - b) < margin, f"medians {a * 1e3:.2f} / {b * 1e3:.2f} ms"


def register(client, username: str, email: str):
    """Send the sign-up form."""
    data = {
        "username": username,
        "email": email,
        "password": PASSWORD,
        "password2": PASSWORD,
    }
    return submit_form(client, "/register", data)


def test_reset_takes_the_same_time_for_known_and_unknown(app):
    client = app.test_client()
    assert register(client, "alice", "alice@example.com").location == "/login"
    token = csrf_token(client.get("/reset"))
    known, unknown = [], []
    for _ in range(SAMPLES):  # interleaved: both see the same load
        for email, times in (
            ("alice@example.com", known),
            ("nobody@example.com", unknown),
        ):
            data = {"email": email, "csrf_token": token}
            times.append(timed_post(client, "/reset", data))
    assert_same_time(known, unknown)
    # Both got their mails, through the real server: alice her reset links
    # (after her confirmation), nobody a "no account" mail each time.
    inboxes = Counter(m.rcpt_tos[0] for m in app.mailbox.messages)
    assert inboxes == {
        "alice@example.com": 1 + SAMPLES,
        "nobody@example.com": SAMPLES,
    }


def page_after(client, response, email: str) -> str:
    """The page shown after ``response``, without what differs anyway."""
    page = client.get(response.location).get_data(as_text=True)
    page = re.sub(r'name="csrf_token"[^>]*', "CSRF", page)
    return page.replace(email, "ADDRESS")


def test_register_answers_the_same_for_a_taken_address(app):
    register(app.test_client(), "alice", "alice@example.com")
    wait_for_mail(app)
    pages = []
    with recorded_mail() as outbox:
        for username, email in (
            ("bob", "bob@example.com"),
            ("carol", "ALICE@example.com"),
        ):
            client = app.test_client()
            response = register(client, username, email)
            assert response.location == "/login"
            pages.append(page_after(client, response, email))
    assert pages[0] == pages[1]
    assert "We sent a mail to ADDRESS" in pages[0]
    bob, alice = outbox
    assert bob.subject == "[minitwit] Confirm your email address"
    assert alice.subject == "[minitwit] You already have an account"
    assert alice.recipients == ["ALICE@example.com"]
    assert "/reset" in (alice.body or "")


def test_register_takes_the_same_time_for_a_taken_address(app):
    client = app.test_client()
    register(client, "alice", "alice@example.com")
    token = csrf_token(client.get("/register"))
    new, taken = [], []
    for n in range(SAMPLES):
        for email, times in (
            (f"new{n}@example.com", new),
            ("alice@example.com", taken),
        ):
            data = {
                "username": f"{email[:3]}{n}",
                "email": email,
                "password": PASSWORD,
                "password2": PASSWORD,
                "csrf_token": token,
            }
            times.append(timed_post(client, "/register", data))
    assert_same_time(new, taken)

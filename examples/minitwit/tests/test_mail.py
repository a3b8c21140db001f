"""Account mail: printed while learning, sent over SMTP when configured."""

from __future__ import annotations

import logging
from email import message_from_bytes, policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from conftest import LINK_BASE, mail_link, sql
from sent_mail import recorded_mail, wait_for_mail

from minitwit.models import db
from showcase.testing import csrf_token, free_port, submit_form

pytestmark = pytest.mark.step(10)

#: The registration form as alice fills it in.
ALICE = {
    "username": "alice",
    "email": "alice@example.com",
    "password": "x" * 8,
    "password2": "x" * 8,
}


@pytest.fixture
def mail_app(make_app):
    """minitwit with mail settings of the test's own, and its tables."""

    def make(**settings):
        app = make_app(**settings)
        with app.app_context():
            db.create_all()
        return app

    return make


def test_confirmation_mail_has_text_and_html_parts(auth):
    with recorded_mail() as outbox:
        auth.register("alice")
    (message,) = outbox
    assert message.recipients == ["alice@example.com"]
    assert message.subject == "[minitwit] Confirm your email address"
    assert message.sender == "minitwit <noreply@minitwit.localhost>"
    assert "Hello alice," in message.body
    assert "Hello alice," in message.html
    assert mail_link(message).startswith("/confirm/")


def test_without_mail_server_the_mail_is_printed_in_full(app, auth, capsys):
    auth.register("alice")
    wait_for_mail(app)
    out = capsys.readouterr().out
    assert "mail not sent (no MAIL_SERVER)" in out
    assert "To: alice@example.com" in out
    assert "Subject: [minitwit] Confirm your email address" in out
    assert f"{LINK_BASE}{auth.confirm_link}" in out


def test_with_mail_server_the_mail_is_not_printed(mail_app, capsys):
    # Nothing listens on that port: the mail cannot go, and is not printed.
    app = mail_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    client = app.test_client()
    with recorded_mail() as outbox:
        submit_form(
            client,
            "/register",
            ALICE,
        )
        wait_for_mail(app)
    assert len(outbox) == 1
    assert "mail not sent" not in capsys.readouterr().out


@pytest.mark.step(11)
def test_a_forged_host_header_does_not_change_the_links(client, auth):
    auth.register("alice")
    auth.logout()
    page = client.get("/reset", headers={"Host": "evil.example"})
    with recorded_mail() as outbox:
        client.post(
            "/reset",
            data={
                "email": "alice@example.com",
                "csrf_token": csrf_token(page),
            },
            headers={
                "Host": "evil.example",
                "X-Forwarded-Host": "evil.example",
            },
        )
    (message,) = outbox
    assert "evil.example" not in message.body
    assert "evil.example" not in message.html
    assert mail_link(message).startswith(
        "/reset/"
    )  # checks it starts with LINK_BASE


def test_links_keep_the_prefix_the_app_is_mounted_at(client, auth):
    """Under the portal, minitwit lives at /minitwit/: links must say so."""
    with recorded_mail() as outbox:
        submit_form(
            client,
            "/register",
            ALICE,
            base_url="http://localhost/minitwit",
        )
    assert mail_link(outbox[0]).startswith("/minitwit/confirm/")


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1, for the length of one test."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, mailbox
    finally:
        controller.stop()


@pytest.mark.slow
def test_real_smtp_confirmation_mail(mail_app, smtp_server):
    controller, mailbox = smtp_server
    app = mail_app(
        MAIL_SERVER=controller.hostname,
        MAIL_PORT=controller.port,
        # TESTING would otherwise keep Flask-Mail quiet.
        MAIL_SUPPRESS_SEND=False,
    )
    client = app.test_client()
    response = submit_form(
        client,
        "/register",
        ALICE,
    )
    assert response.location == "/login"
    wait_for_mail(app)

    (envelope,) = mailbox.messages
    assert envelope.rcpt_tos == ["alice@example.com"]
    received = message_from_bytes(envelope.content, policy=policy.default)
    assert received["To"] == "alice@example.com"
    assert received["Subject"] == "[minitwit] Confirm your email address"
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    link = next(word for word in text.split() if word.startswith(LINK_BASE))
    assert link in html

    # Follow the received link, press the button: the account is confirmed.
    path = link.removeprefix(LINK_BASE)
    assert client.get(path).status_code == 200
    submit_form(client, path)
    (row,) = sql(app, "SELECT confirmed_at FROM account")
    assert row["confirmed_at"] is not None


def warned_about(caplog, address: str) -> bool:
    """Whether a warning or error in the log names ``address``."""
    return any(
        record.levelno >= logging.WARNING and address in record.getMessage()
        for record in caplog.records
    )


@pytest.mark.step(12)
def test_smtp_failure_is_logged_not_a_500(mail_app, caplog):
    app = mail_app(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=free_port(),
        MAIL_SUPPRESS_SEND=False,
    )
    client = app.test_client()
    response = submit_form(client, "/register", ALICE)
    assert response.location == "/login"
    wait_for_mail(app)
    assert warned_about(caplog, "alice@example.com")
    caplog.clear()

    # The next mail is tried too.
    login = {"username": "alice", "password": ALICE["password"]}
    submit_form(client, "/login", login)
    response = submit_form(client, "/confirm", form_url="/")
    assert response.location == "/"
    wait_for_mail(app)
    assert warned_about(caplog, "alice@example.com")

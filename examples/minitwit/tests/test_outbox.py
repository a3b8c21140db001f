"""No mail lost: the outbox keeps each mail until the mail server took it.

The mail server here is real (aiosmtpd, on 127.0.0.1). The slow tests run
the production worker, ``flask --app minitwit send-mail --watch``, in a
process of its own, and kill it.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import click
import pytest
from aiosmtpd.controller import Controller
from conftest import sql
from flask.cli import ScriptInfo
from sent_mail import wait_for_mail
from sqlalchemy import update

from minitwit import outbox as senders
from minitwit.mail import QueuedMail, send_mail
from minitwit.models import db
from minitwit.outbox import Sender
from showcase.testing import free_port, submit_form, wait_for_port

pytestmark = pytest.mark.step(17)

FLASK = str(Path(sys.executable).with_name("flask"))


class Mailbox:
    """What a real SMTP server received; it can refuse, or stall a mail."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []
        self.refuse: dict[str, str] = {}  # "RCPT" or "DATA" -> reply
        self.stall_at: int | None = None  # the mail (from 0) to hold
        self.stalled, self.release = threading.Event(), threading.Event()
        self.rcpts = 0
        self.port = 0

    async def handle_RCPT(self, server, session, envelope, address, options):
        if self.rcpts == self.stall_at:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        self.rcpts += 1
        if "RCPT" in self.refuse:
            return self.refuse["RCPT"]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if "DATA" in self.refuse:
            return self.refuse["DATA"]
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        """Who got a mail, in the order the mails arrived."""
        return [address for e in self.envelopes for address in e.rcpt_tos]

    def wait_for(self, count: int, seconds: float = 30) -> None:
        """Wait until ``count`` mails arrived."""
        deadline = time.monotonic() + seconds
        while len(self.envelopes) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.envelopes) >= count, self.recipients()


def smtp_server(port: int | None = None) -> tuple[Controller, Mailbox]:
    """Start a real SMTP server on 127.0.0.1 (SMTPUTF8 on, as most are)."""
    mailbox = Mailbox()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port or free_port(),
        enable_SMTPUTF8=True,
    )
    controller.start()
    return controller, mailbox


@pytest.fixture
def smtp():
    """A real SMTP server for the length of one test."""
    controller, mailbox = smtp_server()
    mailbox.port = controller.port
    yield mailbox
    controller.stop()


@pytest.fixture
def mail_app(make_app, smtp):
    """minitwit sending to the test's SMTP server, with its tables."""
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    with app.app_context():
        db.create_all()
    return app


def queue(app, *addresses: str) -> None:
    """Put one mail per address in the outbox, as the views do."""
    with app.app_context():
        for address in addresses:
            send_mail(
                address,
                "No account uses this address",
                "no_account",
                register_link="http://minitwit.test/register",
            )


def claim_first_mail(app, duration: timedelta) -> None:
    """Do what a sender does before it sends the first mail: claim it."""
    until = datetime.now(timezone.utc) + duration
    with app.app_context():
        claim = update(QueuedMail).where(QueuedMail.id == 1)
        db.session.execute(claim.values(claimed_until=until))
        db.session.commit()


def sign_up(app, username: str, email: str) -> None:
    """Send the sign-up form, as a new visitor: it queues a mail."""
    password = {"password": "x" * 8, "password2": "x" * 8}
    form = {"username": username, "email": email, **password}
    submit_form(app.test_client(), "/register", form)


def outbox(app) -> list[Any]:
    """The mails still in the outbox, oldest first."""
    return sql(app, "SELECT * FROM outbox ORDER BY id")


def test_a_mail_waits_in_the_outbox_until_the_server_took_it(mail_app, smtp):
    sign_up(mail_app, "alice", "alice@example.com")
    (queued,) = outbox(mail_app)
    assert queued["recipient"] == "alice@example.com"
    assert smtp.envelopes == []

    assert wait_for_mail(mail_app)
    (envelope,) = smtp.envelopes
    received = message_from_bytes(envelope.content, policy=policy.default)
    assert received["Message-ID"] == queued["message_id"]
    assert outbox(mail_app) == []


@pytest.mark.step(19)
def test_an_address_with_a_non_ascii_local_part_gets_its_mail(mail_app, smtp):
    """élodie@exämple.com gets her mail (Flask-Mail's send could not)."""
    sign_up(mail_app, "elodie", "élodie@exämple.com")
    assert wait_for_mail(mail_app)
    (envelope,) = smtp.envelopes
    assert "SMTPUTF8" in envelope.mail_options
    assert envelope.rcpt_tos == ["élodie@xn--exmple-cua.com"]
    received = message_from_bytes(envelope.content, policy=policy.default)
    assert received["To"] == "élodie@xn--exmple-cua.com"
    assert "/confirm/" in received.get_body(("plain",)).get_content()


def test_mails_wait_while_the_server_is_down_then_go_once_in_order(make_app):
    port = free_port()
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.app_context():
        db.create_all()
    queue(app, "a@example.com", "b@example.com", "c@example.com")
    assert not wait_for_mail(app)  # nothing listens on the port
    assert len(outbox(app)) == 3

    controller, mailbox = smtp_server(port)
    try:
        assert wait_for_mail(app)
        assert wait_for_mail(app)  # nothing left: nothing sent twice
    finally:
        controller.stop()
    assert mailbox.recipients() == [
        "a@example.com",
        "b@example.com",
        "c@example.com",
    ]
    assert outbox(app) == []


@pytest.mark.step(18)
def test_a_mail_a_sender_holds_goes_first_once_its_claim_runs_out(
    mail_app, smtp
):
    """A sender killed while sending leaves its mail claimed."""
    queue(mail_app, "a@example.com", "b@example.com")
    claim_first_mail(mail_app, timedelta(hours=1))
    assert wait_for_mail(mail_app)
    assert smtp.envelopes == []  # b waits behind a: the order holds

    claim_first_mail(mail_app, timedelta(seconds=-1))  # the claim ran out
    assert wait_for_mail(mail_app)
    assert smtp.recipients() == ["a@example.com", "b@example.com"]


@pytest.mark.step(19)
@pytest.mark.parametrize(
    ("stage", "reply"),
    [("RCPT", "550 5.1.1 No such user"), ("DATA", "554 5.6.0 Rejected")],
)
def test_a_mail_refused_for_good_is_logged_and_dropped(
    mail_app, smtp, caplog, stage, reply
):
    smtp.refuse[stage] = reply
    queue(mail_app, "ghost@example.com")
    assert wait_for_mail(mail_app)
    assert "refused the mail to ghost@example.com for good" in caplog.text
    assert outbox(mail_app) == []


@pytest.mark.step(18)
def test_a_mail_refused_for_now_is_kept(mail_app, smtp, caplog):
    smtp.refuse["RCPT"] = "450 4.2.0 Mailbox busy, try again later"
    queue(mail_app, "busy@example.com")
    assert not wait_for_mail(mail_app)
    (queued,) = outbox(mail_app)
    assert queued["claimed_until"] is None  # any sender may try it again
    assert "could not send mail to busy@example.com" in caplog.text
    del smtp.refuse["RCPT"]
    assert wait_for_mail(mail_app)
    assert smtp.recipients() == ["busy@example.com"]


@pytest.mark.step(18)
def test_send_mail_command_prints_or_says_the_server_failed(make_app):
    app = make_app()  # no MAIL_SERVER: printed
    with app.app_context():
        db.create_all()
    queue(app, "a@example.com")
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0
    assert "To: a@example.com" in result.output
    assert outbox(app) == []

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    queue(app, "b@example.com")
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 1
    assert "the mails wait in the outbox" in result.output
    assert len(outbox(app)) == 1


@pytest.mark.step(18)
def test_the_worker_refuses_to_print_mail(make_app):
    """A worker without MAIL_SERVER would log every link: it refuses."""
    result = make_app().test_cli_runner().invoke(args=["send-mail", "--watch"])
    assert result.exit_code == 1
    assert "Set MAIL_SERVER" in result.output


@pytest.mark.step(18)
def test_the_worker_sends_until_told_to_stop(mail_app, smtp):
    queue(mail_app, "a@example.com", "b@example.com")
    handlers = {
        s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)
    }

    def stop_once_sent() -> None:
        smtp.wait_for(2)
        handler = signal.getsignal(signal.SIGTERM)
        assert callable(handler)
        handler(signal.SIGTERM, None)  # as if the system sent SIGTERM

    stopper = threading.Thread(target=stop_once_sent)
    stopper.start()
    try:
        runner = mail_app.test_cli_runner()
        result = runner.invoke(args=["send-mail", "--watch"])
    finally:
        stopper.join()
        for number, handler in handlers.items():
            signal.signal(number, handler)
    assert result.exit_code == 0, result.output
    assert smtp.recipients() == ["a@example.com", "b@example.com"]


@pytest.mark.step(18)
def test_a_sender_told_to_stop_takes_no_further_mail(mail_app, smtp):
    queue(mail_app, "a@example.com")
    stop = threading.Event()
    stop.set()
    with mail_app.app_context():
        assert senders.send_queued_mail(stop)
    assert smtp.envelopes == []
    assert len(outbox(mail_app)) == 1


def test_only_the_flask_command_gets_a_sender_thread(app, monkeypatch):
    assert not Sender(app).enabled  # a test sends when it chooses
    monkeypatch.setattr(app, "testing", False)
    assert not Sender(app).enabled  # production: the worker sends
    with click.Context(click.Command("run"), obj=ScriptInfo()):
        assert Sender(app).enabled


def test_the_sender_thread_sends_each_mail_at_once(app, capsys, monkeypatch):
    sender = Sender(app)
    sender.enabled = True  # as under `flask run`
    monkeypatch.setitem(app.extensions, "outbox", sender)  # this test only
    queue(app, "a@example.com", "b@example.com")
    for thread in threading.enumerate():
        if thread.name == "minitwit-mail":
            thread.join()
    assert outbox(app) == []
    out = capsys.readouterr().out
    assert out.index("To: a@example.com") < out.index("To: b@example.com")


@pytest.mark.step(18)
def test_the_worker_outlives_a_broken_database(app, caplog):
    with app.app_context():
        db.metadata.tables["outbox"].drop(db.engine)
    stop = threading.Event()
    thread = threading.Thread(target=senders.keep_sending, args=(app, stop))
    thread.start()
    deadline = time.monotonic() + 10
    while "could not read the outbox" not in caplog.text:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    stop.set()
    thread.join()


# --- the production worker, in a process of its own -------------------------


class Workers:
    """Start ``flask send-mail --watch`` and gunicorn on one database."""

    def __init__(self, app, folder: Path) -> None:
        self.app, self.folder = app, folder
        self.processes: list[subprocess.Popen] = []

    def env(self, port: int) -> dict[str, str]:
        """Production settings on the test's database, mail to ``port``."""
        config = self.app.config
        env = {k: v for k, v in os.environ.items() if k[:6] != "FLASK_"}
        env.update(
            FLASK_MAIL_SERVER="127.0.0.1",
            FLASK_MAIL_PORT=str(port),
            FLASK_MAIL_CLAIM_SECONDS="2",
            FLASK_SECRET_KEY=config["SECRET_KEY"],
        )
        if config["DATABASE_URL"]:
            env["DATABASE_URL"] = config["DATABASE_URL"]
        else:
            env["FLASK_DATABASE"] = config["DATABASE"]
        return env

    def __call__(self, port: int) -> subprocess.Popen:
        """Start a worker that sends to the SMTP server on ``port``."""
        worker = [FLASK, "--app", "minitwit", "send-mail", "--watch"]
        return self.start(worker, self.env(port))

    def serve(self, port: int, http_port: int) -> subprocess.Popen:
        """Start gunicorn on ``http_port``, as the production page does."""
        env = self.env(port)
        env.update(
            FLASK_HTTPS="false",  # plain HTTP on loopback
            FLASK_MAIL_LINK_BASE=f"http://127.0.0.1:{http_port}",
            FLASK_PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",
        )
        bind = f"127.0.0.1:{http_port}"
        server = [sys.executable, "-m", "gunicorn", "--bind", bind]
        return self.start([*server, "minitwit:create_app()"], env)

    def start(self, command: list[str], env: dict[str, str]):
        """Start ``command``; its output goes to a log of the test's."""
        log = self.folder / f"process{len(self.processes)}.log"
        with log.open("wb") as output:  # the process keeps its own copy
            process = subprocess.Popen(
                command, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        self.processes.append(process)
        return process

    def logs(self) -> str:
        """What the workers wrote, errors included."""
        logs = sorted(self.folder.glob("process*.log"))
        return "".join(path.read_text() for path in logs)


@pytest.fixture
def worker(make_app, tmp_path):
    """Start workers on a database of the test's own: ``worker(port)``."""
    app = make_app()
    with app.app_context():
        db.create_all()
    workers = Workers(app, tmp_path)
    yield workers
    for process in workers.processes:
        process.kill()
        process.wait()


ADDRESSES = [f"user{n}@example.com" for n in range(6)]


@pytest.mark.step(18)
@pytest.mark.slow
def test_worker_killed_mid_send_then_restarted_sends_each_mail_once(
    worker, smtp
):
    queue(worker.app, *ADDRESSES)
    smtp.stall_at = 2  # the third mail: the worker waits for the server
    first = worker(smtp.port)
    assert smtp.stalled.wait(30), worker.logs()
    first.kill()  # SIGKILL: no time to tidy up
    first.wait()
    smtp.release.set()
    assert smtp.recipients() == ADDRESSES[:2]

    second = worker(smtp.port)
    smtp.wait_for(len(ADDRESSES))
    second.terminate()
    assert second.wait(30) == 0
    assert smtp.recipients() == ADDRESSES  # each once, in order
    assert outbox(worker.app) == []


@pytest.mark.step(18)
@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="no SIGTERM to catch")
def test_worker_stopped_mid_send_finishes_that_mail_first(worker, smtp):
    queue(worker.app, *ADDRESSES)
    smtp.stall_at = 2
    first = worker(smtp.port)
    assert smtp.stalled.wait(30), worker.logs()
    first.send_signal(signal.SIGTERM)  # what systemd and docker stop send
    time.sleep(0.2)
    smtp.release.set()
    assert first.wait(30) == 0
    assert smtp.recipients() == ADDRESSES[:3]

    second = worker(smtp.port)
    smtp.wait_for(len(ADDRESSES))
    second.terminate()
    second.wait(30)
    assert smtp.recipients() == ADDRESSES
    assert outbox(worker.app) == []


@pytest.mark.step(18)
@pytest.mark.slow
@pytest.mark.outage
def test_mail_queued_while_the_server_is_down_for_a_minute_goes_once(worker):
    port = free_port()
    queue(worker.app, *ADDRESSES[:3])
    process = worker(port)  # nothing listens there yet
    time.sleep(30)
    queue(worker.app, *ADDRESSES[3:])
    time.sleep(30)
    assert process.poll() is None, worker.logs()
    assert "will try again" in worker.logs()

    controller, mailbox = smtp_server(port)
    try:
        mailbox.wait_for(len(ADDRESSES), seconds=90)
        time.sleep(2)  # and nothing more comes
    finally:
        controller.stop()
    assert mailbox.recipients() == ADDRESSES
    assert outbox(worker.app) == []


@pytest.mark.step(18)
@pytest.mark.slow
def test_server_killed_with_mail_queued_then_restarted_loses_none(
    worker, smtp
):
    """Visitors sign up on gunicorn; it is killed before any mail left.
    Started again, with its worker: every mail arrives, once, in order."""
    pytest.importorskip("gunicorn", reason="gunicorn does not run on Windows")
    port = free_port()
    server = worker.serve(smtp.port, port)
    wait_for_port(port, seconds=60)
    for address in ADDRESSES[:3]:
        sign_up_over_http(port, address)
    server.kill()  # SIGKILL: the mails were only queued
    server.wait()
    assert smtp.envelopes == []
    assert [row["recipient"] for row in outbox(worker.app)] == ADDRESSES[:3]

    worker.serve(smtp.port, port)
    worker(smtp.port)
    smtp.wait_for(3)
    time.sleep(2)  # and nothing more comes
    assert smtp.recipients() == ADDRESSES[:3]
    assert outbox(worker.app) == []


def sign_up_over_http(port: int, address: str) -> None:
    """Sign up as a browser would, with the form's CSRF token."""
    jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    browser = urllib.request.build_opener(jar)
    url = f"http://127.0.0.1:{port}/register"
    with browser.open(url, timeout=30) as page:
        html = page.read().decode()
    (token,) = re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    name = address.split("@")[0]
    form = {"username": name, "email": address, "csrf_token": token}
    form.update(password="x" * 8, password2="x" * 8)
    with browser.open(url, urllib.parse.urlencode(form).encode(), 30) as page:
        assert page.url.endswith("/login")  # signed up, sent to log in

"""Sending the outbox: every mail leaves once, in order, even after a crash.

While you develop, each mail starts a thread that sends what waits. In
production, ``flask --app minitwit send-mail --watch`` runs beside the web
server and sends each mail within a second: that is the worker.

A sender *claims* the oldest mail for ``MAIL_CLAIM_SECONDS``, sends it,
then deletes it. Killed in between, it leaves the mail claimed, and the
next sender takes it once the claim runs out. While the mail server is
down, the mail stays first in line and the worker waits 1, 2, 4... up to
60 seconds between tries.
"""

from __future__ import annotations

import signal
from datetime import datetime, timedelta, timezone
from smtplib import SMTPDataError, SMTPException, SMTPRecipientsRefused
from threading import Event, Lock, Thread

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import or_, select, update

from minitwit.mail import QueuedMail, deliver
from minitwit.models import db
from showcase.security import is_production

POLL_SECONDS = 1.0
MAX_WAIT_SECONDS = 60.0


def send_queued_mail(stop: Event | None = None) -> bool:
    """Send the mails that wait, oldest first, until none is left or
    ``stop`` is set; False if the mail server failed."""
    while not (stop and stop.is_set()):
        queued = claim_oldest_mail()
        if queued is None:
            break
        try:
            deliver(queued)
        except (OSError, SMTPException) as error:
            if not refused_for_good(error):
                current_app.logger.warning(
                    "could not send mail to %s (%s); will try again",
                    queued.recipient,
                    error,
                )
                queued.claimed_until = None
                db.session.commit()
                return False
            current_app.logger.error(
                "the mail server refused the mail to %s for good: %s",
                queued.recipient,
                error,
            )
        db.session.delete(queued)
        db.session.commit()
    return True


def claim_oldest_mail() -> QueuedMail | None:
    """The oldest mail, now ours to send; None if none or another sender's."""
    queued = db.session.scalar(
        select(QueuedMail).order_by(QueuedMail.id).limit(1)
    )
    if queued is None:
        return None
    now = datetime.now(timezone.utc)
    seconds = current_app.config["MAIL_CLAIM_SECONDS"]
    claim = (
        update(QueuedMail)
        .where(QueuedMail.id == queued.id)
        .where(
            or_(
                QueuedMail.claimed_until.is_(None),
                QueuedMail.claimed_until < now,
            )
        )
        .values(claimed_until=now + timedelta(seconds=seconds))
        .returning(QueuedMail.id)
        .execution_options(synchronize_session=False)
    )
    claimed = db.session.scalar(claim) is not None
    db.session.commit()
    return queued if claimed else None


def refused_for_good(error: Exception) -> bool:
    """Tell whether the server said it will never take this mail (5xx)."""
    if isinstance(error, SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, SMTPDataError) and error.smtp_code >= 500


class Sender:
    """Sends the outbox from a thread after each mail, while you develop."""

    def __init__(self, app: Flask) -> None:
        # Tests send when they choose; in production, the worker sends.
        self.enabled = not (app.testing or is_production(app))
        self.app = app
        self.lock = Lock()

    def wake(self) -> None:
        """Send the outbox from a new thread; the page does not wait."""
        if self.enabled:
            Thread(target=self.send, name="minitwit-mail").start()

    def send(self) -> None:
        """Send what waits, after the thread that is sending, if any."""
        with self.lock, self.app.app_context():
            send_queued_mail()


def keep_sending(app: Flask, stop: Event) -> None:
    """Send the outbox every second until ``stop``; while the mail server
    fails, wait twice as long each time, up to a minute."""
    wait = POLL_SECONDS
    while not stop.is_set():
        with app.app_context():
            try:
                sent = send_queued_mail(stop)
            except Exception:  # the database is down...: try again later
                app.logger.exception("could not read the outbox")
                db.session.rollback()
                sent = False
        wait = POLL_SECONDS if sent else min(wait * 2, MAX_WAIT_SECONDS)
        stop.wait(wait)


@click.command("send-mail")
@click.option("--watch", is_flag=True, help="Keep sending: the worker.")
@with_appcontext
def send_mail_command(watch: bool) -> None:
    """Send the mails waiting in the outbox; --watch keeps at it."""
    if not watch:
        if not send_queued_mail():
            raise click.ClickException(
                "The mail server failed; the mails wait in the outbox."
            )
        return
    if not current_app.config["MAIL_SERVER"]:
        raise click.ClickException(
            "Set MAIL_SERVER: a worker without one would print each mail, "
            "its links too, into its log."
        )
    stop = Event()

    def finish_then_stop(signum: int, frame: object) -> None:
        """Stop once the mail being sent is sent."""
        stop.set()

    signal.signal(signal.SIGTERM, finish_then_stop)
    signal.signal(signal.SIGINT, finish_then_stop)
    click.echo("Sending the outbox's mail; Ctrl+C stops.")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    keep_sending(app, stop)


def init_app(app: Flask) -> None:
    """Give ``app`` its sender and the ``send-mail`` command."""
    app.extensions["outbox"] = Sender(app)
    app.cli.add_command(send_mail_command)

"""Account mail with Flask-Mail: sent over SMTP, or printed while you learn.

With no ``MAIL_SERVER`` configured (the default), nothing is sent: each mail is
printed in full to the terminal running the app, so you can click the link
in it. Set ``MAIL_SERVER`` (and ``MAIL_PORT``, ``MAIL_USERNAME``, ...) and the
same code sends real mail.

The links in a mail start with ``MAIL_LINK_BASE``, never with the address the
request came to: ``url_for(..., _external=True)`` would copy the request's
``Host`` header, so an attacker asking for a reset of *your* account with
``Host: evil.example`` would get a mail sent to you with a link to their site,
carrying your reset token ("password reset poisoning").

Mail leaves in a background thread, never in the request: a page answers
in the same time whether or not it sends a mail, so its timing does not
tell whether an address has an account. The thread lives in the server
process; a mail still queued when the process stops is lost. A real
deployment hands mail to a local mail server (which queues and retries)
or to a task queue such as Celery or RQ.
"""

from __future__ import annotations

import queue
import threading
from typing import Any, cast

import click
from flask import Flask, current_app, g, render_template, url_for
from flask_mail import Mail, Message
from werkzeug.local import LocalProxy

mail = Mail()


def init_app(app: Flask) -> None:
    """Bind Flask-Mail to ``app``; without a ``MAIL_SERVER``, print mails."""
    if not app.config.get("MAIL_SERVER"):
        app.config["MAIL_SUPPRESS_SEND"] = True
    mail.init_app(app)
    app.teardown_appcontext(hand_over_mails)


def external_url(endpoint: str, **values: Any) -> str:
    """A full URL for a mail: ``MAIL_LINK_BASE`` plus ``url_for``'s path."""
    return current_app.config["MAIL_LINK_BASE"].rstrip("/") + url_for(
        endpoint, **values
    )


class MailQueue:
    """Mails waiting to be sent, and the one thread that sends them."""

    def __init__(self) -> None:
        self.jobs: queue.Queue[tuple[Flask, dict[str, Any]]] = queue.Queue()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def put(self, job: dict[str, Any]) -> None:
        """Queue a mail; start the sending thread on first use."""
        # The app itself: the current_app proxy works only in this thread.
        app = cast("LocalProxy[Flask]", current_app)._get_current_object()
        with self.lock:
            if self.thread is None:
                # Started here, not at import: a server that forks its
                # workers gives each its own thread.
                self.thread = threading.Thread(
                    target=self.work, name="minitwit-mail", daemon=True
                )
                self.thread.start()
        self.jobs.put((app, job))

    def work(self) -> None:
        """Send queued mails one by one, for as long as the process runs."""
        while True:
            app, job = self.jobs.get()
            try:
                with app.app_context():
                    deliver(**job)
            except Exception:  # the thread must go on with the next mail
                # Nobody to tell but the operator: the page was answered.
                app.logger.exception("could not send mail to %s", job["to"])
            finally:
                self.jobs.task_done()

    def flush(self) -> None:
        """Wait until every queued mail was sent (or failed)."""
        self.jobs.join()


mail_queue = MailQueue()


def send_mail(to: str, subject: str, template: str, **context: Any) -> None:
    """Queue ``email/<template>.txt`` and ``.html`` for ``to``.

    The mail waits in ``g`` until the request is over (see
    :func:`hand_over_mails`), so the sending thread never competes with
    the request for the CPU. ``context`` holds plain values (names,
    links): the mail is written later, away from this request's database
    session.
    """
    job = {"to": to, "subject": subject, "template": template, **context}
    g.setdefault("mail_jobs", []).append(job)


def hand_over_mails(error: BaseException | None) -> None:
    """At the end of a request, give its mails to the sending thread."""
    for job in g.pop("mail_jobs", []):
        mail_queue.put(job)


def deliver(to: str, subject: str, template: str, **context: Any) -> None:
    """Write one mail and send it (or print it, without a MAIL_SERVER)."""
    message = Message(
        subject=f"[minitwit] {subject}",
        recipients=[to],
        body=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context),
    )
    mail.send(message)
    if not current_app.config.get("MAIL_SERVER"):
        print_mail(message)


def print_mail(message: Message) -> None:
    """Print a mail that was not sent, so a learner can click its link."""
    click.echo(
        "\n".join(
            [
                "-" * 20
                + " mail not sent (no MAIL_SERVER configured) "
                + "-" * 20,
                f"From: {message.sender}",
                f"To: {', '.join(map(str, message.recipients))}",
                f"Subject: {message.subject}",
                "",
                message.body or "",
                "-" * 20 + " end of mail " + "-" * 20,
            ]
        )
    )

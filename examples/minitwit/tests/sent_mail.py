"""Catching the mails a test makes minitwit send.

:func:`recorded_mail` lists the mails written in its block, as Flask-Mail
``Message`` objects; :func:`wait_for_mail` has them sent. Built along its
chapter (steps/minitwit), minitwit sends each mail from a thread of its own
(``mail.py``) until the "outbox" step puts them in a table first; both
work here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app
from flask_mail import Message
from sqlalchemy import event


def wait_for_mail(app: Flask | None = None) -> bool:
    """Send every mail waiting (the outbox); False if the server failed."""
    try:
        from minitwit.outbox import send_queued_mail
    except ModuleNotFoundError:  # before the outbox: each mail a thread
        for thread in threading.enumerate():
            if thread.name == "minitwit-mail":
                thread.join()
        return True
    assert app is not None, "with the outbox, say which app sends"
    with app.app_context():
        return send_queued_mail()


@contextmanager
def recorded_mail() -> Iterator[list[Message]]:
    """Record every mail written in the block."""
    try:
        from minitwit.mail import mail
    except ModuleNotFoundError:
        # Before the "Mail" step, minitwit sends no mail: nothing to record.
        yield []
        return
    try:
        from minitwit.mail import QueuedMail
    except ImportError:  # before the outbox: Flask-Mail's own record
        with mail.record_messages() as outbox:
            yield outbox
            wait_for_mail()
        return
    mails: list[Message] = []

    def record(mapper: Any, connection: Any, queued: Any) -> None:
        """Keep a copy of each mail put in the outbox."""
        mails.append(
            Message(
                subject=queued.subject,
                recipients=[queued.recipient],
                body=queued.body,
                html=queued.html,
                sender=current_app.config["MAIL_DEFAULT_SENDER"],
            )
        )

    event.listen(QueuedMail, "after_insert", record)
    try:
        yield mails
    finally:
        event.remove(QueuedMail, "after_insert", record)

"""Account mail with Flask-Mail: sent over SMTP, or printed while you learn.

With no ``MAIL_SERVER`` configured (the default), nothing is sent: each
mail is printed in full in the terminal running the app, so you can click
its link. Set ``MAIL_SERVER`` (and ``MAIL_PORT``, ``MAIL_USERNAME``...) and
the same code sends real mail.

``send_mail`` stores each mail in the outbox table, and ``outbox.py`` sends
it once the mail server takes it, in order: no mail is lost.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import click
from flask import current_app, render_template
from flask_mail import Mail
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column as column

from minitwit.models import EMAIL_MAX_LENGTH, Model, db

mail = Mail()


class QueuedMail(Model):
    """A mail in the outbox, kept until the mail server has taken it."""

    __tablename__ = "outbox"
    id: Mapped[int] = column(primary_key=True)
    recipient: Mapped[str] = column(String(EMAIL_MAX_LENGTH))
    subject: Mapped[str] = column(String(255))
    body: Mapped[str] = column(Text)
    html: Mapped[str] = column(Text)
    #: The same on every try: a mail that arrives twice shows once.
    message_id: Mapped[str] = column(String(255), default=make_msgid)
    #: Set while a sender is sending it: no other sender takes it till then.
    claimed_until: Mapped[datetime | None]


def send_mail(to: str, subject: str, template: str, **context: Any) -> None:
    """Put ``email/<template>.txt`` and ``.html`` for ``to`` in the outbox."""
    db.session.add(
        QueuedMail(
            recipient=to,
            subject=f"[minitwit] {subject}",
            body=render_template(f"email/{template}.txt", **context),
            html=render_template(f"email/{template}.html", **context),
        )
    )
    db.session.commit()
    current_app.extensions["outbox"].wake()


def deliver(queued: QueuedMail) -> None:
    """Hand one mail to the mail server, or print it without a MAIL_SERVER."""
    if not current_app.config["MAIL_SERVER"]:
        head = "---- mail not sent (no MAIL_SERVER) ----"
        to, subject = queued.recipient, queued.subject
        click.echo(f"{head}\nTo: {to}\nSubject: {subject}\n\n{queued.body}")
        return
    message = EmailMessage()
    message["Subject"] = queued.subject
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = ascii_domain(queued.recipient)
    message["Date"] = formatdate()
    message["Message-ID"] = queued.message_id
    message.set_content(queued.body)
    message.add_alternative(queued.html, subtype="html")
    with mail.connect() as connection:
        # smtplib asks for SMTPUTF8 when an address needs it: élodie@...
        connection.host.send_message(message)  # type: ignore[union-attr]


def ascii_domain(address: str) -> str:
    """``address`` with its domain in ASCII (IDNA): any server takes it."""
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.encode('idna').decode('ascii')}"

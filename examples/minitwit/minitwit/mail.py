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
"""

from __future__ import annotations

import smtplib
from typing import Any

import click
from flask import Flask, current_app, render_template, url_for
from flask_mail import Mail, Message

mail = Mail()


def init_app(app: Flask) -> None:
    """Bind Flask-Mail to ``app``; without a ``MAIL_SERVER``, print mails."""
    if not app.config.get("MAIL_SERVER"):
        app.config["MAIL_SUPPRESS_SEND"] = True
    mail.init_app(app)


def external_url(endpoint: str, **values: Any) -> str:
    """A full URL for a mail: ``MAIL_LINK_BASE`` plus ``url_for``'s path."""
    return current_app.config["MAIL_LINK_BASE"].rstrip("/") + url_for(
        endpoint, **values
    )


def send_mail(to: str, subject: str, template: str, **context: Any) -> bool:
    """Send ``email/<template>.txt`` and ``.html`` to ``to``; False on failure.

    A failure (the SMTP server is down, refuses the login...) is logged for the
    operator; the caller tells the user in words they can act on.
    """
    message = Message(
        subject=f"[minitwit] {subject}",
        recipients=[to],
        body=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context),
    )
    try:
        mail.send(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("could not send mail to %s", to)
        return False
    if not current_app.config.get("MAIL_SERVER"):
        print_mail(message)
    return True


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

"""Account mail with Flask-Mail: sent over SMTP, or printed while you learn.

With no ``MAIL_SERVER`` configured (the default), nothing is sent: each
mail is printed in full in the terminal running the app, so you can click
its link. Set ``MAIL_SERVER`` (and ``MAIL_PORT``, ``MAIL_USERNAME``...) and
the same code sends real mail.

A mail leaves from a thread of its own, started once the page has been
sent: the page never waits for the mail server, and answers in the same
time whether it sends a mail or not.
"""

from __future__ import annotations

from threading import Thread
from typing import Any

import click
from flask import Flask, after_this_request, current_app, render_template
from flask_mail import Mail, Message

mail = Mail()


def send_mail(to: str, subject: str, template: str, **context: Any) -> None:
    """Mail ``email/<template>.txt`` and ``.html`` to ``to``, in a thread."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    job = (app, to, subject, template, context)
    thread = Thread(target=deliver, args=job, name="minitwit-mail")

    @after_this_request
    def once_the_page_is_sent(response):
        response.call_on_close(thread.start)
        return response


def deliver(
    app: Flask, to: str, subject: str, template: str, context: dict[str, Any]
) -> None:
    """Write one mail and send it (or print it, without a MAIL_SERVER)."""
    with app.app_context():
        message = Message(
            subject=f"[minitwit] {subject}",
            recipients=[to],
            body=render_template(f"email/{template}.txt", **context),
            html=render_template(f"email/{template}.html", **context),
        )
        try:
            mail.send(message)
        except Exception:  # nobody to tell but the operator: log it
            app.logger.exception("could not send mail to %s", to)
        if not app.config["MAIL_SERVER"]:  # print it, to click its link
            head = f"---- mail not sent (no MAIL_SERVER) ----\nTo: {to}"
            click.echo(f"{head}\nSubject: {message.subject}\n\n{message.body}")

"""Catching the mails a test makes minitwit send.

Each mail leaves from a thread of its own (``minitwit/mail.py``):
:func:`recorded_mail` records what Flask-Mail sends in its block, and waits
for those threads before the test reads the list.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask_mail import Message


def wait_for_mail() -> None:
    """Wait until every mail being sent has gone (or failed)."""
    for thread in threading.enumerate():
        if thread.name == "minitwit-mail":
            thread.join()


@contextmanager
def recorded_mail() -> Iterator[list[Message]]:
    """Record every mail sent in the block, all sent when it ends."""
    try:
        from minitwit.mail import mail
    except ModuleNotFoundError:
        # Built along its chapter (steps/minitwit), minitwit sends no mail
        # before the "Mail" step: there is nothing to record.
        yield []
        return
    with mail.record_messages() as outbox:
        yield outbox
        wait_for_mail()

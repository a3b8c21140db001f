"""Keyset pagination: pages of a timeline found by position, not by number.

A position is where a message sits in a timeline: its date and its id,
written in links as ``2026-02-01T10:05:00.000000Z.42``. "Older" asks for
the messages just before the last one shown, "Newer" for those just after
the first one. Each page is one range of an index, so the last page costs
what the first one does. There is no "page 3 of 5": counting the rows
would read them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import abort, current_app, redirect, request, url_for

from minitwit.models import Message

#: How a position's date is written: UTC, to the microsecond.
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
#: A position in a link: a date, a dot, an id of at most 18 digits.
POSITION = re.compile(r"(?P<date>.{1,40})\.(?P<id>[0-9]{1,18})")


@dataclass(frozen=True)
class Position:
    """Where a message sits in a timeline: newest date first, then id."""

    pub_date: datetime
    id: int

    @classmethod
    def of(cls, message: Message) -> Position:
        """The position of ``message``."""
        return cls(message.pub_date, message.id)

    def __str__(self) -> str:
        date = self.pub_date
        if date.tzinfo is None:  # SQLite gives back naive UTC datetimes
            date = date.replace(tzinfo=timezone.utc)
        return f"{date.astimezone(timezone.utc):{DATE_FORMAT}}.{self.id}"


def read_position(value: str) -> Position:
    """Read a position from a link; 400 unless :class:`Position` wrote it."""
    match = POSITION.fullmatch(value)
    try:
        if match is None:
            raise ValueError(value)
        date = datetime.strptime(match["date"], DATE_FORMAT)
        position = Position(
            date.replace(tzinfo=timezone.utc), int(match["id"])
        )
        # One way to write each position: anything else is not from us.
        if str(position) != value:
            raise ValueError(value)
    except ValueError:
        abort(400, "That is not a position in this timeline.")
    return position


#: Reads a timeline: the messages older than a position (or the newest, for
#: None), newest first, or with ``newer=True`` those newer than it, oldest
#: first; at most ``limit`` of them.
Reader = Callable[[Position | None, bool, int], list[Message]]


@dataclass
class Page:
    """One page of a timeline and the positions its links carry."""

    messages: list[Message]
    #: The position for the "Older" link, None on the last page.
    older: str | None
    #: The position for the "Newer" link, None on the first page.
    newer: str | None


def first_page_url() -> str:
    """The URL of the newest messages of the timeline being shown."""
    return url_for(request.endpoint or "", **(request.view_args or {}))


def read_page(read: Reader) -> Page:
    """The page of the timeline ``read`` that the query string asks for.

    Each query asks for one message more than a page: if it comes back,
    there are more messages past this page.
    """
    args = request.args
    if "page" in args:
        # A numbered link from before keyset pagination: a redirect (an
        # HTTPException with a response) to the newest messages.
        abort(redirect(first_page_url(), 301))
    if "before" in args and "after" in args:
        abort(400, "Ask for messages before a position or after it.")
    per_page = current_app.config["PER_PAGE"]
    if "after" in args:
        position = read_position(args["after"])
        messages = read(position, True, per_page + 1)
        if len(messages) <= per_page:
            # These are the newest messages: the first page shows them.
            abort(redirect(first_page_url()))
        messages = messages[:per_page][::-1]  # back to newest first
        has_newer = True
        has_older = bool(read(Position.of(messages[-1]), False, 1))
    elif "before" in args:
        position = read_position(args["before"])
        messages = read(position, False, per_page + 1)
        if not messages:
            abort(404, "There are no older messages in this timeline.")
        has_older = len(messages) > per_page
        messages = messages[:per_page]
        has_newer = bool(read(Position.of(messages[0]), True, 1))
    else:
        messages = read(None, False, per_page + 1)
        has_older = len(messages) > per_page
        messages = messages[:per_page]
        has_newer = False
    return Page(
        messages,
        older=str(Position.of(messages[-1])) if has_older else None,
        newer=str(Position.of(messages[0])) if has_newer else None,
    )

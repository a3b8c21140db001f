"""``?page=N`` on the timelines: read the number, count, fetch one page.

``?page=0``, ``?page=abc`` or a page past the last one answer 404 Not Found.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import abort, request

#: A page number: digits, no sign, no leading zero, not absurdly large.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


@dataclass(frozen=True)
class Page:
    """One page of a timeline: its messages and where it sits."""

    items: Sequence[Any]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages there are (an empty timeline still has one)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        """Whether a newer page comes before this one."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Whether an older page comes after this one."""
        return self.number < self.pages


def page_number() -> int:
    """Read ``?page=`` from the query string; 404 if it is not a number."""
    raw = request.args.get("page", "1")
    if not PAGE_NUMBER.fullmatch(raw):
        abort(404)
    return int(raw)


def paginate(
    count: int, per_page: int, fetch: Callable[[int, int], Sequence[Any]]
) -> Page:
    """Return the page ``?page=`` asks for; 404 past the last page.

    ``fetch(limit, offset)`` runs the query for one page.
    """
    number = page_number()
    if number > Page((), number, per_page, count).pages:
        abort(404)
    return Page(
        fetch(per_page, (number - 1) * per_page), number, per_page, count
    )

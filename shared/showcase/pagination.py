"""``?page=N`` for lists that grow: parse the number, count, fetch one page.

A view counts its rows, then lets :func:`paginate` check the page number and
fetch just that page with ``LIMIT ? OFFSET ?``::

    count = db.execute("SELECT COUNT(*) FROM post").fetchone()[0]
    page = paginate(count, per_page=10, fetch=lambda limit, offset: db.execute(
        "SELECT ... ORDER BY created DESC LIMIT ? OFFSET ?", (limit, offset)).fetchall())

``?page=0``, ``?page=abc`` or a page past the last one gives 404 Not Found.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import abort, request

T = TypeVar("T")

#: A page number: digits, no sign, no leading zero, small enough for SQLite.
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items and where it sits among the others."""

    items: Sequence[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages there are (an empty list still has page 1)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        """Whether a page comes before this one."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Whether a page comes after this one."""
        return self.number < self.pages

    @property
    def prev_num(self) -> int:
        """The number of the page before this one."""
        return self.number - 1

    @property
    def next_num(self) -> int:
        """The number of the page after this one."""
        return self.number + 1


def page_number(arg: str = "page") -> int:
    """Read the page number from the query string; 404 if it is not a valid one."""
    raw = request.args.get(arg, "1")
    if not _PAGE_NUMBER.fullmatch(raw):
        abort(404)
    return int(raw)


def paginate(
    count: int, per_page: int, fetch: Callable[[int, int], Sequence[T]]
) -> Page[T]:
    """Return the requested page of ``count`` rows; 404 past the last page.

    ``fetch(limit, offset)`` runs the query for one page.
    """
    number = page_number()
    page: Page[T] = Page(
        items=(), number=number, per_page=per_page, total=count
    )
    if number > page.pages:
        abort(404)
    return Page(
        fetch(per_page, (number - 1) * per_page), number, per_page, count
    )

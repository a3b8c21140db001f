"""showcase.pagination: page numbers from the query string, and 404 past the end."""

from __future__ import annotations

import pytest
from flask import render_template_string
from werkzeug.exceptions import NotFound

from showcase.pagination import Page, page_number, paginate

ROWS = list(range(1, 24))  # 23 rows: pages of 10, 10 and 3


def fetch(limit, offset):
    return ROWS[offset : offset + limit]


@pytest.mark.parametrize(
    ("query", "items", "has_prev", "has_next"),
    [
        ("", ROWS[:10], False, True),
        ("?page=2", ROWS[10:20], True, True),
        ("?page=3", ROWS[20:], True, False),
    ],
)
def test_pages(app, query, items, has_prev, has_next):
    with app.test_request_context("/" + query):
        page = paginate(len(ROWS), 10, fetch)
    assert list(page.items) == items
    assert page.pages == 3
    assert (page.has_prev, page.has_next) == (has_prev, has_next)
    assert (page.prev_num, page.next_num) == (page.number - 1, page.number + 1)


def test_an_empty_list_has_one_page(app):
    with app.test_request_context("/"):
        page = paginate(0, 10, lambda limit, offset: [])
    assert page.pages == 1
    assert list(page.items) == []
    assert not page.has_next


@pytest.mark.parametrize(
    "raw",
    [
        "0",
        "-1",
        "abc",
        "1.5",
        "01",
        " 1",
        "9999999999",
        "99999999999999999999999",
        "",
    ],
)
def test_invalid_page_numbers_are_404(app, raw):
    with (
        app.test_request_context("/", query_string={"page": raw}),
        pytest.raises(NotFound),
    ):
        page_number()


def test_page_past_the_end_is_404_without_querying(app):
    def must_not_fetch(limit, offset):
        raise AssertionError("fetched a page that does not exist")

    with app.test_request_context("/?page=4"), pytest.raises(NotFound):
        paginate(len(ROWS), 10, must_not_fetch)


def test_pagination_macro_links(app):
    template = (
        '{% import "showcase/macros.html" as ui %}'
        '{{ ui.pagination(page, "listing", q="x") }}'
    )
    app.add_url_rule("/list", "listing")
    with app.test_request_context("/list"):
        middle = render_template_string(template, page=Page([], 2, 10, 23))
        single = render_template_string(template, page=Page([], 1, 10, 5))
    assert '<nav class="pagination" aria-label="Pages">' in middle
    assert 'rel="prev" href="/list?page=1&amp;q=x"' in middle
    assert 'rel="next" href="/list?page=3&amp;q=x"' in middle
    assert "Page 2 of 3" in middle
    assert "pagination" not in single

"""Keyset pagination of the timelines: Older and Newer links by position.

No page counts rows or skips them with OFFSET (the SQL is traced), old
``?page=N`` links lead to the newest messages, and a position that minitwit
did not write is a 400, never a 500.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta, timezone

import pytest
import test_timeline
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

# busy_site is a fixture: importing it makes it one here too.
from test_timeline import busy_site, query_plan  # noqa: F401

from minitwit import timeline
from minitwit.extensions import db
from minitwit.models import Message, User
from minitwit.pagination import Position
from showcase.testing import submit_form

pytestmark = pytest.mark.step(2)

START = datetime(2026, 2, 1, tzinfo=timezone.utc)


def add_user(app, username):
    """Make an account straight in the database (no sign-up form)."""
    with app.app_context():
        db.session.add(
            User(
                username=username,
                email=f"{username}@example.com",
                pw_hash="!",  # no password logs in
                session_token=secrets.token_hex(16),
            )
        )
        db.session.commit()


def insert_messages(app, username, n, step=timedelta(minutes=1), start=START):
    """Give ``username`` ``n`` messages, ``step`` apart, numbered from 1."""
    with app.app_context():
        author = db.session.scalar(
            select(User).where(User.username == username)
        )
        db.session.add_all(
            Message(
                author=author,
                text=f"{username} {i}.",
                pub_date=start + step * i,
            )
            for i in range(1, n + 1)
        )
        db.session.commit()


def shown(response):
    """The texts of the messages on a page, top to bottom."""
    html = response.get_data(as_text=True)
    return re.findall(r'<p class="body">([^<]*)</p>', html)


def link(response, rel):
    """The href of the page's ``rel`` link ("next" is Older), or None."""
    html = response.get_data(as_text=True)
    match = re.search(rf'<a rel="{rel}" href="([^"]*)"', html)
    return match and match.group(1).replace("&amp;", "&")


def numbered(username, *numbers):
    """The texts of ``username``'s messages with these numbers."""
    return [f"{username} {i}." for i in numbers]


@pytest.mark.step(6)
@pytest.mark.parametrize("url", ["/", "/public", "/foo"])
def test_older_and_newer_links_walk_the_timeline(app, client, auth, url):
    app.config["PER_PAGE"] = 5
    auth.signup("foo")
    insert_messages(app, "foo", 12)
    first = client.get(url)
    assert shown(first) == numbered("foo", 12, 11, 10, 9, 8)
    assert link(first, "prev") is None
    second = client.get(link(first, "next"))
    assert shown(second) == numbered("foo", 7, 6, 5, 4, 3)
    assert "before=2026-02-01T00:08:00.000000Z." in link(first, "next")
    last = client.get(link(second, "next"))
    assert shown(last) == numbered("foo", 2, 1)
    assert link(last, "next") is None
    back = client.get(link(last, "prev"))
    assert shown(back) == shown(second)
    assert link(back, "next") == link(second, "next")
    # Newer than the second page are the newest messages: the first page.
    response = client.get(link(back, "prev"))
    assert response.status_code == 302
    assert response.location == url


@pytest.mark.step(6)
def test_per_page_default_is_30(app, client, auth):
    assert app.config["PER_PAGE"] == 30
    auth.signup("foo")
    insert_messages(app, "foo", 31)
    first = client.get("/public")
    assert len(shown(first)) == 30 and "foo 1." not in shown(first)
    assert shown(client.get(link(first, "next"))) == ["foo 1."]


def test_empty_timeline(client):
    response = client.get("/public")
    assert b"There are no messages here yet." in response.data
    assert link(response, "next") is None


@pytest.mark.step(6)
def test_user_page_links_keep_the_username(app, client, auth):
    app.config["PER_PAGE"] = 1
    auth.signup("foo")
    insert_messages(app, "foo", 2)
    assert link(client.get("/foo"), "next").startswith("/foo?before=")


@pytest.mark.step(6)
def test_messages_of_the_same_instant_are_each_shown_once(app, client, auth):
    app.config["PER_PAGE"] = 3
    auth.signup("foo")
    add_user(app, "bar")
    insert_messages(app, "foo", 4, step=timedelta(0))
    insert_messages(app, "bar", 4, step=timedelta(0))
    seen, url = [], "/public"
    while url:
        response = client.get(url)
        seen += shown(response)
        url = link(response, "next")
    assert sorted(seen) == sorted(
        numbered("foo", 1, 2, 3, 4) + numbered("bar", 1, 2, 3, 4)
    )


@pytest.mark.step(7)
def test_home_merges_the_authors_in_date_order(app, client, auth):
    app.config["PER_PAGE"] = 4
    names = ["a1", "a2", "a3", "a4"]
    for offset, name in enumerate(names):
        add_user(app, name)
        # Each author posts a minute after the one before, in turns.
        insert_messages(
            app,
            name,
            3,
            step=timedelta(minutes=4),
            start=START + timedelta(minutes=offset),
        )
    auth.signup("reader")
    for name in names:
        submit_form(client, f"/{name}/follow", form_url=f"/{name}")
    expected = [f"{name} {i}." for i in (3, 2, 1) for name in names[::-1]]
    seen, url = [], "/"
    while url:
        response = client.get(url)
        seen += shown(response)
        url = link(response, "next")
    assert seen == expected


@pytest.mark.step(6)
@pytest.mark.parametrize("url", ["/", "/public", "/foo"])
@pytest.mark.parametrize("page", ["1", "3", "0", "abc", ""])
def test_old_page_numbers_lead_to_the_newest_messages(
    app, client, auth, url, page
):
    auth.signup("foo")
    response = client.get(f"{url}?page={page}")
    assert response.status_code == 301
    assert response.location == url


@pytest.mark.step(6)
@pytest.mark.parametrize(
    "position",
    [
        "",
        "abc",
        ".1",
        "2026-02-01T00:01:00.000000Z.",
        "2026-02-01T00:01:00Z.1",  # no microseconds
        "2026-02-01T00:01:00.000000+00:00.1",
        "2026-02-01 00:01:00.000000Z.1",
        "2026-02-01T00:01:00.0000001Z.1",
        "2026-13-01T00:01:00.000000Z.1",
        "2026-02-30T00:01:00.000000Z.1",
        "26-02-01T00:01:00.000000Z.1",
        "2026-02-01T00:01:00.000000Z.-1",
        "2026-02-01T00:01:00.000000Z.+1",
        "2026-02-01T00:01:00.000000Z.01",
        "2026-02-01T00:01:00.000000Z.1234567890123456789",
        "2026-02-01T00:01:00.000000Z.\u0663",
        "2026-02-01T00:01:00.000000Z.1\x00",
        "x" * 5000,
    ],
)
@pytest.mark.parametrize("direction", ["before", "after"])
def test_positions_minitwit_did_not_write_are_400(
    client, auth, position, direction
):
    auth.signup("foo")
    for url in ("/", "/public", "/foo"):
        response = client.get(url, query_string={direction: position})
        assert response.status_code == 400, (url, position)
        assert b"not a position in this timeline" in response.data


@pytest.mark.step(6)
def test_before_and_after_together_is_400(client, auth):
    auth.signup("foo")
    position = "2026-02-01T00:01:00.000000Z.1"
    response = client.get(f"/public?before={position}&after={position}")
    assert response.status_code == 400


@pytest.mark.step(6)
def test_nothing_older_is_404(app, client, auth):
    auth.signup("foo")
    insert_messages(app, "foo", 1)
    response = client.get("/foo?before=2000-01-01T00:00:00.000000Z.1")
    assert response.status_code == 404
    assert b"no older messages" in response.data


@pytest.mark.step(6)
def test_a_position_past_the_newest_shows_the_newest(app, client, auth):
    app.config["PER_PAGE"] = 2
    auth.signup("foo")
    insert_messages(app, "foo", 3)
    response = client.get("/public?before=9999-12-31T23:59:59.999999Z.9")
    assert shown(response) == numbered("foo", 3, 2)
    assert link(response, "prev") is None


@pytest.mark.parametrize(
    "date",
    [
        datetime(2026, 2, 1, 10, 5, 7, 120),
        datetime(2026, 2, 1, 11, 5, 7, 120, timezone(timedelta(hours=1))),
    ],
)
def test_a_position_is_written_in_utc(date):
    """SQLite gives back naive UTC datetimes, PostgreSQL aware ones."""
    assert str(Position(date, 42)) == "2026-02-01T10:05:07.000120Z.42"


# --- no page counts or skips rows --------------------------------------------


def statements_of(app, client, url):
    """Every SQL statement that ``GET url`` runs, as PostgreSQL's SQL.

    SQLAlchemy writes ``LIMIT ? OFFSET ?`` with an offset of 0 for SQLite;
    for PostgreSQL it writes OFFSET only where a query has one.
    """
    recorded = test_timeline.recorded_statements(app, client, url)
    return [
        str(context.compiled.statement.compile(dialect=postgresql.dialect()))
        for _, _, context in recorded
    ]


@pytest.mark.step(7)
@pytest.mark.parametrize("url", ["/", "/public", "/bar"])
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_no_page_counts_or_skips_rows(app, client, auth, url, where):
    app.config["PER_PAGE"] = 2
    add_user(app, "bar")
    insert_messages(app, "bar", 6)
    auth.signup("foo")
    submit_form(client, "/bar/follow", form_url="/bar")
    if where != "first":
        url = link(client.get(url), "next")
    if where == "last":
        url = link(client.get(url), "next")
    statements = statements_of(app, client, url)
    assert any("message" in statement for statement in statements)
    for statement in statements:
        assert not re.search(r"\b(COUNT|OFFSET)\b", statement, re.I), statement


@pytest.mark.step(7)
@pytest.mark.parametrize("url", ["/", "/public", "/bar"])
def test_more_messages_cost_no_more_queries(app, client, auth, url):
    """Authors come with their messages: no query per message shown."""
    add_user(app, "bar")
    insert_messages(app, "bar", 1)
    auth.signup("foo")
    submit_form(client, "/bar/follow", form_url="/bar")
    one = statements_of(app, client, url)
    later = START + timedelta(days=1)
    insert_messages(app, "bar", 5, start=later)
    for name in ("baz", "qux"):  # and on "/" and "/public", more authors
        add_user(app, name)
        insert_messages(app, name, 2, start=later)
        submit_form(client, f"/{name}/follow", form_url=f"/{name}")
    assert len(statements_of(app, client, url)) == len(one)


@pytest.mark.step(7)
def test_a_user_page_reads_the_account_once(app, client, auth):
    """The messages' author is the account the page shows, already read."""
    add_user(app, "bar")
    insert_messages(app, "bar", 3)
    statements = statements_of(app, client, "/bar")
    accounts = [s for s in statements if "account" in s]
    assert len(accounts) == 1, statements
    assert len(statements) == 2, statements  # the account, the messages


def home_plans(app, client):
    """The plans of the home page's two queries: step 1, then step 2."""
    statements = test_timeline.statements_of(app, client, "/")
    home = [s for s in statements if "home_author" in s[0]]
    assert len(home) == 2, statements
    return [query_plan(app, *statement) for statement in home]


def index_reads(plan):
    """The steps of ``plan`` that read the (author, date, id) index."""
    return [
        number
        for number, step in enumerate(plan)
        if "ix_message_author_id_pub_date" in step
    ]


@pytest.mark.step(7)
def test_the_home_timeline_reads_one_index_range_per_author(
    app,
    busy_site,  # noqa: F811 (the fixture imported above)
):
    """Two steps, each one short read of one index per author.

    Step 1 reads each author's newest message: one row (``LIMIT 1``).
    Its farthest kept message bounds step 2, which reads each author's
    range down to that bound, ``PER_PAGE + 1`` rows at most. Each is run
    once per author: a correlated subquery on SQLite, a LATERAL join on
    PostgreSQL.
    """
    app.config["PER_PAGE"] = 1  # two authors: step 1 finds a bound
    heads, page = home_plans(app, busy_site)
    for plan in (heads, page):
        assert len(index_reads(plan)) == 1, plan
        assert not any("Seq Scan" in step for step in plan), plan
        whole = re.compile(r"SCAN (message|head|shown)\b")  # every row
        assert not any(whole.match(step) for step in plan), plan
    (head,) = index_reads(heads)
    (number,) = index_reads(page)
    if heads[0].startswith("Limit"):  # PostgreSQL
        for plan, read in ((heads, head), (page, number)):
            assert "Index Only Scan" in plan[read], plan
            # One row per author in step 1, PER_PAGE + 1 at most in step 2.
            assert "Limit" in plan[read - 1], plan
            assert any("Nested Loop" in step for step in plan), plan
        # The bound is part of the index search: ROW(pub_date, id) >= ...
        assert ">=" in page[number + 1], page
    else:
        assert heads[head].startswith("SEARCH"), heads
        assert any("CORRELATED SCALAR SUBQUERY" in s for s in heads), heads
        assert page[number].startswith("SEARCH"), page
        assert any("CORRELATED LIST SUBQUERY" in s for s in page), page
        # The bound is part of the index search.
        assert "pub_date>?" in page[number], page


@pytest.mark.step(7)
def test_without_a_bound_each_author_reads_a_page_at_most(
    app,
    busy_site,  # noqa: F811 (the fixture imported above)
):
    """Fewer authors than a page: no bound, PER_PAGE + 1 rows each."""
    _, page = home_plans(app, busy_site)
    (number,) = index_reads(page)
    if page[0].startswith("Limit"):  # PostgreSQL
        assert "Limit" in page[number - 1], page
        assert ">=" not in page[number + 1], page
    else:
        assert page[number].endswith("(author_id=?)"), page


def walk(client, url, rel):
    """Every page from ``url`` on, following the ``rel`` links.

    Returns the texts of each page and the last response: a redirect to
    the first page once "Newer" reaches it.
    """
    pages = []
    while True:
        response = client.get(url)
        if response.status_code != 200:
            return pages, response
        pages.append(shown(response))
        url = link(response, rel)
        if url is None:
            return pages, response


@pytest.mark.step(7)
@pytest.mark.parametrize("per_page", [1, 2, 3, 5, 40])
def test_home_pages_with_a_busy_author_and_quiet_ones(
    app, client, auth, per_page
):
    """One author posts in bursts, the others now and then.

    Walking older, then newer, shows every message once, in order, with
    any page size: the bound of step 1 never cuts a page short.
    """
    names = ["busy", "q1", "q2", "q3"]
    for number, name in enumerate(names):
        add_user(app, name)
        insert_messages(
            app,
            name,
            3,
            step=timedelta(hours=1),
            start=START + timedelta(minutes=number),
        )
    insert_messages(
        app,
        "busy",
        12,
        step=timedelta(seconds=1),
        start=START + timedelta(hours=2, minutes=30),
    )
    auth.signup("reader")
    for name in names:
        submit_form(client, f"/{name}/follow", form_url=f"/{name}")
    app.config["PER_PAGE"] = per_page
    with app.app_context():
        expected = list(
            db.session.scalars(
                select(Message.text).order_by(
                    Message.pub_date.desc(), Message.id.desc()
                )
            )
        )
    older, end = walk(client, "/", "next")
    assert [text for page in older for text in page] == expected
    assert all(len(page) == per_page for page in older[:-1])
    last = link(end, "prev") if len(older) > 1 else None
    if last is not None:
        newer, end = walk(client, last, "prev")
        assert newer == older[-2:0:-1]  # back to the second page
        assert end.status_code == 302 and end.location == "/"


@pytest.mark.step(7)
@pytest.mark.parametrize("lateral", [True, False])
def test_the_home_queries_are_written_for_either_engine(app, lateral):
    """Each run covers both forms; the tests above run the engine's own."""
    dialect = postgresql.dialect() if lateral else sqlite.dialect()
    with app.app_context():
        heads = timeline.next_of_each(1, None, False, 31, lateral)
        page = timeline.newest_of_each(1, None, None, False, 31, lateral)
        for query in (heads, page):
            sql = str(query.compile(dialect=dialect))
            assert ("LATERAL" in sql) == lateral
    assert ("IN (SELECT message.id" in sql) != lateral

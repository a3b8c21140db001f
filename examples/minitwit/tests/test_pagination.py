"""Keyset pagination of the timelines: Older and Newer links by position.

No page counts rows or skips them with OFFSET (the SQL is traced), old
``?page=N`` links lead to the newest messages, and a position that minitwit
did not write is a 400, never a 500.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
import test_timeline
from conftest import sql
from html_page import Page
from postgres import ENGINE
from sqlalchemy import select
from sqlalchemy.dialects import postgresql

# busy_site is a fixture: importing it makes it one here too.
from test_timeline import add_user, busy_site, query_plan  # noqa: F401

from minitwit.models import Message, User, db
from showcase.testing import submit_form

pytestmark = pytest.mark.step(3)

START = datetime(2026, 2, 1, tzinfo=timezone.utc)
#: The home page, for a reader who logs in; and who follows others.
AT_HOME = pytest.param("/", marks=pytest.mark.step(8))
FOLLOWING = pytest.param("/", marks=pytest.mark.step(13))


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
    """The texts of the messages on a page (``foo 1.``), top to bottom."""
    texts = Page(response.text).texts
    return [text for text in texts if re.fullmatch(r"\w+ \d+\.", text)]


def link(response, rel):
    """The href of the page's ``rel`` link ("next" is Older), or None."""
    return Page(response.text).link(rel)


def numbered(username, *numbers):
    """The texts of ``username``'s messages with these numbers."""
    return [f"{username} {i}." for i in numbers]


@pytest.mark.step(4)
@pytest.mark.parametrize("url", [AT_HOME, "/public", "/foo"])
def test_older_and_newer_links_walk_the_timeline(app, client, auth, url):
    app.config["PER_PAGE"] = 5
    if url == "/":  # foo reads their own messages at home
        auth.signup("foo")
    else:
        add_user(app, "foo")
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
    assert response.location == url


@pytest.mark.step(4)
def test_per_page_default_is_30(app, client):
    assert app.config["PER_PAGE"] == 30
    add_user(app, "foo")
    insert_messages(app, "foo", 31)
    first = client.get("/public")
    assert len(shown(first)) == 30 and "foo 1." not in shown(first)
    assert shown(client.get(link(first, "next"))) == ["foo 1."]


def test_empty_timeline(client):
    response = client.get("/public")
    assert b"There are no messages here yet." in response.data
    assert link(response, "next") is None


@pytest.mark.step(4)
def test_user_page_links_keep_the_username(app, client):
    app.config["PER_PAGE"] = 1
    add_user(app, "foo")
    insert_messages(app, "foo", 2)
    assert link(client.get("/foo"), "next").startswith("/foo?before=")


@pytest.mark.step(4)
def test_messages_of_the_same_instant_are_each_shown_once(app, client):
    app.config["PER_PAGE"] = 3
    add_user(app, "foo")
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


@pytest.mark.step(13)
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


@pytest.mark.step(4)
@pytest.mark.parametrize("url", [AT_HOME, "/public", "/foo"])
@pytest.mark.parametrize("page", ["1", "3", "0", "abc", ""])
def test_old_page_numbers_lead_to_the_newest_messages(
    app, client, auth, url, page
):
    if url == "/":
        auth.signup("foo")
    else:
        add_user(app, "foo")
    response = client.get(f"{url}?page={page}")
    assert response.status_code == 301
    assert response.location == url


#: Positions minitwit never writes in a link.
NOT_POSITIONS = [
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
]


@pytest.mark.step(8)
def test_positions_minitwit_did_not_write_are_400(client, auth):
    auth.signup("foo")
    for position in NOT_POSITIONS:
        for direction in ("before", "after"):
            for url in ("/", "/public", "/foo"):
                response = client.get(url, query_string={direction: position})
                assert response.status_code == 400, (url, position)
                assert b"not a position in this timeline" in response.data


@pytest.mark.step(4)
def test_before_and_after_together_is_400(client):
    position = "2026-02-01T00:01:00.000000Z.1"
    response = client.get(f"/public?before={position}&after={position}")
    assert response.status_code == 400


@pytest.mark.step(4)
def test_nothing_older_is_404(app, client):
    add_user(app, "foo")
    insert_messages(app, "foo", 1)
    response = client.get("/foo?before=2000-01-01T00:00:00.000000Z.1")
    assert response.status_code == 404
    assert b"no older messages" in response.data


@pytest.mark.step(4)
def test_a_position_past_the_newest_shows_the_newest(app, client):
    app.config["PER_PAGE"] = 2
    add_user(app, "foo")
    insert_messages(app, "foo", 3)
    response = client.get("/public?before=9999-12-31T23:59:59.999999Z.9")
    assert shown(response) == numbered("foo", 3, 2)
    # Nothing is newer: "Newer" leads back to the first page.
    assert client.get(link(response, "prev")).location == "/public"


@pytest.mark.step(4)
def test_positions_are_written_in_utc(app, client):
    """Links give UTC dates, whatever the database server's time zone."""
    app.config["PER_PAGE"] = 1
    add_user(app, "foo")
    insert_messages(app, "foo", 2, start=datetime(2026, 2, 1, 10, 4, 7, 120))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            sql(app, "ALTER ROLE CURRENT_USER SET timezone = 'Asia/Tokyo'")
            db.engine.dispose()  # new connections, in Tokyo's time
    try:
        older = link(client.get("/public"), "next")
    finally:
        sql(
            app,
            "SELECT 1"
            if ENGINE == "sqlite"
            else "ALTER ROLE CURRENT_USER RESET timezone",
        )
    assert "before=2026-02-01T10:06:07.000120Z." in older


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


@pytest.mark.step(4)
@pytest.mark.parametrize("url", [FOLLOWING, "/public", "/bar"])
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_no_page_counts_or_skips_rows(app, client, auth, url, where):
    app.config["PER_PAGE"] = 2
    add_user(app, "bar")
    insert_messages(app, "bar", 6)
    if url == "/":  # foo reads bar's messages at home
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


@pytest.mark.step(4)
@pytest.mark.parametrize("url", [FOLLOWING, "/public", "/bar"])
def test_more_messages_cost_no_more_queries(app, client, auth, url):
    """Authors come with their messages: no query per message shown."""
    add_user(app, "bar")
    insert_messages(app, "bar", 1)
    if url == "/":  # foo reads bar's messages at home
        auth.signup("foo")
        submit_form(client, "/bar/follow", form_url="/bar")
    one = statements_of(app, client, url)
    later = START + timedelta(days=1)
    insert_messages(app, "bar", 5, start=later)
    for name in ("baz", "qux"):  # and on "/" and "/public", more authors
        add_user(app, name)
        insert_messages(app, name, 2, start=later)
        if url == "/":
            submit_form(client, f"/{name}/follow", form_url=f"/{name}")
    assert len(statements_of(app, client, url)) == len(one)


def test_a_user_page_runs_two_queries(app, client, auth):
    """The account, then its page of messages with their author."""
    add_user(app, "bar")
    insert_messages(app, "bar", 3)
    assert len(statements_of(app, client, "/bar")) == 2


def home_plan(app, client):
    """The plan of the home page's query (the one that reads messages)."""
    statements = test_timeline.statements_of(app, client, "/")
    (home,) = [s for s in statements if "author" in s[0].split()[1]]
    return query_plan(app, *home)


@pytest.mark.step(13)
@pytest.mark.slow
@pytest.mark.parametrize(
    "url", ["/", "/?before=2100-01-01T00:00:00.000000Z.1"]
)
def test_the_home_timeline_reads_each_author_in_one_index_range(
    app,
    busy_site,  # noqa: F811 (the fixture imported above)
    url,
):
    """Each author's messages: one range of the (author, date) index.

    The range ends at the farthest of the author's next page, found in the
    same index (a correlated subquery, once per author): no page reads
    more than a page of each author, however many messages they wrote.
    """
    insert_messages(app, "bar", 500)  # so that a plan reads as at scale
    statements = test_timeline.statements_of(app, busy_site, url)
    (home,) = [s for s in statements if s[0].lstrip().startswith("WITH")]
    plan = query_plan(app, *home)
    reads = [step for step in plan if "ix_message_author_id_pub_date" in step]
    assert len(reads) == 2, plan  # the range, and the next page
    assert not any("Seq Scan" in step for step in plan), plan
    assert not any(re.match(r"SCAN (message|account)\b", s) for s in plan)
    if plan[0].startswith("Limit"):  # PostgreSQL
        _, next_page = reads
        assert "Index Only Scan" in next_page, plan
        assert any("pub_date >= (SubPlan" in step for step in plan), plan
        assert any("Nested Loop" in step for step in plan), plan
    else:
        assert all(step.startswith("SEARCH") for step in reads), plan
        assert any("CORRELATED SCALAR SUBQUERY" in s for s in plan), plan
        assert "pub_date>?" in reads[0], plan  # the range has its end


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


@pytest.mark.step(13)
@pytest.mark.parametrize("per_page", [1, 2, 3, 5, 40])
def test_home_pages_with_a_busy_author_and_quiet_ones(
    app, client, auth, per_page
):
    """One author posts in bursts, the others now and then.

    Walking older, then newer, shows every message once, in order, with
    any page size: where an author's range ends never cuts a page short.
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
        assert end.location == "/"

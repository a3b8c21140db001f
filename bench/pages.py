"""Which pages the bench times, and how it finds their URLs and their SQL.

Every timeline is measured at its first page, a page in the middle and its
last page. The bench does not know how an app paginates: it reads the
"Older" link (``rel="next"``) of the first page, which the app wrote for the
last row shown there. A ``?page=2`` link is followed by page numbers; a
cursor (such as ``?before=<time>.<id>``) is rewritten for the row that ends
the page before the wanted one. Each page is then checked: its own "Older"
link must be the one the bench would build for the next page, and the last
page has none; on minitwit, whose data holds hidden messages, it must show
none of them and be full (``PER_PAGE`` messages, the last page what is
left). So the figures are those of the pages a reader reaches.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Flask
from flask.testing import FlaskClient

from bench import build, data

#: Every request goes over HTTPS, as in production: secure cookies work.
BASE_URL = "https://localhost"


@dataclass(frozen=True)
class Timeline:
    """One list of rows an app shows a page at a time."""

    app: str
    name: str
    path: str
    #: The rows of this timeline in the app's order: (id, time) pairs.
    order_sql: str
    params: tuple[int, ...] = ()
    #: Logged in as this user id (minitwit), or anonymous.
    login: int | None = None
    #: The minitwit 0.12 timeline to compare with, if any.
    classic: str | None = None
    #: minitwit's JSON API: the next page is the body's ``next``, and the
    #: user is signed in with a bearer token, not a cookie.
    api: bool = False
    #: The app hides messages (minitwit): ``order_sql`` reads the shown ones.
    hides: bool = True


#: The home timeline's rows of ``user``: their own and those they follow.
HOME_SQL = (
    "SELECT id, pub_date FROM message WHERE hidden IS NULL AND (author_id = ?"
    " OR author_id IN (SELECT whom_id FROM follower WHERE who_id = ?))"
    " ORDER BY pub_date DESC, id DESC"
)
#: Everyone's shown messages.
PUBLIC_SQL = (
    "SELECT id, pub_date FROM message WHERE hidden IS NULL"
    " ORDER BY pub_date DESC, id DESC"
)
TOP, SILENT = data.TOP_FOLLOWER, data.SILENT_FOLLOWER
AUTHOR = data.PROLIFIC_AUTHOR
TIMELINES = [
    Timeline(
        "flaskr",
        "index",
        "/",
        "SELECT id, created FROM post ORDER BY created DESC, id DESC",
        hides=False,
    ),
    Timeline(
        "minitwit",
        "public",
        "/public",
        PUBLIC_SQL,
        classic="public",
    ),
    Timeline(
        "minitwit",
        "home top 200",
        "/",
        HOME_SQL,
        (TOP, TOP),
        login=TOP,
        classic="home",
    ),
    Timeline(
        "minitwit",
        "home silent 20",
        "/",
        HOME_SQL,
        (SILENT, SILENT),
        login=SILENT,
        classic="home",
    ),
    Timeline(
        "minitwit",
        f"user {data.username(AUTHOR)}",
        f"/{data.username(AUTHOR)}",
        "SELECT id, pub_date FROM message WHERE author_id = ?"
        " AND hidden IS NULL ORDER BY pub_date DESC, id DESC",
        (AUTHOR,),
        classic="user",
    ),
    Timeline(
        "minitwit",
        "API public",
        "/api/v1/messages",
        PUBLIC_SQL,
        classic="public",
        api=True,
    ),
    Timeline(
        "minitwit",
        "API home top 200",
        "/api/v1/timeline",
        HOME_SQL,
        (TOP, TOP),
        login=TOP,
        classic="home",
        api=True,
    ),
]


class CursorError(Exception):
    """The app's "Older" link is in a form the bench cannot rewrite."""


class NextLink(HTMLParser):
    """Find the href of the ``<a rel="next">`` link of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.href: str | None = None

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        """Remember the first link whose rel says "next"."""
        values = dict(attrs)
        if tag == "a" and "next" in (values.get("rel") or "").split():
            self.href = self.href or values.get("href")


def next_link(html: str) -> str | None:
    """The page's "Older" link, or ``None`` on the last page."""
    parser = NextLink()
    parser.feed(html)
    return parser.href


def next_of(timeline: Timeline, text: str) -> str | None:
    """The link to the page after this one (HTML or the API's JSON)."""
    if timeline.api:
        found = json.loads(text)["next"]
        return str(found) if found else None
    return next_link(text)


def time_forms(stored: Any) -> list[Callable[[Any], str]]:
    """Ways an app may write a stored time in a link, most precise first."""

    def parsed(value: Any) -> datetime:
        text = str(value).replace("Z", "+00:00")
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc)

    return [
        str,
        lambda v: parsed(v).isoformat(),
        lambda v: parsed(v).replace(tzinfo=None).isoformat(),
        lambda v: parsed(v).isoformat().replace("+00:00", "Z"),
        lambda v: parsed(v).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        lambda v: parsed(v).strftime("%Y-%m-%dT%H:%M:%SZ"),
        lambda v: str(parsed(v).timestamp()),
        lambda v: str(int(parsed(v).timestamp())),
    ]


def rewrite_cursor(
    link: str, anchor: tuple[int, Any], target: tuple[int, Any]
) -> str:
    """Rewrite ``link``, written for row ``anchor``, for row ``target``."""
    parts = urlsplit(link)
    query = []
    found = False
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        number = rf"(?<![0-9]){anchor[0]}(?![0-9])"
        # The longest way of writing the anchor's time found in the value.
        written = {}
        for form in time_forms(anchor[1]):
            try:
                written[form(anchor[1])] = form
            except ValueError:
                continue
        found_forms = [text for text in written if text in value]
        if found_forms:
            text = max(found_forms, key=len)
            value = value.replace(text, written[text](target[1]))
        value, ids = re.subn(number, str(target[0]), value)
        found = found or ids > 0
        query.append((key, value))
    if not found:
        raise CursorError(f"no row id {anchor[0]} in the link {link}")
    return urlunsplit(parts._replace(query=urlencode(query)))


def with_page(link: str, number: int) -> str:
    """``link`` with ``?page=`` set to ``number``."""
    parts = urlsplit(link)
    query = [
        (key, str(number) if key == "page" else value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


@dataclass
class Pages:
    """The URLs of one timeline's pages, on one database."""

    timeline: Timeline
    rows: sqlite3.Connection
    per_page: int
    count: int
    #: The first page's "Older" link, or None if there is one page.
    second: str | None

    @property
    def last(self) -> int:
        """The number of the last page."""
        return max(1, -(-self.count // self.per_page))

    def row(self, index: int) -> tuple[int, Any]:
        """The (id, time) of the row at ``index`` in the timeline's order."""
        sql = self.timeline.order_sql + " LIMIT 1 OFFSET ?"
        found = self.rows.execute(sql, (*self.timeline.params, index))
        id, time = found.fetchone()
        return id, time

    def url(self, number: int) -> str:
        """The URL of page ``number``, as a reader would reach it."""
        if number == 1 or self.second is None:
            return self.timeline.path
        query = dict(parse_qsl(urlsplit(self.second).query))
        if query.get("page") == "2":
            return with_page(self.second, number)
        anchor = self.row(self.per_page - 1)
        target = self.row((number - 1) * self.per_page - 1)
        return rewrite_cursor(self.second, anchor, target)


def client_for(app: Flask, timeline: Timeline) -> FlaskClient:
    """A test client, logged in as the timeline's user if it has one."""
    client = app.test_client()
    if timeline.login is not None and timeline.api:
        # A bearer token of the user, as POST /api/v1/tokens gives one.
        from minitwit.models import User, db
        from minitwit.tokens import Token

        with app.app_context():
            secret, _ = Token.issue(db.session.get_one(User, timeline.login))
            db.session.commit()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    elif timeline.login is not None:
        # What Flask-Login keeps in the session after a login: the value
        # minitwit's own User.get_id() gives.
        from minitwit.models import User, db

        with app.app_context():
            user = db.session.get(User, timeline.login)
            assert user is not None
            user_id = user.get_id()
        with client.session_transaction(base_url=BASE_URL) as session:
            session["_user_id"] = user_id
            session["_fresh"] = True
    return client


def get(client: FlaskClient, url: str) -> str:
    """GET ``url``; the page (HTML or JSON), or an error unless the status
    is 200."""
    response = client.get(url, base_url=BASE_URL)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url}: {response.status}")
    return response.get_data(as_text=True)


def find_pages(
    app: Flask, timeline: Timeline, database: Path
) -> tuple[Pages, FlaskClient]:
    """Count the timeline's rows and read its first "Older" link."""
    rows = sqlite3.connect(database)
    # The bench's own constant SQL: no value from outside goes in.
    count_sql = f"SELECT count(*) FROM ({timeline.order_sql})"  # noqa: S608
    (count,) = rows.execute(count_sql, timeline.params).fetchone()
    key = "POSTS_PER_PAGE" if "POSTS_PER_PAGE" in app.config else "PER_PAGE"
    client = client_for(app, timeline)
    second = next_of(timeline, get(client, timeline.path))
    return Pages(timeline, rows, app.config[key], count, second), client


def check_page(pages: Pages, client: FlaskClient, number: int) -> str:
    """GET page ``number``; say what is wrong with its "Older" link, or with
    its messages (hidden ones shown, fewer than a page), if anything."""
    page = get(client, pages.url(number))
    if pages.timeline.hides:
        if data.HIDDEN_MARK in page:
            return "shows a hidden message"
        full = min(pages.per_page, pages.count - (number - 1) * pages.per_page)
        if (shown := data.count_texts(page)) != full:
            return f"shows {shown} messages, expected {full}"
    older = next_of(pages.timeline, page)
    if number == pages.last:
        return "" if older is None else f"has an Older link: {older}"
    expected = pages.url(number + 1)
    if older is None:
        return f"no Older link, expected {expected}"
    if parse_qsl(urlsplit(older).query) != parse_qsl(urlsplit(expected).query):
        return f"Older link {older}, expected {expected}"
    return ""


IGNORED = re.compile(r"\s*(PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)")


@contextlib.contextmanager
def recording_sql() -> Iterator[list[str]]:
    """Record the SQL of every SQLite connection opened in the block."""
    statements: list[str] = []
    connect = sqlite3.connect

    def recorded(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = connect(*args, **kwargs)
        connection.set_trace_callback(statements.append)
        return connection

    # flaskr calls sqlite3.connect; SQLAlchemy calls sqlite3.dbapi2.connect.
    sqlite3.connect = sqlite3.dbapi2.connect = recorded  # type: ignore[assignment]  # same call, traced
    try:
        yield statements
    finally:
        sqlite3.connect = sqlite3.dbapi2.connect = connect


#: A statement and its parameters, as the app's database driver got them.
Statement = tuple[str, Any]


def page_sql(timeline: Timeline, database: Path, url: str) -> list[Statement]:
    """The SQL one request for ``url`` runs, with its values written in."""
    with recording_sql() as statements:
        app = build.create_app(timeline.app, database)
        client = client_for(app, timeline)
        del statements[:]  # only the request's own
        get(client, url)
        build.close_connections(app)
    return [(sql, ()) for sql in statements if not IGNORED.match(sql)]


def engine_sql(app: Flask, client: FlaskClient, url: str) -> list[Statement]:
    """The SQL one request for ``url`` runs through the app's SQLAlchemy
    engine (minitwit, on any database), with its parameters."""
    from sqlalchemy import event

    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    statements: list[Statement] = []

    def record(connection, cursor, sql, parameters, context, many) -> None:
        """Keep a statement the driver is about to run."""
        statements.append((sql, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        get(client, url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return [(sql, p) for sql, p in statements if not IGNORED.match(sql)]


def has_count(statements: list[Statement]) -> bool:
    """Whether any of ``statements`` counts rows."""
    return any(
        re.search(r"\bcount\s*\(", sql, re.IGNORECASE) for sql, _ in statements
    )


def sqlite_plan(db: sqlite3.Connection, statements: list[Statement]) -> str:
    """SQLite's plan of each statement (EXPLAIN QUERY PLAN), as a tree."""
    text = []
    for sql, params in statements:
        text.append(sql.strip())
        depth = {0: 0}
        for id, parent, _, detail in db.execute(
            f"EXPLAIN QUERY PLAN {sql}", params
        ):
            depth[id] = depth.get(parent, 0) + 1
            text.append("  " * depth[id] + detail)
    return "\n".join(text)


def postgres_plan(db: Any, statements: list[Statement]) -> str:
    """PostgreSQL's plan of each statement, run (EXPLAIN ANALYZE)."""
    text = []
    for sql, params in statements:
        text.append(f"{sql.strip()}\n  -- {params}")
        rows = db.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        text.extend(f"  {line}" for (line,) in rows)
    return "\n".join(text)

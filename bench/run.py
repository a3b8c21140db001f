"""Time every page of every timeline on the databases of each size.

On SQLite first (flaskr, minitwit, and minitwit 0.12's queries beside it),
then, if a PostgreSQL server was started, minitwit again on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from bench import build, classic, pages, postgres
from bench.timing import median_ms_each

#: Issue 13's acceptance, kept by issue 18 on both engines: no page costs
#: more than twice as much at 1M messages as at 1k (in CPU time).
MAX_GROWTH = 2.0
SQLITE = "SQLite"


@dataclass
class Result:
    """The figures of one page of one timeline, at one size."""

    timeline: str
    which: str
    number: int
    last: int
    app_ms: float | None = None
    app_cpu_ms: float | None = None
    sql_ms: float | None = None
    queries: int = 0
    counts: bool = False
    classic_ms: float | None = None
    problem: str = ""
    #: The query plans of the page's SQL, when asked for or when it grew.
    plan: str = ""

    @property
    def speedup(self) -> float | None:
        """How many times faster the app is than the 0.12 query."""
        if self.classic_ms is None or not self.app_ms:
            return None
        return self.classic_ms / self.app_ms


def growth(first: Result, last: Result) -> float | None:
    """How many times more CPU time the page takes on the larger size."""
    if not first.app_cpu_ms or not last.app_cpu_ms:
        return None
    return last.app_cpu_ms / first.app_cpu_ms


def replay(db: Any, statements: list[pages.Statement]) -> None:
    """Run ``statements`` and read every row they return."""
    for sql, params in statements:
        db.execute(sql, params).fetchall()


#: The pages timed in every timeline.
WHICH = ("first", "deep", "last")


def page_number(which: str, last: int) -> int:
    """The page timed as "first", "deep" (the middle one) or "last"."""
    return {"first": 1, "deep": (last + 1) // 2, "last": last}[which]


@dataclass
class Size:
    """The databases of one size."""

    label: str
    about: str
    paths: dict[str, Path]
    #: minitwit's database on PostgreSQL, once loaded.
    url: str | None = None


@dataclass
class Opened:
    """One timeline on one size's database, ready to be timed."""

    timeline: pages.Timeline
    app: Flask
    client: FlaskClient
    pages: pages.Pages
    database: Path
    #: Where the page's SQL is replayed: the app's own database.
    raw: Any
    #: minitwit 0.12's database (SQLite only).
    old: sqlite3.Connection | None
    on_postgres: bool

    def close(self) -> None:
        """Close every connection."""
        build.close_connections(self.app)
        for db in (self.raw, self.old, self.pages.rows):
            if db is not None:
                db.close()


def open_timeline(timeline: pages.Timeline, size: Size) -> Opened:
    """Start the app on the timeline's database and find its pages.

    The pages' URLs come from the SQLite database, which holds the same
    rows as the PostgreSQL one.
    """
    database = size.paths[timeline.app]
    app = build.create_app(timeline.app, database, size.url)
    found, client = pages.find_pages(app, timeline, database)
    on_postgres = size.url is not None
    raw: Any
    old: sqlite3.Connection | None = None
    if size.url is not None:
        raw = postgres.connect(size.url)
    else:
        raw = sqlite3.connect(database)
        old = sqlite3.connect(size.paths["classic"])
    return Opened(
        timeline, app, client, found, database, raw, old, on_postgres
    )


@dataclass
class Page:
    """One page to time, with what it takes to time it."""

    result: Result
    app: Callable[[], object] | None = None
    sql: Callable[[], object] | None = None
    classic: Callable[[], object] | None = None
    statements: list[pages.Statement] = field(default_factory=list)


def prepare(opened: Opened, which: str) -> Page:
    """Find, check and trace one page; say what is wrong, if anything."""
    timeline, found = opened.timeline, opened.pages
    number = page_number(which, found.last)
    label = f"{timeline.app} {timeline.name}"
    page = Page(Result(label, which, number, found.last))
    try:
        url = found.url(number)
        page.result.problem = pages.check_page(found, opened.client, number)
    except (pages.CursorError, RuntimeError) as error:
        page.result.problem = str(error)
        return page
    page.app = partial(pages.get, opened.client, url)
    if opened.on_postgres:
        statements = pages.engine_sql(opened.app, opened.client, url)
    else:
        statements = pages.page_sql(timeline, opened.database, url)
    page.statements = statements
    page.result.queries = len(statements)
    page.result.counts = pages.has_count(statements)
    page.sql = partial(replay, opened.raw, statements)
    if timeline.classic is not None and opened.old is not None:
        user_id = timeline.params[0] if timeline.params else 0
        offset = (number - 1) * found.per_page
        sql, params = classic.query(
            timeline.classic, user_id, found.per_page, offset
        )
        page.classic = partial(replay, opened.old, [(sql, params)])
    return page


def time_pages(
    batch: list[Page], cpu_clock: Callable[[], float] = time.process_time
) -> None:
    """Time the same page on every size, the sizes taking turns."""
    timed = [
        (page.result, page.app, page.sql)
        for page in batch
        if page.app is not None and page.sql is not None
    ]
    apps = median_ms_each([app for _, app, _ in timed], cpu_clock)
    sqls = median_ms_each([sql for _, _, sql in timed])
    for (result, _, _), app, sql in zip(timed, apps, sqls, strict=True):
        result.app_ms, result.app_cpu_ms = app
        result.sql_ms = sql.wall
    old = [
        (page.result, page.classic)
        for page in batch
        if page.classic is not None
    ]
    olds = median_ms_each([call for _, call in old])
    for (result, _), timing in zip(old, olds, strict=True):
        result.classic_ms = timing.wall


def explain(opened: Opened, page: Page) -> str:
    """The query plans of a page's SQL, on its own database."""
    if opened.on_postgres:
        return pages.postgres_plan(opened.raw, page.statements)
    return pages.sqlite_plan(opened.raw, page.statements)


def describe(rows: int, paths: dict[str, Path]) -> str:
    """What the databases of one size hold."""
    with sqlite3.connect(paths["minitwit"]) as db:
        (users,) = db.execute("SELECT count(*) FROM account").fetchone()
        (follows,) = db.execute("SELECT count(*) FROM follower").fetchone()
    return f"{rows:,} messages, {users:,} users, {follows:,} follows"


#: The figures of one engine: (size's label, what it holds, results).
Tables = list[tuple[str, str, list[Result]]]


def time_engine(
    sizes: list[Size],
    server: postgres.Server | None = None,
    explain_all: bool = False,
) -> Tables:
    """Time every timeline on every size, on SQLite or on ``server``."""
    results: dict[str, list[Result]] = {size.label: [] for size in sizes}
    for timeline in pages.TIMELINES:
        if server is not None and timeline.app != "minitwit":
            continue
        name = f"{timeline.app} {timeline.name}"
        print(f"timing {name} ...", flush=True)
        try:
            opened = [open_timeline(timeline, size) for size in sizes]
        except (RuntimeError, KeyError) as error:  # not built, or not a 200
            problem = str(error)
            if isinstance(error, KeyError):
                problem = f"no {timeline.app} database (see above)"
            for size in sizes:
                results[size.label].extend(
                    Result(name, which, 0, 0, problem=problem)
                    for which in WHICH
                )
            continue
        for which in WHICH:
            batch = [prepare(one, which) for one in opened]
            clock = server.cpu_clock() if server else None
            time_pages(batch, clock or time.process_time)
            first, last = batch[0].result, batch[-1].result
            grown = growth(first, last)
            if explain_all or (
                len(batch) > 1 and grown is not None and grown > MAX_GROWTH
            ):
                last.plan = explain(opened[-1], batch[-1])
            for size, page in zip(sizes, batch, strict=True):
                results[size.label].append(page.result)
        for one in opened:
            one.close()
    return [(size.label, size.about, results[size.label]) for size in sizes]


def time_sizes(
    sizes: list[tuple[int, str]],
    server: postgres.Server | None = None,
    explain_all: bool = False,
) -> dict[str, Tables]:
    """Build (or reuse) every size's databases, then time every page.

    Returns the figures of each engine: SQLite's, then (if ``server`` is
    given) PostgreSQL's, minitwit only.
    """
    built = []
    for rows, label in sizes:
        paths = build.databases(rows, label)
        built.append(Size(label, describe(rows, paths), paths))
    engines = {SQLITE: time_engine(built, None, explain_all)}
    if server is not None:
        for size in built:
            source = size.paths["minitwit"]
            init_db = partial(build.init_db, "minitwit", source)
            size.url = postgres.load(server, size.label, source, init_db)
        engines[server.version] = time_engine(built, server, explain_all)
    return engines

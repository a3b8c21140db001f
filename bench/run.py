"""Time every page of every timeline on the databases of one size."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from bench import build, classic, pages
from bench.timing import median_ms_each


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

    @property
    def speedup(self) -> float | None:
        """How many times faster the app is than the 0.12 query."""
        if self.classic_ms is None or not self.app_ms:
            return None
        return self.classic_ms / self.app_ms


def replay(
    db: sqlite3.Connection, statements: list[str], params: Any = ()
) -> None:
    """Run ``statements`` and read every row they return."""
    for sql in statements:
        db.execute(sql, params).fetchall()


#: The pages timed in every timeline.
WHICH = ("first", "deep", "last")


def page_number(which: str, last: int) -> int:
    """The page timed as "first", "deep" (the middle one) or "last"."""
    return {"first": 1, "deep": (last + 1) // 2, "last": last}[which]


@dataclass
class Opened:
    """One timeline on one size's databases, ready to be timed."""

    timeline: pages.Timeline
    app: Flask
    client: FlaskClient
    pages: pages.Pages
    database: Path
    raw: sqlite3.Connection
    old: sqlite3.Connection

    def close(self) -> None:
        """Close every connection."""
        build.close_connections(self.app)
        for db in (self.raw, self.old, self.pages.rows):
            db.close()


def open_timeline(timeline: pages.Timeline, paths: dict[str, Path]) -> Opened:
    """Start the app on the timeline's database and find its pages."""
    database = paths[timeline.app]
    app = build.create_app(timeline.app, database)
    found, client = pages.find_pages(app, timeline, database)
    raw = sqlite3.connect(database)
    old = sqlite3.connect(paths["classic"])
    return Opened(timeline, app, client, found, database, raw, old)


@dataclass
class Page:
    """One page to time, with what it takes to time it."""

    result: Result
    app: Callable[[], object] | None = None
    sql: Callable[[], object] | None = None
    classic: Callable[[], object] | None = None


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
    statements = pages.page_sql(timeline, opened.database, url)
    page.result.queries = len(statements)
    page.result.counts = pages.has_count(statements)
    page.sql = partial(replay, opened.raw, statements)
    if timeline.classic is not None:
        user_id = timeline.params[0] if timeline.params else 0
        offset = (number - 1) * found.per_page
        sql, params = classic.query(
            timeline.classic, user_id, found.per_page, offset
        )
        page.classic = partial(replay, opened.old, [sql], params)
    return page


def time_pages(batch: list[Page]) -> None:
    """Time the same page on every size, the sizes taking turns."""
    timed = [
        (page.result, page.app, page.sql)
        for page in batch
        if page.app is not None and page.sql is not None
    ]
    apps = median_ms_each([app for _, app, _ in timed])
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


def describe(rows: int, paths: dict[str, Path]) -> str:
    """What the databases of one size hold."""
    with sqlite3.connect(paths["minitwit"]) as db:
        (users,) = db.execute("SELECT count(*) FROM account").fetchone()
        (follows,) = db.execute("SELECT count(*) FROM follower").fetchone()
    return f"{rows:,} messages, {users:,} users, {follows:,} follows"


def time_sizes(
    sizes: list[tuple[int, str]],
) -> list[tuple[str, str, list[Result]]]:
    """Build (or reuse) every size's databases, then time every page.

    Returns (label, what the databases hold, results) for each size.
    """
    built = []
    for rows, label in sizes:
        paths = build.databases(rows, label)
        built.append((label, describe(rows, paths), paths))
    results: dict[str, list[Result]] = {label: [] for label, _, _ in built}
    for timeline in pages.TIMELINES:
        print(f"timing {timeline.app} {timeline.name} ...", flush=True)
        try:
            opened = [open_timeline(timeline, paths) for _, _, paths in built]
        except RuntimeError as error:  # the first page is not a 200
            name = f"{timeline.app} {timeline.name}"
            for label, _, _ in built:
                results[label].extend(
                    Result(name, which, 0, 0, problem=str(error))
                    for which in WHICH
                )
            continue
        for which in WHICH:
            batch = [prepare(one, which) for one in opened]
            time_pages(batch)
            for (label, _, _), page in zip(built, batch, strict=True):
                results[label].append(page.result)
        for one in opened:
            one.close()
    return [(label, about, results[label]) for label, about, _ in built]

"""Time every page of every timeline on the databases of one size."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from bench import build, classic, pages
from bench.timing import median_ms


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


def page_numbers(last: int) -> list[tuple[str, int]]:
    """The pages timed: the first, the middle one and the last."""
    return [("first", 1), ("deep", (last + 1) // 2), ("last", last)]


def time_timeline(
    timeline: pages.Timeline, paths: dict[str, Path]
) -> list[Result]:
    """Time the first, a deep and the last page of ``timeline``."""
    database = paths[timeline.app]
    app = build.create_app(timeline.app, database)
    found, client = pages.find_pages(app, timeline, database)
    raw = sqlite3.connect(database)
    old = sqlite3.connect(paths["classic"])
    label = f"{timeline.app} {timeline.name}"
    results = []
    for which, number in page_numbers(found.last):
        result = Result(label, which, number, found.last)
        results.append(result)
        try:
            url = found.url(number)
            result.problem = pages.check_page(found, client, number)
        except (pages.CursorError, RuntimeError) as error:
            result.problem = str(error)
            continue
        result.app_ms, result.app_cpu_ms = median_ms(
            partial(pages.get, client, url)
        )
        statements = pages.page_sql(timeline, database, url)
        result.queries = len(statements)
        result.counts = pages.has_count(statements)
        result.sql_ms = median_ms(partial(replay, raw, statements)).wall
        if timeline.classic is not None:
            user_id = timeline.params[0] if timeline.params else 0
            sql, params = classic.query(
                timeline.classic,
                user_id,
                found.per_page,
                (number - 1) * found.per_page,
            )
            result.classic_ms = median_ms(
                partial(replay, old, [sql], params)
            ).wall
    build.close_connections(app)
    raw.close()
    old.close()
    found.rows.close()
    return results


def time_size(size: int, label: str) -> tuple[list[Result], str]:
    """Build (or reuse) the databases of ``size`` rows and time them all."""
    paths = build.databases(size, label)
    with sqlite3.connect(paths["minitwit"]) as db:
        (users,) = db.execute("SELECT count(*) FROM account").fetchone()
        (follows,) = db.execute("SELECT count(*) FROM follower").fetchone()
    about = f"{size:,} messages, {users:,} users, {follows:,} follows"
    results = []
    for timeline in pages.TIMELINES:
        results.extend(time_timeline(timeline, paths))
    return results, about

"""``python -m bench --self-check``: the bench's own logic, checked small.

Not a timed test: it checks that the bench reads sizes, makes the data it
claims (1 % of it hidden), finds and rewrites "Older" links, counts a
PostgreSQL server's CPU time, and measures the pages a reader reaches (no
hidden message shown, every page full), on databases of a few
thousand messages in a temporary folder, on SQLite and (if installed) on
a throwaway PostgreSQL server.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from bench import __main__ as cli
from bench import build, data, floor, pages, postgres, report, run, timing

CHECKS: list[Callable[[], None]] = []
#: The throwaway PostgreSQL server of the checks, or why there is none.
SERVER: postgres.Server | None = None
NO_SERVER = ""


def check(function: Callable[[], None]) -> Callable[[], None]:
    """Register a check."""
    CHECKS.append(function)
    return function


def same_link(a: str, b: str) -> bool:
    """Whether two links have the same path and query."""
    return (urlsplit(a).path, parse_qsl(urlsplit(a).query)) == (
        urlsplit(b).path,
        parse_qsl(urlsplit(b).query),
    )


@check
def sizes_are_read() -> None:
    """--sizes reads 1k, 100k and 1m, smallest first, and refuses junk."""
    assert cli.parse_sizes("1m,1k,100k") == [
        (1_000, "1k"),
        (100_000, "100k"),
        (1_000_000, "1M"),
    ]
    for junk in ("", "0k", "1g", "k"):
        try:
            cli.parse_sizes(junk)
        except Exception:  # noqa: S112 (refused, as it should be)
            continue
        raise AssertionError(f"accepted {junk!r}")


@check
def data_is_as_described() -> None:
    """Follows of 20 to 200, the two hard cases, prolific authors, a year."""
    dataset = data.make_dataset(20_000)
    following = Counter(who for who, _ in dataset.follows)
    assert len(following) == data.USERS
    assert min(following.values()) >= data.FOLLOWS_MIN
    assert max(following.values()) <= data.FOLLOWS_MAX
    assert len(set(dataset.follows)) == len(dataset.follows)
    assert all(who != whom for who, whom in dataset.follows)
    times = [when for _, when, _ in dataset.messages]
    assert times == sorted(times)
    assert times[0] >= data.END - data.YEAR and times[-1] < data.END
    authors = Counter(author for author, _, _ in dataset.messages)
    share = authors[data.PROLIFIC_AUTHOR] / len(dataset.messages)
    assert abs(share - data.PROLIFIC_SHARE) < 0.01, share
    assert authors[data.NO_MESSAGES] == 0
    # The top follower follows the 200 authors with the most messages.
    top = {w for who, w in dataset.follows if who == data.TOP_FOLLOWER}
    assert len(top) == data.FOLLOWS_MAX
    others = [n for user, n in authors.items() if user not in top]
    assert min(authors[user] for user in top) >= max(others)
    assert set(range(1, data.PROLIFIC + 1)) <= top
    # The silent follower follows 20 authors silent for the last 11 months,
    # who wrote as much as an ordinary author; and is silent too.
    silent = {w for who, w in dataset.follows if who == data.SILENT_FOLLOWER}
    assert silent == set(data.SILENT) and len(silent) == data.FOLLOWS_MIN
    ended = data.END - data.YEAR + data.FIRST_MONTH
    assert all(
        when < ended
        for author, when, _ in dataset.messages
        if author in silent or author == data.SILENT_FOLLOWER
    )
    ordinary = authors[data.USERS - 1]
    assert min(authors[user] for user in silent) > ordinary / 3, ordinary
    assert data.make_dataset(500) == data.make_dataset(500)  # seeded


@check
def one_message_in_a_hundred_is_hidden() -> None:
    """Every 200th message by a moderator, and a suspended spammer's burst
    of the last hour, whom the top follower follows: 1 % in all."""
    dataset = data.make_dataset(20_000)
    hidden = [
        data.hidden_because(author, text)
        for author, _, text in dataset.messages
    ]
    why = Counter(hidden)
    assert why["suspension"] == 20_000 * data.SPAM_SHARE, why
    assert abs(why["suspension"] + why["moderator"] - 200) <= 1, why
    spam = [m for m in dataset.messages if m[0] == data.SPAMMER]
    assert all(
        data.hidden_because(author, text) == "suspension"
        for author, _, text in spam
    )
    assert min(when for _, when, _ in spam) >= data.END - timedelta(hours=1)
    # Spread evenly: one in every run of MODERATED messages.
    for start in range(0, 19_000, data.MODERATED):
        run = hidden[start : start + data.MODERATED]
        assert run.count(None) < len(run), start
    top = {w for who, w in dataset.follows if who == data.TOP_FOLLOWER}
    assert data.SPAMMER in top
    # A hidden message's text starts with the mark; no shown one has it.
    for author, _, text in dataset.messages:
        reason = data.hidden_because(author, text)
        assert (reason is None) == (data.HIDDEN_MARK not in text), text
    # The texts a page shows are counted, in HTML or JSON.
    texts = [text for _, _, text in dataset.messages[:40]]
    html = "".join(f'<p class="body">{text}</p>\n' for text in texts)
    assert data.count_texts(html) == 40
    assert data.count_texts(json.dumps({"messages": texts[:7]})) == 7


@check
def older_links_are_found() -> None:
    """The rel="next" link is read, with its entities decoded; the API's
    next page is its body's ``next``."""
    html = (
        '<a rel="prev" href="/?x=1">N</a><a rel="next" href="/?a=1&amp;b=2">'
    )
    assert pages.next_link(html) == "/?a=1&b=2"
    assert pages.next_link("<a href='/'>x</a>") is None
    api = pages.Timeline("minitwit", "API", "/api", "", api=True)
    assert pages.next_of(api, '{"next": "/api?before=1"}') == "/api?before=1"
    assert pages.next_of(api, '{"messages": [], "next": null}') is None


@check
def cursors_are_rewritten() -> None:
    """A cursor link is rewritten for another row, whatever its form."""
    flaskr = pages.rewrite_cursor(
        "/?before=2026-01-02T03:04:05Z.42",
        (42, "2026-01-02T03:04:05Z"),
        (7, "2025-12-01T00:00:00Z"),
    )
    assert same_link(flaskr, "/?before=2025-12-01T00:00:00Z.7"), flaskr
    iso = pages.rewrite_cursor(
        "/public?before=2026-01-02T03:04:05.000120%2B00:00&id=1042",
        (1042, "2026-01-02 03:04:05.000120"),
        (10, "2025-12-01 00:00:00.500000"),
    )
    expected = "/public?before=2025-12-01T00:00:00.500000%2B00:00&id=10"
    assert same_link(iso, expected), iso
    # minitwit's: to the microsecond, "Z", a dot, the id; a whole second.
    micro = pages.rewrite_cursor(
        "/?before=2026-01-02T03:04:05.000000Z.1042",
        (1042, "2026-01-02 03:04:05.000000"),
        (10, "2025-12-01 00:00:00.500000"),
    )
    expected = "/?before=2025-12-01T00:00:00.500000Z.10"
    assert same_link(micro, expected), micro
    assert same_link(
        pages.rewrite_cursor("/u?before=1042", (1042, "x"), (3, "y")),
        "/u?before=3",
    )
    try:
        pages.rewrite_cursor("/?before=c2lnbmVk", (42, "t"), (7, "u"))
    except pages.CursorError:
        pass
    else:
        raise AssertionError("rewrote a cursor it cannot read")
    assert same_link(pages.with_page("/u?page=2&x=y", 9), "/u?page=9&x=y")


@check
def medians_repeat_enough() -> None:
    """A call is warmed up, then repeated at least MIN_RUNS times."""
    calls = []
    assert min(timing.median_ms(lambda: calls.append(1))) >= 0
    assert len(calls) >= timing.MIN_RUNS + 1


@check
def report_marks_failures() -> None:
    """The summary marks a page that grew 3x as a failure."""
    small = [run.Result("x", "last", 1, 1, app_ms=1.0, app_cpu_ms=1.0)]
    large = [
        run.Result(
            "x", "last", 9, 9, app_ms=3.0, app_cpu_ms=3.0, classic_ms=600.0
        )
    ]
    text = report.summary("SQLite", "1k", "1M", small, large)
    assert "FAIL" in text and "200x" in text, text
    assert "pass" in text  # 3 ms is under 20 ms
    text = report.summary("PostgreSQL", "1k", "1M", small, large, False)
    assert "FAIL" in text and "200x" not in text and "pass" not in text


@check
def server_cpu_is_counted() -> None:
    """The CPU clock on PostgreSQL counts the time the server works."""
    if SERVER is None:
        print(f"     (no PostgreSQL: {NO_SERVER})")
        return
    with SERVER.connect() as connection:
        clock = SERVER.cpu_clock()
        assert clock is not None, "cannot read the server's CPU time"
        before, own = clock(), time.process_time()
        connection.execute(
            "SELECT count(*) FROM generate_series(1, 3000000)"
        ).fetchone()
        server = (clock() - before) - (time.process_time() - own)
    assert server > 0.05, f"the server's CPU: {server:.3f} s"


def check_results(tables: run.Tables, timelines: int) -> None:
    """Every page of every size found, checked, timed, and its plan read."""
    for _, about, results in tables:
        assert "messages" in about
        assert len(results) == 3 * timelines, results
        for result in results:
            assert not result.problem, (result.timeline, result.problem)
            assert result.app_ms and result.app_cpu_ms, result
            assert result.sql_ms is not None and result.queries >= 1
            if result.which == "last":
                assert result.number == result.last > 1, result
    # --explain: the plans of every page, at the largest size.
    for result in tables[-1][2]:
        assert "SELECT" in result.plan and len(result.plan.splitlines()) > 2


def hidden_pages_are_caught(database: Path) -> None:
    """A page that shows a hidden message, or one too few, fails the check."""
    public = next(t for t in pages.TIMELINES if t.name == "public")
    app = build.create_app("minitwit", database)
    found, client = pages.find_pages(app, public, database)
    last = found.last
    assert pages.check_page(found, client, 1) == ""
    assert pages.check_page(found, client, last) == ""
    newest = "SELECT id, hidden FROM message WHERE hidden IS NOT NULL"
    hide = "UPDATE message SET hidden = ? WHERE id = ?"
    with sqlite3.connect(database) as db:
        shown, reason = db.execute(newest + " ORDER BY id DESC").fetchone()
        db.execute(hide, (None, shown))
    problem = pages.check_page(found, client, 1)
    assert problem == "shows a hidden message", problem
    with sqlite3.connect(database) as db:
        db.execute(hide, (reason, shown))
    # As if the app left out a message the last page should show.
    left = found.count - (last - 1) * found.per_page
    assert left < found.per_page, "the last page is full: no room to check"
    found.count += 1
    problem = pages.check_page(found, client, last)
    assert problem == f"shows {left} messages, expected {left + 1}", problem
    build.close_connections(app)
    found.rows.close()


@check
def small_run_measures_the_right_pages() -> None:
    """Every page of two small sizes is found, checked and timed."""
    saved = build.CACHE, timing.BUDGET, timing.MIN_RUNS, timing.SLICE
    sizes = [(2_000, "2k"), (4_000, "4k")]
    with tempfile.TemporaryDirectory() as folder:
        # Timed briefly: the figures only need to exist.
        build.CACHE, timing.BUDGET, timing.MIN_RUNS = Path(folder), 0.01, 3
        timing.SLICE = 0.01
        try:
            engines = run.time_sizes(sizes, SERVER, explain_all=True)
            # Cached: a second build of the same size builds nothing.
            again = build.databases(*sizes[-1])
            assert all(path.parent == Path(folder) for path in again.values())
            word, empty = floor.floor_ms(again["minitwit"])
            hidden_pages_are_caught(again["minitwit"])
        finally:
            build.CACHE, timing.BUDGET, timing.MIN_RUNS, timing.SLICE = saved
    # A page with no messages still costs more than a word.
    assert 0 < word.wall < empty.wall, (word, empty)
    sqlite = engines[run.SQLITE]
    table = report.floor_table("4k", word, empty, sqlite[-1][2])
    minitwit = [t for t in pages.TIMELINES if t.app == "minitwit"]
    # Each of minitwit's timelines, at three pages.
    assert table.count("\nminitwit ") == 3 * len(minitwit), table
    check_results(sqlite, len(pages.TIMELINES))
    if SERVER is not None:
        assert list(engines) == [run.SQLITE, SERVER.version]
        check_results(engines[SERVER.version], len(minitwit))
        assert "Index" in engines[SERVER.version][-1][2][0].plan
    for engine, tables in engines.items():
        label, about, results = tables[-1]
        print(report.size_table(engine, label, about, results))
    print(table)


def main() -> int:
    """Run every check; 1 if any fails."""
    global SERVER, NO_SERVER
    try:
        SERVER = postgres.start()
    except postgres.Unavailable as reason:
        NO_SERVER = str(reason)
    failed = 0
    try:
        for function in CHECKS:
            try:
                function()
            except Exception as error:  # report every failure, go on
                failed += 1
                print(f"FAIL {function.__name__}: {error!r}")
            else:
                print(f"ok   {function.__name__}")
    finally:
        if SERVER is not None:
            SERVER.stop()
    engines = "SQLite and PostgreSQL" if SERVER else "SQLite only"
    print(
        f"self-check: {len(CHECKS) - failed} of {len(CHECKS)} passed", end=""
    )
    print(f" ({engines}{': ' + NO_SERVER if NO_SERVER else ''})")
    return 1 if failed else 0

"""``python -m bench --self-check``: the bench's own logic, checked small.

Not a timed test: it checks that the bench reads sizes, makes the data it
claims, finds and rewrites "Older" links, and measures the pages a reader
reaches, on a database of a few hundred messages in a temporary folder.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from bench import __main__ as cli
from bench import build, data, floor, pages, report, run, timing

CHECKS: list[Callable[[], None]] = []


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
    """Follows of 20 to 200, the heavy follower, prolific authors, a year."""
    dataset = data.make_dataset(20_000)
    following = Counter(who for who, _ in dataset.follows)
    assert len(following) == data.USERS
    assert min(following.values()) >= data.FOLLOWS_MIN
    assert max(following.values()) <= data.FOLLOWS_MAX
    assert len(set(dataset.follows)) == len(dataset.follows)
    assert all(who != whom for who, whom in dataset.follows)
    heavy = {w for who, w in dataset.follows if who == data.HEAVY_FOLLOWER}
    assert len(heavy) == data.FOLLOWS_MAX
    assert set(range(1, data.PROLIFIC + 1)) <= heavy
    times = [when for _, when, _ in dataset.messages]
    assert times == sorted(times)
    assert times[0] >= data.END - data.YEAR and times[-1] < data.END
    authors = Counter(author for author, _, _ in dataset.messages)
    share = authors[data.PROLIFIC_AUTHOR] / len(dataset.messages)
    assert abs(share - data.PROLIFIC_SHARE) < 0.01, share
    assert data.make_dataset(500) == data.make_dataset(500)  # seeded


@check
def older_links_are_found() -> None:
    """The rel="next" link is read, with its entities decoded."""
    html = (
        '<a rel="prev" href="/?x=1">N</a><a rel="next" href="/?a=1&amp;b=2">'
    )
    assert pages.next_link(html) == "/?a=1&b=2"
    assert pages.next_link("<a href='/'>x</a>") is None


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
    text = report.summary("1k", "1M", small, large)
    assert "FAIL" in text and "200x" in text, text
    assert "pass" in text  # 3 ms is under 20 ms


@check
def small_run_measures_the_right_pages() -> None:
    """Every page of a small database is found, checked and timed."""
    saved = build.CACHE
    with tempfile.TemporaryDirectory() as folder:
        build.CACHE = Path(folder)
        try:
            ((_, about, results),) = run.time_sizes([(700, "700")])
            # Cached: a second build of the same size builds nothing.
            again = build.databases(700, "700")
            assert all(path.parent == Path(folder) for path in again.values())
            word, empty = floor.floor_ms(again["minitwit"])
        finally:
            build.CACHE = saved
    # A page with no messages still costs more than a word.
    assert 0 < word.wall < empty.wall, (word, empty)
    table = report.floor_table("700", word, empty, results)
    assert table.count("\nminitwit ") == 9, table  # 3 timelines, 3 pages
    assert "700 messages" in about
    assert len(results) == 3 * len(pages.TIMELINES)
    for result in results:
        assert not result.problem, (result.timeline, result.problem)
        assert result.app_ms and result.sql_ms is not None, result
        assert result.queries >= 1
        if result.which == "last":
            assert result.number == result.last > 1, result
    print(report.size_table("700", about, results))
    print(table)


def main() -> int:
    """Run every check; 1 if any fails."""
    failed = 0
    for function in CHECKS:
        try:
            function()
        except Exception as error:  # report every failure, go on
            failed += 1
            print(f"FAIL {function.__name__}: {error!r}")
        else:
            print(f"ok   {function.__name__}")
    print(f"self-check: {len(CHECKS) - failed} of {len(CHECKS)} passed")
    return 1 if failed else 0

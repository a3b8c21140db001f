"""Print the figures: one table per engine and size, then the checks."""

from __future__ import annotations

from bench.pages import TIMELINES
from bench.run import MAX_GROWTH, Result, growth
from bench.timing import Timing

#: Issue 13's other checks, on SQLite at 1M messages: a page within 20 ms
#: by the wall clock, and 50x faster than minitwit 0.12's query.
MAX_MS, MIN_SPEEDUP = 20.0, 50.0
#: The widths of the timeline and page columns.
NAME = 2 + max(len(f"{t.app} {t.name}") for t in TIMELINES)
PAGE = 16

NOTES = """\
app: the whole request through the test client (view, SQL, template), HTTPS,
  a real secret key, TESTING off. Median of many runs after a warm-up, by
  the wall clock; cpu: the same runs in CPU time, which does not count
  waiting for a core that other jobs hold. On PostgreSQL, cpu adds the
  server's CPU time for the connections (the queries run there). The
  growth check (<=2x) reads the CPU time, the 20 ms check the wall clock.
SQL: every query that request runs (traced), replayed on a plain
  connection to the same database; "count" marks a page that counts rows.
  On SQLite the pool's check of its connection (SELECT 1) is one of them;
  on PostgreSQL it is left out of the trace (the app's time counts it).
0.12: minitwit 0.12's query for the same page, on the same rows in 0.12's
  schema (no index but primary keys), SQLite only. 0.12 had only a first
  page: for the deep and last pages the bench adds LIMIT/OFFSET."""


def ms(value: float | None) -> str:
    """A time in milliseconds, or a dash."""
    if value is None:
        return "-"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def times(value: float | None) -> str:
    """A ratio such as ``42x``, or a dash."""
    if value is None:
        return "-"
    return f"{value:,.1f}x" if value < 10 else f"{value:,.0f}x"


def size_table(
    engine: str, label: str, about: str, results: list[Result]
) -> str:
    """The table of one size on one engine."""
    lines = [
        f"== {engine}, {label}: {about} ==",
        f"{'timeline':<{NAME}}{'page':<{PAGE}}{'app ms':>8}{'cpu ms':>8}"
        f"{'SQL ms':>8}{'queries':>9}{'0.12 ms':>9}{'0.12/app':>9}",
    ]
    for r in results:
        page = f"{r.which} {r.number:,}/{r.last:,}"
        queries = f"{r.queries}{' count' if r.counts else ''}"
        lines.append(
            f"{r.timeline:<{NAME}}{page:<{PAGE}}{ms(r.app_ms):>8}"
            f"{ms(r.app_cpu_ms):>8}{ms(r.sql_ms):>8}{queries:>9}"
            f"{ms(r.classic_ms):>9}{times(r.speedup):>9}"
        )
        if r.problem:
            lines.append(f"  ! {r.problem}")
    return "\n".join(lines)


def mark(ok: bool | None) -> str:
    """pass, FAIL, or a dash when the check does not apply."""
    return "-" if ok is None else ("pass" if ok else "FAIL")


def ratio(a: float | None, b: float | None) -> float | None:
    """``b / a``, or None if either is missing."""
    return b / a if a and b else None


def summary(
    engine: str,
    small: str,
    large: str,
    first: list[Result],
    last: list[Result],
    all_checks: bool = True,
) -> str:
    """Growth from the smallest size to the largest, and the checks.

    The growth check applies on every engine; the 20 ms and 50x checks
    (against minitwit 0.12 on SQLite) when ``all_checks``.
    """
    final = small == "1k" and large == "1M"
    lines = [
        f"== Summary, {engine}: {large} against {small}"
        + (" (acceptance) ==" if final else " ==")
    ]
    if not final:
        lines.append("  (the checks need --sizes 1k,...,1m)")
    lines.append(
        f"{'timeline':<{NAME}}{'page':<6}{small + ' ms':>8}{large + ' ms':>8}"
        f"{'growth':>7}{'cpu':>7}{'<=2x':>6}"
        + (f"{'<=20ms':>7}{'0.12/app':>9}{'>=50x':>6}" if all_checks else "")
    )
    failed = 0
    for a, b in zip(first, last, strict=True):
        cpu_growth = growth(a, b)
        checks: list[bool | None] = [None, None, None]
        if final:
            checks = [
                None if cpu_growth is None else cpu_growth <= MAX_GROWTH,
                None if b.app_ms is None else b.app_ms <= MAX_MS,
                None if b.speedup is None else b.speedup >= MIN_SPEEDUP,
            ]
            if b.app_ms is None:
                checks[:2] = [False, False]
            if not all_checks:
                checks[1:] = [None, None]
        failed += checks.count(False)
        line = (
            f"{a.timeline:<{NAME}}{a.which:<6}{ms(a.app_ms):>8}"
            f"{ms(b.app_ms):>8}{times(ratio(a.app_ms, b.app_ms)):>7}"
            f"{times(cpu_growth):>7}{mark(checks[0]):>6}"
        )
        if all_checks:
            line += (
                f"{mark(checks[1]):>7}{times(b.speedup):>9}"
                f"{mark(checks[2]):>6}"
            )
        lines.append(line)
    if final:
        verdict = "all checks pass" if not failed else f"{failed} FAIL"
        lines.append(f"{verdict} (a report: the session never fails on it)")
    return "\n".join(lines)


def plans(engine: str, label: str, results: list[Result]) -> str:
    """The query plans the bench kept: pages that grew past 2x, or all."""
    kept = [r for r in results if r.plan]
    if not kept:
        return ""
    lines = [f"== {engine}, {label}: query plans =="]
    for r in kept:
        lines.append(
            f"-- {r.timeline}, {r.which} page {r.number:,}/{r.last:,}"
        )
        lines.append(r.plan)
    return "\n".join(lines)


def floor_table(
    label: str, word: Timing, empty: Timing, results: list[Result]
) -> str:
    """Where each minitwit page's time goes, against its 50x budget."""
    lines = [
        f"== Where a minitwit page's time goes (SQLite, {label}) ==",
        f"A view that returns a word takes {ms(word.wall)} ms; the page of"
        f" a user with no messages {ms(empty.wall)} ms",
        "(Flask, the extensions, the layout): every page pays that. SQL is"
        " the page's",
        "queries; the rest is the ORM and the messages' HTML. 50x the 0.12"
        " query needs",
        "the whole page within 0.12/50.",
        f"{'timeline':<{NAME}}{'page':<6}{'app ms':>8}{'empty':>7}{'SQL':>6}"
        f"{'rest':>6}{'0.12/50':>9}{'0.12/app':>9}",
    ]
    for r in results:
        if r.classic_ms is None or r.app_ms is None or r.sql_ms is None:
            continue
        rest = r.app_ms - empty.wall - r.sql_ms
        lines.append(
            f"{r.timeline:<{NAME}}{r.which:<6}{ms(r.app_ms):>8}"
            f"{ms(empty.wall):>7}{ms(r.sql_ms):>6}{ms(rest):>6}"
            f"{ms(r.classic_ms / MIN_SPEEDUP):>9}{times(r.speedup):>9}"
        )
    return "\n".join(lines)

"""Print the figures: one table per size, then the issue's checks."""

from __future__ import annotations

from bench.run import Result
from bench.timing import Timing

#: The acceptance of issue 13, at 1M messages against 1k.
MAX_GROWTH, MAX_MS, MIN_SPEEDUP = 2.0, 20.0, 50.0

NOTES = """\
app: the whole request through the test client (view, SQL, template), HTTPS,
  a real secret key, TESTING off. Median of many runs after a warm-up, by
  the wall clock; cpu: the same runs in this process's CPU time, which does
  not count waiting for a core that other jobs hold. The growth check
  (<=2x) reads the CPU time, the 20 ms check the wall clock.
SQL: every query that request runs (traced), replayed on a plain sqlite3
  connection; "count" marks a page that counts rows.
0.12: minitwit 0.12's query for the same page, on the same rows in 0.12's
  schema (no index but primary keys). 0.12 had only a first page: for the
  deep and last pages the bench adds LIMIT/OFFSET to its query."""


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


def size_table(label: str, about: str, results: list[Result]) -> str:
    """The table of one size."""
    lines = [
        f"== {label}: {about} ==",
        f"{'timeline':<20}{'page':<20}{'app ms':>8}{'cpu ms':>8}"
        f"{'SQL ms':>8}{'queries':>9}{'0.12 ms':>9}{'0.12/app':>9}",
    ]
    for r in results:
        page = f"{r.which} {r.number:,}/{r.last:,}"
        queries = f"{r.queries}{' count' if r.counts else ''}"
        lines.append(
            f"{r.timeline:<20}{page:<20}{ms(r.app_ms):>8}"
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
    small: str, large: str, first: list[Result], last: list[Result]
) -> str:
    """Growth from the smallest size to the largest, and the checks."""
    final = small == "1k" and large == "1M"
    lines = [
        f"== Summary: {large} against {small}"
        + (" (issue 13 acceptance) ==" if final else " ==")
    ]
    if not final:
        lines.append("  (the checks need --sizes 1k,...,1m)")
    lines.append(
        f"{'timeline':<20}{'page':<6}{small + ' ms':>8}{large + ' ms':>8}"
        f"{'growth':>7}{'cpu':>7}{'<=2x':>6}{'<=20ms':>7}{'0.12/app':>9}"
        f"{'>=50x':>6}"
    )
    failed = 0
    for a, b in zip(first, last, strict=True):
        growth = ratio(a.app_ms, b.app_ms)
        cpu_growth = ratio(a.app_cpu_ms, b.app_cpu_ms)
        checks: list[bool | None] = [None, None, None]
        if final:
            checks = [
                None if cpu_growth is None else cpu_growth <= MAX_GROWTH,
                None if b.app_ms is None else b.app_ms <= MAX_MS,
                None if b.speedup is None else b.speedup >= MIN_SPEEDUP,
            ]
            if b.app_ms is None:
                checks[:2] = [False, False]
        failed += checks.count(False)
        lines.append(
            f"{a.timeline:<20}{a.which:<6}{ms(a.app_ms):>8}{ms(b.app_ms):>8}"
            f"{times(growth):>7}{times(cpu_growth):>7}{mark(checks[0]):>6}"
            f"{mark(checks[1]):>7}{times(b.speedup):>9}{mark(checks[2]):>6}"
        )
    if final:
        verdict = "all checks pass" if not failed else f"{failed} FAIL"
        lines.append(f"{verdict} (a report: the session never fails on it)")
    return "\n".join(lines)


def floor_table(
    label: str, word: Timing, empty: Timing, results: list[Result]
) -> str:
    """Where each minitwit page's time goes, against its 50x budget."""
    lines = [
        f"== Where a minitwit page's time goes ({label}) ==",
        f"A view that returns a word takes {ms(word.wall)} ms; the timeline"
        f" page with no messages {ms(empty.wall)} ms",
        "(Flask, the extensions, the layout): every page pays that. SQL is"
        " the page's",
        "queries; the rest is the ORM and the messages' HTML. 50x the 0.12"
        " query needs",
        "the whole page within 0.12/50.",
        f"{'timeline':<20}{'page':<6}{'app ms':>8}{'empty':>7}{'SQL':>6}"
        f"{'rest':>6}{'0.12/50':>9}{'0.12/app':>9}",
    ]
    for r in results:
        if r.classic_ms is None or r.app_ms is None or r.sql_ms is None:
            continue
        rest = r.app_ms - empty.wall - r.sql_ms
        lines.append(
            f"{r.timeline:<20}{r.which:<6}{ms(r.app_ms):>8}"
            f"{ms(empty.wall):>7}{ms(r.sql_ms):>6}{ms(rest):>6}"
            f"{ms(r.classic_ms / MIN_SPEEDUP):>9}{times(r.speedup):>9}"
        )
    return "\n".join(lines)

"""``python -m bench [--sizes 1k,100k,1m] [--sqlite-only] [--explain]
[--self-check]``; see README.md."""

from __future__ import annotations

import argparse
import re
import sys
import time

from bench import build, floor, postgres, report
from bench.run import SQLITE, time_sizes

DEFAULT_SIZES = "1k,100k,1m"
UNITS = {"": 1, "k": 1_000, "m": 1_000_000}


def parse_sizes(text: str) -> list[tuple[int, str]]:
    """``"1k,100k,1m"`` as (rows, label) pairs, smallest first."""
    sizes = {}
    for part in text.lower().split(","):
        match = re.fullmatch(r"\s*([0-9]+)\s*([km]?)\s*", part)
        if match is None or int(match[1]) == 0:
            raise argparse.ArgumentTypeError(f"not a size: {part!r}")
        rows = int(match[1]) * UNITS[match[2]]
        sizes[rows] = (
            f"{match[1]}{match[2].upper() if match[2] == 'm' else match[2]}"
        )
    return sorted(sizes.items())


def start_postgres() -> postgres.Server | None:
    """A throwaway PostgreSQL server, or None (and say why)."""
    try:
        server = postgres.start()
    except postgres.Unavailable as reason:
        print(f"PostgreSQL is not timed: {reason}. Timing SQLite only.")
        return None
    print(f"started {server.version} in {server.folder}", flush=True)
    return server


def main(argv: list[str] | None = None) -> int:
    """Build the databases, time every page, print the report."""
    parser = argparse.ArgumentParser(
        prog="nox -s bench --", description=__doc__
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=parse_sizes(DEFAULT_SIZES),
        help=f"messages per database (default {DEFAULT_SIZES})",
    )
    parser.add_argument(
        "--sqlite-only",
        action="store_true",
        help="leave PostgreSQL out even where it is installed",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print the query plans of every page at the largest size (the"
        " bench prints those of a page that grew past 2x anyway)",
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="check the bench's own logic on a small database, then stop",
    )
    args = parser.parse_args(argv)
    if args.self_check:
        from bench import selfcheck

        return selfcheck.main()
    started = time.perf_counter()
    server = None
    if not args.sqlite_only:
        server = start_postgres()
    try:
        engines = time_sizes(args.sizes, server, args.explain)
    finally:
        if server is not None:
            server.stop()
    for engine, tables in engines.items():
        for label, about, results in tables:
            print()
            print(report.size_table(engine, label, about, results))
    print()
    print(report.NOTES)
    for engine, tables in engines.items():
        if len(tables) > 1:
            print()
            (small, _, first), (large, _, last) = tables[0], tables[-1]
            checks = engine == SQLITE  # 0.12 is timed on SQLite only
            print(report.summary(engine, small, large, first, last, checks))
        label, _, results = tables[-1]
        if plans := report.plans(engine, label, results):
            print()
            print(plans)
    rows, label = args.sizes[-1]
    word, empty = floor.floor_ms(build.databases(rows, label)["minitwit"])
    print()
    print(report.floor_table(label, word, empty, engines[SQLITE][-1][2]))
    print(f"\nbench took {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

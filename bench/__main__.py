"""``python -m bench [--sizes 1k,100k,1m] [--self-check]``; see README.md."""

from __future__ import annotations

import argparse
import re
import sys
import time

from bench import build, floor, report
from bench.run import time_sizes

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
        "--self-check",
        action="store_true",
        help="check the bench's own logic on a small database, then stop",
    )
    args = parser.parse_args(argv)
    if args.self_check:
        from bench import selfcheck

        return selfcheck.main()
    started = time.perf_counter()
    tables = []
    for label, about, results in time_sizes(args.sizes):
        tables.append((label, results))
        print()
        print(report.size_table(label, about, results))
    print()
    print(report.NOTES)
    if len(tables) > 1:
        print()
        (small, first), (large, last) = tables[0], tables[-1]
        print(report.summary(small, large, first, last))
    rows, label = args.sizes[-1]
    word, empty = floor.floor_ms(build.databases(rows, label)["minitwit"])
    print()
    print(report.floor_table(label, word, empty, tables[-1][1]))
    print(f"\nbench took {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

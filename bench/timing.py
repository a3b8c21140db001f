"""The median time of a call: warmed up first, repeated enough times.

Two clocks: the wall clock (what a visitor waits) and this process's CPU
time (the work done). On a machine other jobs keep busy, the wall clock
also counts the time the bench waited for a core; CPU time does not, so
it is the steadier measure of how a page's cost grows.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import NamedTuple

#: Each call runs at least MIN_RUNS times (after its warm-up), at most
#: MAX_RUNS, for BUDGET seconds per call in all. Slow calls (minitwit 0.12
#: at 1M rows, or OFFSET pages) run fewer times: (warm-up seconds, runs).
MIN_RUNS, MAX_RUNS, BUDGET = 7, 100, 0.5
SLOW = [(1.0, 1), (0.2, 3)]
#: Calls take turns: each runs for about this long, then the next one.
SLICE = 0.05


class Timing(NamedTuple):
    """Median milliseconds of one call."""

    wall: float
    cpu: float


def median_ms_each(
    calls: list[Callable[[], object]],
    cpu_clock: Callable[[], float] = time.process_time,
) -> list[Timing]:
    """The median times of each call in milliseconds, after a warm-up.

    The calls take turns, a slice of time each, so a burst of load from
    another job slows them all alike, not just the one timed at that moment.
    ``cpu_clock`` reads the CPU seconds spent so far: this process's, or
    also a database server's (``postgres.Server.cpu_clock``).
    """
    least = []
    for call in calls:
        started = time.perf_counter()
        call()  # warm-up: compiled templates, database pages in the cache
        warm_up = time.perf_counter() - started
        least.append(next((n for s, n in SLOW if warm_up > s), MIN_RUNS))
    walls: list[list[float]] = [[] for _ in calls]
    cpus: list[list[float]] = [[] for _ in calls]
    started = time.perf_counter()
    while True:
        for call, wall, cpu in zip(calls, walls, cpus, strict=True):
            turn = time.perf_counter()
            while len(wall) < MAX_RUNS:
                before, cpu_before = time.perf_counter(), cpu_clock()
                call()
                cpu.append(cpu_clock() - cpu_before)
                wall.append(time.perf_counter() - before)
                if time.perf_counter() - turn > SLICE:
                    break
        enough = all(len(w) >= n for w, n in zip(walls, least, strict=True))
        spent = time.perf_counter() - started > BUDGET * len(calls)
        if enough and (spent or all(len(w) >= MAX_RUNS for w in walls)):
            break
    return [
        Timing(statistics.median(w) * 1000, statistics.median(c) * 1000)
        for w, c in zip(walls, cpus, strict=True)
    ]


def median_ms(call: Callable[[], object]) -> Timing:
    """The median times of one call in milliseconds, after a warm-up."""
    return median_ms_each([call])[0]

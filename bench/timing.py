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

#: Repeat a call at least MIN_RUNS times, at most MAX_RUNS, and stop once
#: it has run for BUDGET seconds. Slow calls (minitwit 0.12 at 1M rows, or
#: OFFSET pages) run fewer times: (warm-up seconds, least runs).
MIN_RUNS, MAX_RUNS, BUDGET = 7, 100, 0.5
SLOW = [(1.0, 1), (0.2, 3)]


class Timing(NamedTuple):
    """Median milliseconds of one call."""

    wall: float
    cpu: float


def median_ms(call: Callable[[], object]) -> Timing:
    """The median times of ``call()`` in milliseconds, after a warm-up."""
    started = time.perf_counter()
    call()  # warm-up: compiled templates, database pages in the cache
    warm_up = time.perf_counter() - started
    least = next((n for s, n in SLOW if warm_up > s), MIN_RUNS)
    times: list[float] = []
    cpu_times: list[float] = []
    started = time.perf_counter()
    while len(times) < MAX_RUNS and (
        len(times) < least or time.perf_counter() - started < BUDGET
    ):
        before, cpu_before = time.perf_counter(), time.process_time()
        call()
        cpu_times.append(time.process_time() - cpu_before)
        times.append(time.perf_counter() - before)
    return Timing(
        statistics.median(times) * 1000, statistics.median(cpu_times) * 1000
    )

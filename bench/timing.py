"""The median time of a call: warmed up first, repeated enough times."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

#: Repeat a call at least MIN_RUNS times, at most MAX_RUNS, and stop once
#: it has run for BUDGET seconds. Slow calls (minitwit 0.12 at 1M rows, or
#: OFFSET pages) run fewer times: (warm-up seconds, least runs).
MIN_RUNS, MAX_RUNS, BUDGET = 7, 100, 0.5
SLOW = [(1.0, 1), (0.2, 3)]


def median_ms(call: Callable[[], object]) -> float:
    """The median time of ``call()`` in milliseconds, after a warm-up."""
    started = time.perf_counter()
    call()  # warm-up: compiled templates, database pages in the cache
    warm_up = time.perf_counter() - started
    least = next((n for s, n in SLOW if warm_up > s), MIN_RUNS)
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < MAX_RUNS and (
        len(times) < least or time.perf_counter() - started < BUDGET
    ):
        before = time.perf_counter()
        call()
        times.append(time.perf_counter() - before)
    return statistics.median(times) * 1000

"""showcase.timefmt: stored UTC text shown to people and machines."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from showcase.timefmt import iso_time, parse_utc, readable_time, utc_now_iso


def test_now_round_trips():
    now = utc_now_iso()
    assert now.endswith("Z")
    assert abs(parse_utc(now) - datetime.now(timezone.utc)) < timedelta(
        seconds=5
    )


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-02T09:05:00Z",
        "2026-11-02 09:05:00",
        "2026-11-02T10:05:00+01:00",
        datetime(2026, 11, 2, 9, 5),
        datetime(2026, 11, 2, 9, 5, tzinfo=timezone.utc),
    ],
)
def test_formats(value):
    assert readable_time(value) == "2 Nov 2026, 09:05 UTC"
    assert iso_time(value) == "2026-11-02T09:05:00Z"

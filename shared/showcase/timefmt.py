"""Template filters that show a stored UTC timestamp to people and machines.

Examples store times as ISO 8601 text in UTC (``2026-11-22T10:05:00Z``), which
SQLite sorts correctly and Python parses without adapters. ``|readable_time``
shows ``22 Nov 2026, 10:05 UTC``; ``|iso_time`` fills ``<time datetime=...>``.
"""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask


def utc_now_iso() -> str:
    """Return the current UTC time as ISO 8601 text, to the second."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(value: str | datetime) -> datetime:
    """Turn stored ISO 8601 text (or a datetime) into an aware UTC datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(
            value.replace("Z", "+00:00").replace(" ", "T")
        )
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def readable_time(value: str | datetime) -> str:
    """Format a timestamp for people: ``22 Nov 2026, 10:05 UTC``."""
    return parse_utc(value).strftime("%d %b %Y, %H:%M UTC").lstrip("0")


def iso_time(value: str | datetime) -> str:
    """Format a timestamp for machines: ``2026-11-22T10:05:00Z``."""
    return parse_utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def init_app(app: Flask) -> None:
    """Make ``readable_time`` and ``iso_time`` available in templates."""
    app.add_template_filter(readable_time)
    app.add_template_filter(iso_time)

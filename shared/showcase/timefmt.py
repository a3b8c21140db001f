"""One timestamp format: stored as UTC ISO 8601 text, shown two ways."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask

ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def utc_now_iso() -> str:
    """Return the current UTC time as ISO 8601 text, to the second."""
    return datetime.now(timezone.utc).strftime(ISO_FORMAT)


def parse_utc(value: str | datetime) -> datetime:
    """Turn stored text (or a naive or aware datetime) into aware UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def readable_time(value: str | datetime) -> str:
    """Format a timestamp for people: ``22 Nov 2026, 10:05 UTC``."""
    return parse_utc(value).strftime("%d %b %Y, %H:%M UTC").lstrip("0")


def iso_time(value: str | datetime) -> str:
    """Format a timestamp for machines: ``2026-11-22T10:05:00Z``."""
    return parse_utc(value).strftime(ISO_FORMAT)


def init_app(app: Flask) -> None:
    """Make ``readable_time`` and ``iso_time`` template filters."""
    app.add_template_filter(readable_time)
    app.add_template_filter(iso_time)

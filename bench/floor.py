"""What a minitwit page costs here before it shows a single message.

Two requests through the same test client as the timelines: a view that
returns one word (Flask, the extensions, the security headers) and the
timeline page with no messages (the layout too). No timeline page can cost
less than the second; so against each page's 0.12 query, the bench can say
how many times faster any page could be at best.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from flask import render_template

from bench import build, pages
from bench.timing import Timing, median_ms_each


def empty_timeline() -> str:
    """The public timeline's template, with no messages to show."""
    from minitwit.pagination import Page

    page = Page([], older=None, newer=None)
    return render_template("timeline.html", kind="public", page=page)


def floor_ms(database: Path) -> tuple[Timing, Timing]:
    """The median times of a one-word page and of an empty timeline."""
    app = build.create_app("minitwit", database)
    app.add_url_rule("/bench/word", "bench_word", lambda: "ok")
    app.add_url_rule("/bench/empty", "bench_empty", empty_timeline)
    client = app.test_client()
    word, empty = median_ms_each(
        [
            partial(pages.get, client, "/bench/word"),
            partial(pages.get, client, "/bench/empty"),
        ]
    )
    build.close_connections(app)
    return word, empty

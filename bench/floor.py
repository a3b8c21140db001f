"""What a minitwit page costs here before it shows a single message.

Two requests through the same test client as the timelines: a view that
returns one word (Flask, the extensions, the security headers) and the
page of a user who never wrote a message (the layout too, and the two
small queries of a user's page). No timeline page can cost much less than
the second; so against each page's 0.12 query, the bench can say how many
times faster any page could be at best.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from bench import build, data, pages
from bench.timing import Timing, median_ms_each


def floor_ms(database: Path) -> tuple[Timing, Timing]:
    """The median times of a one-word page and of an empty timeline."""
    app = build.create_app("minitwit", database)
    app.add_url_rule("/bench/word", "bench_word", lambda: "ok")
    client = app.test_client()
    no_messages = f"/{data.username(data.NO_MESSAGES)}"
    word, empty = median_ms_each(
        [
            partial(pages.get, client, "/bench/word"),
            partial(pages.get, client, no_messages),
        ]
    )
    build.close_connections(app)
    return word, empty

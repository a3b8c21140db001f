"""The made-up data every benchmark database holds, the same on every run.

A year of messages from a fixed set of users: a few prolific authors write
a large share, everyone follows 20 to 200 others, and one "heavy follower"
follows 200 people, the prolific authors among them. The random generator
is seeded, so two builds of one size hold the same rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

#: How many users every database has, whatever its number of messages:
#: the sizes differ only in messages, so the growth is the messages' alone.
USERS = 1000
#: Users 1 to PROLIFIC each write PROLIFIC_SHARE of all messages.
PROLIFIC = 5
PROLIFIC_SHARE = 0.05
#: Everyone follows between these many others.
FOLLOWS_MIN, FOLLOWS_MAX = 20, 200
#: The user whose home timeline is measured: follows FOLLOWS_MAX people,
#: every prolific author among them.
HEAVY_FOLLOWER = PROLIFIC + 1
#: The user whose own page is measured: the first prolific author.
PROLIFIC_AUTHOR = 1
#: Messages are spread over the year before this instant.
END = datetime(2026, 11, 1, tzinfo=timezone.utc)
YEAR = timedelta(days=365)

WORDS = [
    *("flask", "request", "template", "route", "blueprint", "session"),
    *("cookie", "query", "index", "page", "cursor", "database", "message"),
    *("follow", "timeline", "python", "sqlite", "jinja", "werkzeug"),
]


@dataclass(frozen=True)
class Dataset:
    """Users, follows and messages; user ids run from 1 to ``USERS``."""

    #: (who_id, whom_id) pairs, no one following themselves.
    follows: list[tuple[int, int]]
    #: (author_id, time, text), oldest first: ids follow this order.
    messages: list[tuple[int, datetime, str]]


def username(user_id: int) -> str:
    """The made-up name of user ``user_id``."""
    return f"user{user_id}"


def make_follows(rng: random.Random) -> list[tuple[int, int]]:
    """Everyone follows 20 to 200 others; the heavy follower 200."""
    follows: list[tuple[int, int]] = []
    everyone = range(1, USERS + 1)
    for who in everyone:
        if who == HEAVY_FOLLOWER:
            prolific = list(range(1, PROLIFIC + 1))
            others = [u for u in everyone if u > HEAVY_FOLLOWER]
            whom = prolific + rng.sample(others, FOLLOWS_MAX - PROLIFIC)
        else:
            count = rng.randint(FOLLOWS_MIN, FOLLOWS_MAX)
            others = [u for u in everyone if u != who]
            whom = rng.sample(others, count)
        follows.extend((who, w) for w in sorted(whom))
    return follows


def make_texts(rng: random.Random, count: int = 500) -> list[str]:
    """A pool of message texts, 20 to 140 characters long."""
    texts = []
    for _ in range(count):
        words = rng.choices(WORDS, k=rng.randint(3, 20))
        texts.append(" ".join(words).capitalize()[:140] + ".")
    return texts


def make_messages(
    rng: random.Random, size: int
) -> list[tuple[int, datetime, str]]:
    """``size`` messages over a year, oldest first, to the microsecond."""
    weights = [PROLIFIC_SHARE] * PROLIFIC
    rest = (1 - PROLIFIC_SHARE * PROLIFIC) / (USERS - PROLIFIC)
    weights += [rest] * (USERS - PROLIFIC)
    authors = rng.choices(range(1, USERS + 1), weights=weights, k=size)
    span = int(YEAR.total_seconds() * 1_000_000)
    offsets = sorted(rng.randrange(span) for _ in range(size))
    start = END - YEAR
    texts = make_texts(rng)
    return [
        (
            author,
            start + timedelta(microseconds=offset),
            texts[rng.randrange(len(texts))],
        )
        for author, offset in zip(authors, offsets, strict=True)
    ]


def make_dataset(size: int) -> Dataset:
    """The users' follows and ``size`` messages, seeded by the size."""
    # Made-up rows, not secrets: a seeded generator, the same every run.
    rng = random.Random(f"bench-{size}")  # noqa: S311
    return Dataset(make_follows(rng), make_messages(rng, size))

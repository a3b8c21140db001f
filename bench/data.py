"""The made-up data every benchmark database holds, the same on every run.

A year of messages from a fixed set of users: a few prolific authors write
a large share, a group of authors stopped posting after the first month,
and everyone follows 20 to 200 others. Two users are the hard cases of the
home timeline: one follows the 200 authors with the most messages, one
follows 20 of the authors who fell silent (and fell silent too). About
1 % of the messages are hidden, as a moderator leaves them: every 200th
message, hidden by a moderator, and the burst a spammer posted in the last
hour before their account was suspended. The random generator is seeded,
so two builds of one size hold the same rows.
"""

from __future__ import annotations

import random
import re
from collections import Counter
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
#: Follows the FOLLOWS_MAX authors with the most messages.
TOP_FOLLOWER = PROLIFIC + 1
#: Follows the FOLLOWS_MIN silent authors, and is silent too.
SILENT_FOLLOWER = PROLIFIC + 2
#: Authors who wrote as much as anyone, all in the first month: nothing
#: in the last eleven.
SILENT = range(SILENT_FOLLOWER + 1, SILENT_FOLLOWER + 1 + FOLLOWS_MIN)
#: The user whose own page is measured: the first prolific author.
PROLIFIC_AUTHOR = 1
#: A user who never wrote a message: their page is an empty timeline.
NO_MESSAGES = USERS
#: A suspended account: SPAM_SHARE of all messages, all in the last hour,
#: all hidden ("suspension"). The top follower follows them.
SPAMMER = SILENT.stop
SPAM_SHARE = 0.005
SUSPENDED = "Spam."
#: Every MODERATED-th message is hidden by a moderator.
MODERATED = 200
#: Every hidden message's text starts with this word (no shown one has it).
HIDDEN_MARK = "HIDDEN"
#: Messages are spread over the year before this instant.
END = datetime(2026, 11, 1, tzinfo=timezone.utc)
YEAR = timedelta(days=365)
FIRST_MONTH = timedelta(days=30)

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


def hidden_because(author: int, text: str) -> str | None:
    """Why a message of ``author`` saying ``text`` is hidden, if it is."""
    if not text.startswith(HIDDEN_MARK):
        return None
    return "suspension" if author == SPAMMER else "moderator"


def username(user_id: int) -> str:
    """The made-up name of user ``user_id``."""
    return f"user{user_id}"


def is_silent(user_id: int) -> bool:
    """Whether ``user_id`` wrote only in the first month."""
    return user_id == SILENT_FOLLOWER or user_id in SILENT


def make_texts(rng: random.Random, count: int = 500) -> list[str]:
    """A pool of message texts, 20 to 140 characters long."""
    texts = []
    for _ in range(count):
        words = rng.choices(WORDS, k=rng.randint(3, 20))
        texts.append(" ".join(words).capitalize()[:140] + ".")
    return texts


#: A text of the pool, wherever it is written (an HTML page, JSON).
TEXT = re.compile(
    rf"\b(?:{'|'.join(w.capitalize() for w in WORDS)})(?: [a-z]*)+\."
)


def count_texts(page: str) -> int:
    """How many of the generator's message texts ``page`` shows."""
    return len(TEXT.findall(page))


def make_messages(
    rng: random.Random, size: int
) -> list[tuple[int, datetime, str]]:
    """``size`` messages over a year, oldest first, to the microsecond.

    Every ``MODERATED``-th message and all the spammer's are hidden: their
    texts start with ``HIDDEN_MARK``.
    """
    spam = round(size * SPAM_SHARE)
    weights = [PROLIFIC_SHARE] * PROLIFIC
    rest = (1 - PROLIFIC_SHARE * PROLIFIC - SPAM_SHARE) / (
        USERS - PROLIFIC - 2
    )
    weights += [rest] * (USERS - PROLIFIC)
    weights[NO_MESSAGES - 1] = weights[SPAMMER - 1] = 0
    authors = rng.choices(range(1, USERS + 1), weights=weights, k=size - spam)
    year = int(YEAR.total_seconds() * 1_000_000)
    month = int(FIRST_MONTH.total_seconds() * 1_000_000)
    hour = int(timedelta(hours=1).total_seconds() * 1_000_000)
    offsets = [
        rng.randrange(month if is_silent(author) else year)
        for author in authors
    ]
    authors += [SPAMMER] * spam
    offsets += [year - hour + rng.randrange(hour) for _ in range(spam)]
    start = END - YEAR
    texts = make_texts(rng)
    messages: list[tuple[int, datetime, str]] = []
    for offset, author in sorted(zip(offsets, authors, strict=True)):
        text = texts[rng.randrange(len(texts))]
        if author == SPAMMER or len(messages) % MODERATED == MODERATED - 1:
            text = f"{HIDDEN_MARK} {text}"
        messages.append((author, start + timedelta(microseconds=offset), text))
    return messages


def make_follows(
    rng: random.Random, messages: list[tuple[int, datetime, str]]
) -> list[tuple[int, int]]:
    """Everyone follows 20 to 200 others; the two hard cases as described."""
    written = Counter(author for author, _, _ in messages)
    everyone = range(1, USERS + 1)
    most = sorted(everyone, key=lambda user: (-written[user], user))
    follows: list[tuple[int, int]] = []
    for who in everyone:
        if who == TOP_FOLLOWER:
            whom = [u for u in most if u != who][:FOLLOWS_MAX]
        elif who == SILENT_FOLLOWER:
            whom = list(SILENT)
        else:
            count = rng.randint(FOLLOWS_MIN, FOLLOWS_MAX)
            whom = rng.sample([u for u in everyone if u != who], count)
        follows.extend((who, w) for w in sorted(whom))
    return follows


def make_dataset(size: int) -> Dataset:
    """``size`` messages and the users' follows, seeded by the size."""
    # Made-up rows, not secrets: a seeded generator, the same every run.
    rng = random.Random(f"bench-{size}")  # noqa: S311
    messages = make_messages(rng, size)
    return Dataset(make_follows(rng, messages), messages)

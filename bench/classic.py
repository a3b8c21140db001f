"""minitwit 0.12, the classic Flask example, as the yardstick.

Flask 0.12's ``examples/minitwit`` keeps its data in three tables with no
index but the primary keys, stores ``pub_date`` as Unix seconds, and shows
each timeline with one query: every matching message joined to its author,
newest first, ``LIMIT PER_PAGE``. It has no pages past the first; for a
deep or the last page the bench adds ``OFFSET``, the way a paginated 0.12
would have done it.

The schema and queries below are written from that release's
``schema.sql`` and ``minitwit.py`` (pallets/flask, ``examples/minitwit``),
against a copy of our minitwit's rows with the same ids: the messages it
shows only, as 0.12 could not hide one, so its pages hold the same messages.
"""

from __future__ import annotations

#: The 0.12 tables (``string`` as 0.12 wrote it; SQLite stores text).
SCHEMA = """
CREATE TABLE user (
  user_id INTEGER PRIMARY KEY AUTOINCREMENT,
  username STRING NOT NULL,
  email STRING NOT NULL,
  pw_hash STRING NOT NULL
);
CREATE TABLE follower (
  who_id INTEGER,
  whom_id INTEGER
);
CREATE TABLE message (
  message_id INTEGER PRIMARY KEY AUTOINCREMENT,
  author_id INTEGER NOT NULL,
  text STRING NOT NULL,
  pub_date INTEGER
);
"""

#: Our minitwit's rows (attached as ``source``) into the 0.12 tables.
COPY_FROM_SOURCE = [
    "INSERT INTO user (user_id, username, email, pw_hash)"
    " SELECT id, username, email, pw_hash FROM source.account",
    "INSERT INTO follower (who_id, whom_id)"
    " SELECT who_id, whom_id FROM source.follower",
    "INSERT INTO message (message_id, author_id, text, pub_date)"
    " SELECT id, author_id, text, CAST(strftime('%s', pub_date) AS INTEGER)"
    " FROM source.message WHERE hidden IS NULL",
]

#: The 0.12 queries, with OFFSET added for pages past the first. Each takes
#: its user ids (if any), then the limit and the offset.
PUBLIC = """
    SELECT message.*, user.* FROM message, user
    WHERE message.author_id = user.user_id
    ORDER BY message.pub_date DESC LIMIT ? OFFSET ?"""
HOME = """
    SELECT message.*, user.* FROM message, user
    WHERE message.author_id = user.user_id AND (
        user.user_id = ? OR
        user.user_id IN (SELECT whom_id FROM follower WHERE who_id = ?))
    ORDER BY message.pub_date DESC LIMIT ? OFFSET ?"""
USER = """
    SELECT message.*, user.* FROM message, user
    WHERE user.user_id = message.author_id AND user.user_id = ?
    ORDER BY message.pub_date DESC LIMIT ? OFFSET ?"""


def query(timeline: str, user_id: int, limit: int, offset: int):
    """The 0.12 SQL and parameters for one page of ``timeline``."""
    if timeline == "public":
        return PUBLIC, (limit, offset)
    if timeline == "home":
        return HOME, (user_id, user_id, limit, offset)
    return USER, (user_id, limit, offset)

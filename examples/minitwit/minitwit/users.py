"""Accounts: the ``User`` Flask-Login works with, and the queries on the user table.

Passwords are hashed with :mod:`werkzeug.security`. What Flask-Login stores in
the session is not the user's id but a random *session token*, replaced on
every password change: that one rotation logs out every other session and
every remember-me cookie.
"""

from __future__ import annotations

import secrets
import sqlite3
from functools import cache

from flask import current_app
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from minitwit.extensions import login_manager
from minitwit.db import get_db, transaction
from showcase.timefmt import utc_now_iso


# [user-class]
class User(UserMixin):
    """A logged-in person, built from their row in the user table."""

    def __init__(self, row: sqlite3.Row) -> None:
        self.id: int = row["user_id"]
        self.username: str = row["username"]
        self.email: str = row["email"]
        self.pw_hash: str = row["pw_hash"]
        self.session_token: str = row["session_token"]
        self.confirmed: bool = row["confirmed_at"] is not None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and remember-me cookie."""
        return self.session_token


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """Find who a session belongs to; ``None`` (logged out) once the token rotated."""
    row = (
        get_db()
        .execute(
            "SELECT * FROM user WHERE session_token = ?", (session_token,)
        )
        .fetchone()
    )
    return User(row) if row is not None else None


# [/user-class]


def new_session_token() -> str:
    """Return a fresh random session token (unguessable, 256 bits)."""
    return secrets.token_urlsafe(32)


def hash_password(password: str) -> str:
    """Hash ``password`` with the configured werkzeug method (scrypt by default)."""
    return generate_password_hash(
        password, method=current_app.config["PASSWORD_HASH_METHOD"]
    )


@cache
def _dummy_hash(method: str) -> str:
    """A hash of a random password, to check against when the user does not exist."""
    return generate_password_hash(secrets.token_hex(16), method=method)


# [authenticate]
def authenticate(username: str, password: str) -> User | None:
    """Return the user if ``password`` is theirs, else ``None``.

    An unknown name costs as much time as a wrong password (one hash check
    either way), so response times do not tell which names exist.
    """
    row = get_user_by_name(username)
    if row is None:
        check_password_hash(
            _dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password
        )
        return None
    if not check_password_hash(row["pw_hash"], password):
        return None
    return User(row)


# [/authenticate]


def get_user_by_name(username: str) -> sqlite3.Row | None:
    """Return the user row for ``username`` (any case), or ``None``."""
    return (
        get_db()
        .execute("SELECT * FROM user WHERE username = ?", (username,))
        .fetchone()
    )


def get_user_by_email(email: str) -> sqlite3.Row | None:
    """Return the user row for a normalised ``email`` (any case), or ``None``."""
    return (
        get_db()
        .execute("SELECT * FROM user WHERE email = ? COLLATE NOCASE", (email,))
        .fetchone()
    )


def get_user_by_id(db: sqlite3.Connection, user_id: int) -> sqlite3.Row | None:
    """Return the user row with ``user_id`` read through ``db``, or ``None``."""
    return db.execute(
        "SELECT * FROM user WHERE user_id = ?", (user_id,)
    ).fetchone()


# [create-user]
def create_user(username: str, email: str, password: str) -> int:
    """Insert a new, unconfirmed account and return its id.

    Raises :class:`sqlite3.IntegrityError` if the name or address was taken in
    the meantime: the UNIQUE constraints, not the form's check, are what keep
    two simultaneous registrations from both succeeding.
    """
    cursor = get_db().execute(
        "INSERT INTO user (username, email, pw_hash, session_token, created)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            username,
            email,
            hash_password(password),
            new_session_token(),
            utc_now_iso(),
        ),
    )
    return cursor.lastrowid  # type: ignore[return-value]


# [/create-user]


# [replace-password]
def replace_password(
    user_id: int, old_pw_hash: str, new_password: str
) -> str | None:
    """Set a new password if the old one is still ``old_pw_hash``; return the new token.

    Returns ``None`` if the password changed since the caller checked it (two
    tabs submitting at once): the check and the write happen in one
    ``BEGIN IMMEDIATE`` transaction, so only the first of them wins. The new
    session token logs out every session and remember-me cookie that holds
    the old one.
    """
    # Hashing is slow on purpose: do it before taking the write lock.
    new_hash = hash_password(new_password)
    token = new_session_token()
    db = get_db()
    with transaction(db):
        row = get_user_by_id(db, user_id)
        if row is None or row["pw_hash"] != old_pw_hash:
            return None
        db.execute(
            "UPDATE user SET pw_hash = ?, session_token = ? WHERE user_id = ?",
            (new_hash, token, user_id),
        )
    return token


# [/replace-password]


def mark_confirmed(user_id: int) -> bool:
    """Record that the user owns their address; ``False`` if it already was."""
    cursor = get_db().execute(
        "UPDATE user SET confirmed_at = ? WHERE user_id = ? AND confirmed_at IS NULL",
        (utc_now_iso(), user_id),
    )
    return cursor.rowcount == 1

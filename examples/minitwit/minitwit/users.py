"""Accounts: finding, creating and changing users, and Flask-Login's loader.

Passwords are hashed with :mod:`werkzeug.security`. What Flask-Login stores in
the session is not the user's id but a random *session token*, replaced on
every password change: that one rotation logs out every other session and
every remember-me cookie.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta
from functools import cache

from flask import current_app
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from minitwit.extensions import db, login_manager
from minitwit.models import USERNAME_MAX_LENGTH, User, utc_now


@login_manager.user_loader
def load_user(login_id: str) -> User | None:
    """Find who a login belongs to; ``None`` once it ended or expired.

    ``login_id`` is what ``User.get_id`` made at login: the session token,
    the login's time and a random part. The time is checked here, on the
    server, so a copied cookie dies after ``REMEMBER_COOKIE_DURATION``
    whatever expiry the browser was told.
    """
    token, _, rest = login_id.partition(".")
    issued = rest.partition(".")[0]
    if not issued.isdigit():
        return None
    duration = current_app.config["REMEMBER_COOKIE_DURATION"]
    if isinstance(duration, int):
        duration = timedelta(seconds=duration)
    if time.time() - int(issued) > duration.total_seconds():
        return None
    return user_with_session_token(token)


def user_with_session_token(token: str) -> User | None:
    """The user whose current session token is ``token``, or ``None``."""
    return db.session.scalar(select(User).where(User.session_token == token))


def new_session_token() -> str:
    """Return a fresh random session token (unguessable, 256 bits)."""
    return secrets.token_urlsafe(32)


def hash_password(password: str) -> str:
    """Hash ``password`` with the configured werkzeug method (scrypt)."""
    return generate_password_hash(
        password, method=current_app.config["PASSWORD_HASH_METHOD"]
    )


@cache
def _dummy_hash(method: str) -> str:
    """A hash of a random password, to check when the user is unknown."""
    return generate_password_hash(secrets.token_hex(16), method=method)


def authenticate(username: str, password: str) -> User | None:
    """Return the user if ``password`` is theirs, else ``None``.

    An unknown name costs as much time as a wrong password (one hash check
    either way), so response times do not tell which names exist.
    """
    user = get_user_by_name(username)
    if user is None:
        check_password_hash(
            _dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password
        )
        return None
    if not check_password_hash(user.pw_hash, password):
        return None
    return user


def get_user_by_name(username: str) -> User | None:
    """Return the user called ``username`` (in any case), or ``None``."""
    if len(username) > USERNAME_MAX_LENGTH or "\x00" in username:
        # No account has such a name; and PostgreSQL refuses NUL in text.
        return None
    return db.session.scalar(
        select(User).where(func.lower(User.username) == username.lower())
    )


def get_user_by_email(email: str) -> User | None:
    """Return the user with the address ``email`` (any case), or ``None``."""
    return db.session.scalar(
        select(User).where(func.lower(User.email) == email.lower())
    )


def create_user(username: str, email: str, password: str) -> User:
    """Insert a new, unconfirmed account and return it.

    Raises :class:`sqlalchemy.exc.IntegrityError` if the name or address was
    taken in the meantime: the unique indexes, not the form's check, keep
    two simultaneous registrations from both succeeding.
    """
    user = User(
        username=username,
        email=email,
        pw_hash=hash_password(password),
        session_token=new_session_token(),
    )
    db.session.add(user)
    db.session.commit()
    return user


def replace_password(
    user_id: int, old_pw_hash: str, new_password: str
) -> str | None:
    """Set a new password if the old one is still ``old_pw_hash``.

    Returns the new session token, or ``None`` if the password changed since
    the caller checked it (two tabs submitting at once). The check and the
    write are one ``UPDATE ... WHERE pw_hash = old``: the database runs it
    for one request at a time, so only the first of two can match. The new
    token logs out every session and remember-me cookie with the old one.
    """
    token = new_session_token()
    changed = db.session.scalar(
        update(User)
        .where(User.id == user_id, User.pw_hash == old_pw_hash)
        .values(pw_hash=hash_password(new_password), session_token=token)
        .returning(User.id)
    )
    db.session.commit()
    return token if changed is not None else None


def write_account_again(email: str) -> None:
    """Write the account of ``email`` back unchanged, commit, read it.

    Registering with a taken address does this instead of creating an
    account: one row written and read back either way, so both take as
    long.
    """
    db.session.execute(
        update(User)
        .where(func.lower(User.email) == email.lower())
        .values(email=User.email)
    )
    db.session.commit()
    get_user_by_email(email)


def end_sessions(user_id: int) -> None:
    """Log out every session and remember-me cookie of the user.

    A new session token makes every login made with the old one unknown
    to ``load_user``: a copied cookie stops working at once.
    """
    db.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_token=new_session_token())
    )
    db.session.commit()


def mark_confirmed(user_id: int) -> bool:
    """Record that the user owns their address; ``False`` if it already was."""
    changed = db.session.scalar(
        update(User)
        .where(User.id == user_id, User.confirmed_at.is_(None))
        .values(confirmed_at=utc_now())
        .returning(User.id)
    )
    db.session.commit()
    return changed is not None

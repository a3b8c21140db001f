"""The API's bearer tokens: a random secret given once, kept as its hash.

A program trades a username and password (HTTP Basic) for a token at
``POST /api/v1/tokens``, then sends it with each request:
``Authorization: Bearer <token>``. The database keeps the token's SHA-256
digest, never the token, so a copy of the database opens no account. A
token ends when it expires, when it is revoked, and when its owner's
sessions end (a new password, logging out): it carries the session token
its owner had when it was made.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from flask import current_app, request
from sqlalchemy import ForeignKey, Index, String, delete, select
from sqlalchemy.orm import Mapped, contains_eager, relationship
from sqlalchemy.orm import mapped_column as column
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, Unauthorized

from minitwit.auth import stand_in
from minitwit.models import CASCADE, Model, User, db


def digest(secret: str) -> str:
    """What the database keeps of a token: its SHA-256, in hex. A random
    token of 32 bytes needs no slow password hash."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Token(Model):
    """A bearer token: its digest, its owner, when it ends."""

    __tablename__ = "token"
    digest: Mapped[str] = column(String(64), primary_key=True)
    user_id: Mapped[int] = column(ForeignKey("account.id", **CASCADE))
    #: Its owner's ``session_token`` when it was made: a new one ends it.
    session_token: Mapped[str] = column(String(64))
    expires: Mapped[datetime]
    user: Mapped[User] = relationship()
    #: Finds a user's tokens, to clear the ended ones.
    __table_args__ = (Index("ix_token_user_id", user_id),)

    @classmethod
    def issue(cls, user: User) -> tuple[str, Token]:
        """A new token for ``user`` (the secret, once), and its row; the
        ones of ``user`` that have ended are deleted."""
        now = datetime.now(timezone.utc)
        stale = cls.session_token != user.session_token
        ended = (cls.expires <= now) | stale
        db.session.execute(delete(cls).where(cls.user_id == user.id, ended))
        secret = secrets.token_urlsafe(32)
        lifetime = timedelta(seconds=current_app.config["API_TOKEN_MAX_AGE"])
        token = cls(
            digest=digest(secret),
            user=user,
            session_token=user.session_token,
            expires=now + lifetime,
        )
        db.session.add(token)
        return secret, token

    @classmethod
    def find(cls, secret: str) -> Token | None:
        """The live token ``secret`` is, with its owner, or ``None``."""
        query = (
            select(cls)
            .join(cls.user)
            .options(contains_eager(cls.user))
            .where(
                cls.digest == digest(secret),
                cls.expires > datetime.now(timezone.utc),
                cls.session_token == User.session_token,
                User.suspended.is_(None),
            )
        )
        return db.session.scalar(query)


def unauthorized(scheme: str, detail: str) -> Unauthorized:
    """A 401 that names the credentials to send (``WWW-Authenticate``)."""
    challenge = WWWAuthenticate(scheme, {"realm": "minitwit"})
    return Unauthorized(detail, www_authenticate=challenge)


def bearer_token() -> Token:
    """The live token the request carries; a 401 without one."""
    given = request.authorization
    if given is None or given.type != "bearer" or not given.token:
        raise unauthorized("Bearer", "Send a token from POST /api/v1/tokens.")
    token = Token.find(given.token)
    if token is None:
        raise unauthorized("Bearer", "The token has expired or was revoked.")
    return token


def password_owner() -> User:
    """The user whose name and password the request carries (HTTP Basic);
    a 401 if they are wrong."""
    given = request.authorization
    if given is None or given.type != "basic":
        raise unauthorized("Basic", "Send your username and password.")
    # A name nobody has is checked against a stand-in, as slowly as the
    # login form does: the time an answer takes tells no names.
    method = current_app.config["PASSWORD_HASH_METHOD"]
    user = User.named(given.username or "") or stand_in(method)
    if not user.check_password(given.password or "") or user.id is None:
        raise unauthorized("Basic", "Invalid username or password.")
    if user.suspended:
        raise Forbidden(f"Your account is suspended: {user.suspended}")
    return user

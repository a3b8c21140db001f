"""minitwit's tables as SQLAlchemy models: accounts, follows and messages.

Each class is one table; each typed attribute (``Mapped[...]``) one column.
``mapped_column`` adds what the type alone cannot say: lengths, keys,
defaults. The database itself enforces every rule that must never break,
so no bug in a view, and no two requests racing, can store a second account
with the same name or a message of 281 characters.

After changing a model, write the migration that brings every existing
database along: ``flask --app minitwit db migrate -m "what changed"``, read
it, then ``flask --app minitwit db upgrade``.
"""

from __future__ import annotations

import secrets
import time
from datetime import datetime, timezone

from flask_login import UserMixin
from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    func,
)
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from minitwit.extensions import Model, db

#: The longest message, username and address the tables accept.
MESSAGE_MAX_LENGTH = 280
USERNAME_MAX_LENGTH = 30
EMAIL_MAX_LENGTH = 254


def utc_now() -> datetime:
    """The current time in UTC: every time minitwit stores is UTC."""
    return datetime.now(timezone.utc)


#: Who follows whom: one row per pair, a plain table with no model of its
#: own. The primary key (who_id, whom_id) keeps one row however often you
#: click "Follow", and finds whom someone follows; the index on
#: (whom_id, who_id) finds someone's followers.
follower = Table(
    "follower",
    db.metadata,
    Column(
        "who_id",
        ForeignKey("account.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "whom_id",
        ForeignKey("account.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    CheckConstraint("who_id <> whom_id", name="not_self"),
    Index("ix_follower_whom_id_who_id", "whom_id", "who_id"),
)


class User(UserMixin, Model):
    """An account: who someone is, how they log in, whom they follow.

    The table is ``account``: ``user`` is a reserved word in PostgreSQL.
    """

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_MAX_LENGTH))
    #: The address as email-validator normalised it (domain lower-cased).
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH))
    pw_hash: Mapped[str] = mapped_column(String(255))
    #: What Flask-Login keeps in the session and the remember-me cookie
    #: instead of the id. A new random value on every password change logs
    #: out every other session and kills every remember-me cookie.
    session_token: Mapped[str] = mapped_column(String(64), unique=True)
    #: None until the owner presses the button of the confirmation mail.
    confirmed_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True)
    )
    created: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now
    )

    #: Their messages. Write-only: a user may have millions, so they are
    #: never all loaded; read them with a query (see ``timeline.py``).
    messages: WriteOnlyMapped[Message] = relationship(
        back_populates="author", passive_deletes=True
    )
    #: The people this user follows, through the follower table.
    following: WriteOnlyMapped[User] = relationship(
        secondary=follower,
        primaryjoin=lambda: follower.c.who_id == User.id,
        secondaryjoin=lambda: follower.c.whom_id == User.id,
        back_populates="followers",
        passive_deletes=True,
    )
    #: The people who follow this user: the same rows, read the other way.
    followers: WriteOnlyMapped[User] = relationship(
        secondary=follower,
        primaryjoin=lambda: follower.c.whom_id == User.id,
        secondaryjoin=lambda: follower.c.who_id == User.id,
        back_populates="following",
        passive_deletes=True,
    )

    __table_args__ = (
        # "Alice" and "alice" are one name, and one address per account in
        # any case: unique indexes on the lower-cased values, which are also
        # what every lookup by name or address uses.
        Index("ix_account_username_lower", func.lower(username), unique=True),
        Index("ix_account_email_lower", func.lower(email), unique=True),
    )

    @property
    def confirmed(self) -> bool:
        """Whether the owner has confirmed their address."""
        return self.confirmed_at is not None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and remember-me cookie.

        The session token, the time of this login and a random part: each
        login gets a new value, and ``users.load_user`` refuses it once the
        login is older than ``REMEMBER_COOKIE_DURATION``.
        """
        issued = int(time.time())
        return f"{self.session_token}.{issued}.{secrets.token_hex(8)}"


class Message(Model):
    """A message: who wrote it, what it says, when."""

    __tablename__ = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE")
    )
    text: Mapped[str] = mapped_column(String(MESSAGE_MAX_LENGTH))
    pub_date: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now
    )

    author: Mapped[User] = relationship(back_populates="messages")

    __table_args__ = (
        CheckConstraint(
            f"length(text) BETWEEN 1 AND {MESSAGE_MAX_LENGTH}", name="length"
        ),
        # A user's page and the home timeline read one author's messages,
        # newest first: one range of this index per author. The id breaks
        # ties between messages of the same instant.
        Index("ix_message_author_id_pub_date", "author_id", "pub_date", "id"),
        # The public timeline reads every message, newest first.
        Index("ix_message_pub_date", "pub_date", "id"),
    )

"""minitwit's data as SQLAlchemy models: accounts, follows and messages.

Each class is a table, each ``Mapped[...]`` attribute a column. The models
carry what a user does (``user.set_password()``, ``user.follow()``), so
the views stay short.

After changing a model, write the migration that brings every database
along: ``flask --app minitwit db migrate -m "what changed"``, read it, then
``flask --app minitwit db upgrade``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import datetime, timezone

from flask import current_app, url_for
from flask_login import LoginManager, UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    MetaData,
    String,
    Table,
    delete,
    func,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, WriteOnlyMapped
from sqlalchemy.orm import mapped_column as column
from sqlalchemy.orm import relationship
from werkzeug.security import check_password_hash, generate_password_hash

#: The longest username, address and message the tables take.
USERNAME_MAX_LENGTH = 30
EMAIL_MAX_LENGTH = 254
MESSAGE_MAX_LENGTH = 280


class Model(DeclarativeBase):
    """The models' base class: it names constraints the same everywhere."""

    metadata = MetaData(
        naming_convention={
            "pk": "pk_%(table_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
        }
    )


db = SQLAlchemy(model_class=Model)
login_manager = LoginManager()


def utc_now() -> datetime:
    """The time now, in UTC: every time minitwit stores is UTC."""
    return datetime.now(timezone.utc)


#: Who follows whom: one row per pair, however often "Follow" is clicked.
follower = Table(
    "follower",
    Model.metadata,
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
)


class User(UserMixin, Model):
    """An account (``user`` is a reserved word in PostgreSQL)."""

    __tablename__ = "account"
    id: Mapped[int] = column(primary_key=True)
    username: Mapped[str] = column(String(USERNAME_MAX_LENGTH))
    email: Mapped[str] = column(String(EMAIL_MAX_LENGTH))
    pw_hash: Mapped[str] = column(String(255))
    #: Stands for the user in their sessions; a new one ends them all.
    session_token: Mapped[str] = column(String(64), unique=True)
    confirmed_at: Mapped[datetime | None] = column(DateTime(timezone=True))
    created: Mapped[datetime] = column(
        DateTime(timezone=True), default=utc_now
    )
    messages: WriteOnlyMapped[Message] = relationship(
        back_populates="author", passive_deletes=True
    )
    following: WriteOnlyMapped[User] = relationship(
        secondary=follower,
        primaryjoin=lambda: follower.c.who_id == User.id,
        secondaryjoin=lambda: follower.c.whom_id == User.id,
        passive_deletes=True,
    )
    #: Each UPDATE of an account checks that its session token is still the
    #: one read: of two tabs changing the password at once, one fails.
    __mapper_args__ = {
        "version_id_col": session_token,
        "version_id_generator": False,
    }

    @classmethod
    def named(cls, username: str) -> User | None:
        """The user called ``username``, in any case, or ``None``."""
        if "\x00" in username:  # PostgreSQL refuses it; no name has it
            return None
        query = select(cls).where(func.lower(cls.username) == username.lower())
        return db.session.scalar(query)

    def set_password(self, password: str) -> None:
        """Hash ``password``; end every session that used the old one."""
        method = current_app.config["PASSWORD_HASH_METHOD"]
        self.pw_hash = generate_password_hash(password, method=method)
        self.session_token = secrets.token_urlsafe(32)

    def check_password(self, password: str) -> bool:
        """Whether ``password`` is this user's."""
        return check_password_hash(self.pw_hash, password)

    def get_id(self) -> str:
        """The session's login: this user's token, the time, a nonce."""
        now = int(time.time())
        return f"{self.session_token}.{now}.{secrets.token_hex(8)}"

    @property
    def avatar(self) -> str:
        """The URL of this user's picture (see ``avatars.py``)."""
        address = self.email.lower().encode()
        if current_app.config["AVATARS"] == "gravatar":
            digest = hashlib.sha256(address).hexdigest()
            return f"https://www.gravatar.com/avatar/{digest}?d=identicon"
        key = current_app.config["SECRET_KEY"].encode()
        digest = hmac.new(key, address, hashlib.sha256).hexdigest()[:32]
        return url_for("avatar", digest=digest)

    def is_following(self, user: User) -> bool:
        """Whether this user follows ``user``."""
        query = self.following.select().where(User.id == user.id)
        return db.session.scalar(query) is not None

    def follow(self, user: User) -> None:
        """See ``user``'s messages at home from now on."""
        self.following.add(user)

    def unfollow(self, user: User) -> None:
        """Stop seeing ``user``'s messages at home."""
        mine = (follower.c.who_id == self.id) & (follower.c.whom_id == user.id)
        db.session.execute(delete(follower).where(mine))


class Message(Model):
    """A message: who wrote it, what it says, when."""

    __tablename__ = "message"
    id: Mapped[int] = column(primary_key=True)
    author_id: Mapped[int] = column(
        ForeignKey("account.id", ondelete="CASCADE")
    )
    text: Mapped[str] = column(String(MESSAGE_MAX_LENGTH))
    pub_date: Mapped[datetime] = column(
        DateTime(timezone=True), default=utc_now
    )
    #: Read with the message, in the same query.
    author: Mapped[User] = relationship(
        back_populates="messages", lazy="joined", innerjoin=True
    )


@login_manager.user_loader
def load_user(login_id: str) -> User | None:
    """The user of a login; ``None`` once it has ended or is too old."""
    token, _, rest = login_id.partition(".")
    issued = rest.partition(".")[0]
    lifetime = current_app.config["REMEMBER_COOKIE_DURATION"]
    if not issued.isdigit() or time.time() - int(issued) > lifetime:
        return None
    return db.session.scalar(select(User).where(User.session_token == token))

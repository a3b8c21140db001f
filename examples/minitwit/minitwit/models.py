"""minitwit's data as SQLAlchemy models: accounts, follows and messages.

Each class is a table, each ``Mapped[...]`` attribute a column. The models
carry what a user does (``user.set_password()``, ``user.follow()``), so
the views stay short. The indexes that keep every page fast live in
``database.py``.

After changing a model, write the migration that brings every database
along: ``flask --app minitwit db migrate -m "what changed"``, read it, then
``flask --app minitwit db upgrade``.
"""

from __future__ import annotations

import secrets
import time
import unicodedata
from datetime import datetime
from typing import Any

from flask import current_app
from flask_login import LoginManager, UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    MetaData,
    String,
    Table,
    delete,
    event,
    func,
    select,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    WriteOnlyMapped,
    registry,
    relationship,
)
from sqlalchemy.orm import mapped_column as column
from werkzeug.security import check_password_hash, generate_password_hash

#: The longest username, address and message the tables take.
USERNAME_MAX_LENGTH = 30
EMAIL_MAX_LENGTH = 254
MESSAGE_MAX_LENGTH = 280
#: Deleting an account deletes its messages and follows with it.
CASCADE: dict[str, Any] = {"ondelete": "CASCADE"}


class Model(DeclarativeBase):
    """The models' base: times in UTC, constraints named alike."""

    registry = registry(
        type_annotation_map={datetime: DateTime(timezone=True)},
        metadata=MetaData(
            naming_convention={
                "pk": "pk_%(table_name)s",
                "fk": "fk_%(table_name)s_%(column_0_name)s",
                "uq": "uq_%(table_name)s_%(column_0_N_name)s",
                "ck": "ck_%(table_name)s_%(constraint_name)s",
            }
        ),
    )


db = SQLAlchemy(model_class=Model)
login_manager = LoginManager()

#: Who follows whom: one row per pair, however often "Follow" is clicked.
follower = Table(
    "follower",
    Model.metadata,
    Column("who_id", ForeignKey("account.id", **CASCADE), primary_key=True),
    Column("whom_id", ForeignKey("account.id", **CASCADE), primary_key=True),
    CheckConstraint("who_id <> whom_id", name="not_self"),
)


class User(UserMixin, Model):
    """An account (``user`` is a reserved word in PostgreSQL)."""

    __tablename__ = "account"
    id: Mapped[int] = column(primary_key=True)
    username: Mapped[str] = column(String(USERNAME_MAX_LENGTH))
    email: Mapped[str] = column(String(EMAIL_MAX_LENGTH))
    email_key: Mapped[str]  # what lookups compare: email_key(email)
    pw_hash: Mapped[str] = column(String(255))
    #: Stands for the user in their sessions; a new one ends them all.
    session_token: Mapped[str] = column(String(64), unique=True)
    confirmed_at: Mapped[datetime | None]
    created: Mapped[datetime] = column(default=func.now())
    display_name: Mapped[str | None]  # ProfileForm says how long
    about: Mapped[str | None]
    avatar_name: Mapped[str | None]  # a file in AVATAR_FOLDER (pictures.py)
    suspended: Mapped[str | None]  # why, if a moderator suspended it
    messages: WriteOnlyMapped[Message] = relationship(
        back_populates="author", passive_deletes=True
    )
    following: WriteOnlyMapped[User] = relationship(
        secondary=follower,
        primaryjoin=lambda: follower.c.who_id == User.id,
        secondaryjoin=lambda: follower.c.whom_id == User.id,
        passive_deletes=True,
    )
    #: Each change to an account fails if its token changed since read.
    __mapper_args__ = {  # noqa: RUF012 (SQLAlchemy reads it, once)
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
        """What a login keeps: this user's token and the time."""
        return f"{self.session_token}.{int(time.time())}"

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
    author_id: Mapped[int] = column(ForeignKey("account.id", **CASCADE))
    text: Mapped[str] = column(String(MESSAGE_MAX_LENGTH))
    pub_date: Mapped[datetime] = column(default=func.now())
    hidden: Mapped[str | None]  # "moderator", or "suspension" of its author
    author: Mapped[User] = relationship(  # read with it, in the same query
        back_populates="messages", lazy="joined", innerjoin=True
    )


def email_key(address: str) -> str:
    """An address as lookups compare it: NFKC, case-folded (É is é)."""
    return unicodedata.normalize("NFKC", address.strip()).casefold()


@event.listens_for(User.email, "set")
def keep_email_key(user: User, email: str, *_: object) -> None:
    """Give ``user`` the key of each address it gets."""
    user.email_key = email_key(email)


@login_manager.user_loader
def load_user(login_id: str) -> User | None:
    """The user of a login; ``None`` once it has ended or is too old."""
    token, _, issued = login_id.partition(".")
    lifetime = current_app.config["REMEMBER_COOKIE_DURATION"]
    if not issued.isdigit() or time.time() - int(issued) > lifetime:
        return None
    return db.session.scalar(select(User).where(User.session_token == token))

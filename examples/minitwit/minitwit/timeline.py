"""The timelines, posting a message, following and unfollowing.

``/`` is your own messages and those of the people you follow, ``/public``
everyone's, ``/<username>`` one person's. Each is a page of ``PER_PAGE``
messages, newest first, found by position (``pagination.py``) and read
with one index range per author (see the indexes in ``models.py``).

Posting and (un)following change data, so they are POST only, need a
logged-in user with a confirmed address, and carry a CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import (
    Select,
    Subquery,
    delete,
    insert,
    literal,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from minitwit.extensions import db
from minitwit.forms import MessageForm
from minitwit.models import Message, User, follower
from minitwit.pagination import Position, Reader, read_page
from minitwit.users import get_user_by_name

bp = Blueprint("timeline", __name__)


def get_user_or_404(username: str) -> User:
    """Return the user called ``username``, or answer 404 with the reason."""
    user = get_user_by_name(username)
    if user is None:
        abort(404, description=f"There is no user called {username!r}.")
    return user


def next_to(
    query: Select, position: Position | None, newer: bool, limit: int
) -> Select:
    """``query`` cut to the ``limit`` messages next to ``position``.

    Older messages come newest first; with ``newer``, the newer ones come
    oldest first. The (date, id) pair is compared as one value, which lets
    the database read it as one range of an index. ``id`` breaks ties
    between messages of the same instant.
    """
    if position is not None:
        key = tuple_(Message.pub_date, Message.id)
        bound = tuple_(
            literal(position.pub_date, Message.pub_date.type),
            literal(position.id, Message.id.type),
        )
        query = query.where(key > bound if newer else key < bound)
    if newer:
        order = (Message.pub_date.asc(), Message.id.asc())
    else:
        order = (Message.pub_date.desc(), Message.id.desc())
    return query.order_by(*order).limit(limit)


def with_authors() -> Select[Any]:
    """Messages with their author, loaded in the same query."""
    return select(Message).options(joinedload(Message.author, innerjoin=True))


def public_messages(
    position: Position | None, newer: bool, limit: int
) -> list[Message]:
    """Everyone's messages: one range of the (date, id) index."""
    query = next_to(with_authors(), position, newer, limit)
    return list(db.session.scalars(query))


def user_messages(user_id: int) -> Reader:
    """One user's messages: one range of the (author, date, id) index."""

    def read(
        position: Position | None, newer: bool, limit: int
    ) -> list[Message]:
        query = with_authors().where(Message.author_id == user_id)
        query = next_to(query, position, newer, limit)
        return list(db.session.scalars(query))

    return read


def home_authors(user_id: int) -> Subquery:
    """The user and everyone they follow: one range of the primary key."""
    return union_all(
        select(literal(user_id).label("author_id")),
        select(follower.c.whom_id).where(follower.c.who_id == user_id),
    ).subquery("home_author")


def newest_of_each(
    user_id: int,
    position: Position | None,
    newer: bool,
    limit: int,
    lateral: bool,
) -> Select[Any]:
    """The ids of the next ``limit`` messages of the user and those followed.

    For each author, the database reads at most ``limit`` rows of one range
    of the (author, date, id) index, then keeps the ``limit`` next of them
    all. The cost grows with the number of authors, never with how much
    they wrote. With ``lateral`` (PostgreSQL), "for each author" is a
    ``LATERAL`` join. SQLite has no ``LATERAL``: it runs the same subquery
    once per author to find the message ids a join may use.
    """
    author = home_authors(user_id)
    shown = aliased(Message)  # the messages kept, apart from the subquery's
    in_range = select(Message.id, Message.pub_date).where(
        Message.author_id == author.c.author_id
    )
    in_range = next_to(in_range, position, newer, limit)
    key: tuple[Any, Any]  # the (date, id) columns to order the result by
    if lateral:
        each = in_range.lateral("in_range")
        query = select(each.c.id).select_from(author)
        query = query.join(each, true())
        key = (each.c.pub_date, each.c.id)
    else:
        query = select(shown.id).select_from(author)
        ids = in_range.with_only_columns(Message.id)
        query = query.join(shown, shown.id.in_(ids))
        key = (shown.pub_date, shown.id)
    if newer:
        order = (key[0].asc(), key[1].asc())
    else:
        order = (key[0].desc(), key[1].desc())
    return query.order_by(*order).limit(limit)


def home_messages(user_id: int) -> Reader:
    """The messages of the user and of everyone they follow."""

    def read(
        position: Position | None, newer: bool, limit: int
    ) -> list[Message]:
        lateral = db.session.get_bind().dialect.name == "postgresql"
        query = newest_of_each(user_id, position, newer, limit, lateral)
        ids = list(db.session.scalars(query))
        # Fetch the messages by primary key, in the timeline's order.
        query = with_authors().where(Message.id.in_(ids))
        query = next_to(query, None, newer, limit)
        return list(db.session.scalars(query))

    return read


def is_following(user: User, other: User) -> bool:
    """Whether ``user`` follows ``other``: one lookup of the primary key."""
    query = user.following.select().where(User.id == other.id)
    return db.session.scalar(query) is not None


def confirmed_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator: only a logged-in user with a confirmed address may go on."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.confirmed:
            flash(
                "Confirm your email address first: "
                "follow the link we mailed you.",
                "error",
            )
            return redirect(url_for("timeline.home"))
        return view(*args, **kwargs)

    return wrapped


@bp.get("/")
def home():
    """Your messages and those you follow; the public page if logged out."""
    if not current_user.is_authenticated:
        return redirect(url_for("timeline.public"))
    return render_home(MessageForm())


def render_home(form: MessageForm):
    """Show the home timeline with the message form (and its errors)."""
    page = read_page(home_messages(current_user.id))
    status = 400 if form.errors else 200
    return render_template(
        "timeline.html", kind="home", page=page, form=form
    ), status


@bp.get("/public")
def public():
    """Everyone's messages, newest first."""
    page = read_page(public_messages)
    return render_template("timeline.html", kind="public", page=page)


@bp.get("/<username:username>")
def user_timeline(username: str):
    """One person's messages, with a follow or unfollow button."""
    profile = get_user_or_404(username)
    followed = current_user.is_authenticated and is_following(
        current_user, profile
    )
    page = read_page(user_messages(profile.id))
    return render_template(
        "timeline.html",
        kind="user",
        page=page,
        profile=profile,
        followed=followed,
    )


@bp.post("/<username:username>/follow")
@confirmed_required
def follow(username: str):
    """Add ``username`` to the people whose messages you see at home."""
    whom = get_user_or_404(username)
    if whom.id == current_user.id:
        flash("You cannot follow yourself.", "error")
    else:
        if not is_following(current_user, whom):
            try:
                db.session.execute(
                    insert(follower).values(
                        who_id=current_user.id, whom_id=whom.id
                    )
                )
                db.session.commit()
            except IntegrityError:
                # A second click won the race: the primary key kept one row.
                db.session.rollback()
        flash(f"You are now following {whom.username}.", "success")
    return redirect(url_for("timeline.user_timeline", username=whom.username))


@bp.post("/<username:username>/unfollow")
@confirmed_required
def unfollow(username: str):
    """Stop seeing ``username``'s messages at home."""
    whom = get_user_or_404(username)
    db.session.execute(
        delete(follower).where(
            follower.c.who_id == current_user.id,
            follower.c.whom_id == whom.id,
        )
    )
    db.session.commit()
    flash(f"You are no longer following {whom.username}.", "success")
    return redirect(url_for("timeline.user_timeline", username=whom.username))


@bp.post("/add_message")
@confirmed_required
def add_message():
    """Post a message, or show the home page again with what is wrong."""
    form = MessageForm()
    if not form.validate_on_submit():
        return render_home(form)
    db.session.add(Message(author_id=current_user.id, text=form.text.data))
    db.session.commit()
    flash("Your message was recorded.", "success")
    return redirect(url_for("timeline.home"))

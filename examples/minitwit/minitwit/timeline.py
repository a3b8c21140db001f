"""The timelines, posting a message, following and unfollowing.

``/`` is your own messages and those of the people you follow, ``/public``
everyone's, ``/<username>`` one person's. Each is a page of ``PER_PAGE``
messages, newest first, found by position (``pagination.py``) and read
with short ranges of an index (see the indexes in ``models.py``).

Posting and (un)following change data, so they are POST only, need a
logged-in user with a confirmed address, and carry a CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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

from minitwit.avatars import avatar_url
from minitwit.extensions import db
from minitwit.forms import MessageForm
from minitwit.models import Message, User, follower
from minitwit.pagination import Page, Position, Reader, read_page
from minitwit.users import get_user_by_name

bp = Blueprint("timeline", __name__)

#: Second names for the message table, for the home timeline's queries,
#: whose subqueries read the table itself. Made once: a new alias costs
#: Python time on the first use of each of its columns.
head = aliased(Message, name="head")
shown = aliased(Message, name="shown")


def get_user_or_404(username: str) -> User:
    """Return the user called ``username``, or answer 404 with the reason."""
    user = get_user_by_name(username)
    if user is None:
        abort(404, description=f"There is no user called {username!r}.")
    return user


def next_to(
    query: Select,
    position: Position | None,
    newer: bool,
    limit: int,
    until: Position | None = None,
) -> Select:
    """``query`` cut to the ``limit`` messages next to ``position``.

    Older messages come newest first; with ``newer``, the newer ones come
    oldest first. The (date, id) pair is compared as one value, which lets
    the database read it as one range of an index. ``id`` breaks ties
    between messages of the same instant. With ``until``, the range stops
    at that position (included).
    """
    key = tuple_(Message.pub_date, Message.id)
    if position is not None:
        start = as_key(position)
        query = query.where(key > start if newer else key < start)
    if until is not None:
        end = as_key(until)
        query = query.where(key <= end if newer else key >= end)
    order = in_order(Message.pub_date, Message.id, newer)
    return query.order_by(*order).limit(limit)


def in_order(pub_date: Any, id: Any, newer: bool) -> tuple[Any, Any]:
    """Order by (date, id): newest first, or oldest first with ``newer``."""
    if newer:
        return pub_date.asc(), id.asc()
    return pub_date.desc(), id.desc()


def as_key(position: Position) -> Any:
    """``position`` as a (date, id) value the database can compare."""
    return tuple_(
        literal(position.pub_date, Message.pub_date.type),
        literal(position.id, Message.id.type),
    )


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
    """One user's messages: one range of the (author, date, id) index.

    No join to their account: the view loaded it, and SQLAlchemy finds it
    in the session for ``message.author`` without a query.
    """

    def read(
        position: Position | None, newer: bool, limit: int
    ) -> list[Message]:
        query = select(Message).where(Message.author_id == user_id)
        query = next_to(query, position, newer, limit)
        return list(db.session.scalars(query))

    return read


def home_authors(user_id: int) -> Subquery:
    """The user and everyone they follow: one range of the primary key."""
    return union_all(
        select(literal(user_id).label("author_id")),
        select(follower.c.whom_id).where(follower.c.who_id == user_id),
    ).subquery("home_author")


def next_of_each(
    user_id: int,
    position: Position | None,
    newer: bool,
    limit: int,
    lateral: bool,
) -> Select:
    """Step 1: the ``limit`` nearest of each author's next message.

    For each author (the user and everyone they follow), the database
    reads one entry of the (author, date, id) index: their message just
    past ``position``. It keeps the (date, id) of the ``limit`` nearest.
    The cost grows with the number of authors, nothing else. PostgreSQL
    reads the entry with a ``LATERAL`` join; SQLite finds its id with a
    subquery, then the message by its primary key.
    """
    author = home_authors(user_id)
    nearest = select(Message.id, Message.pub_date).where(
        Message.author_id == author.c.author_id
    )
    nearest = next_to(nearest, position, newer, 1)
    if lateral:
        each = nearest.lateral("nearest")
        query = select(each.c.pub_date, each.c.id).select_from(author)
        query = query.join(each, true())
        order = in_order(each.c.pub_date, each.c.id, newer)
    else:
        head_id = nearest.with_only_columns(Message.id).correlate(author)
        query = select(head.pub_date, head.id).select_from(author)
        query = query.join(head, head.id == head_id.scalar_subquery())
        order = in_order(head.pub_date, head.id, newer)
    return query.order_by(*order).limit(limit)


def newest_of_each(
    user_id: int,
    position: Position | None,
    until: Position | None,
    newer: bool,
    limit: int,
    lateral: bool,
) -> Select[Any]:
    """Step 2: the next ``limit`` messages of the user and those followed.

    For each author, the database reads at most ``limit`` rows of one
    range of the (author, date, id) index, from ``position`` to ``until``
    (included), then keeps the ``limit`` next of them all. With ``lateral``
    (PostgreSQL), "for each author" is a ``LATERAL`` join. SQLite has no
    ``LATERAL``: it runs the same subquery once per author to find the
    message ids a join may use.
    """
    author = home_authors(user_id)
    in_range = select(Message.id, Message.pub_date).where(
        Message.author_id == author.c.author_id
    )
    in_range = next_to(in_range, position, newer, limit, until)
    query = select(shown).select_from(author)
    if lateral:
        each = in_range.lateral("in_range")
        query = query.join(each, true()).join(shown, shown.id == each.c.id)
    else:
        ids = in_range.with_only_columns(Message.id).correlate(author)
        query = query.join(shown, shown.id.in_(ids))
    query = query.options(joinedload(shown.author, innerjoin=True))
    order = in_order(shown.pub_date, shown.id, newer)
    return query.order_by(*order).limit(limit)


def home_messages(user_id: int) -> Reader:
    """The messages of the user and of everyone they follow, in two steps.

    Step 1 finds each author's next message and keeps the ``limit``
    nearest: the farthest of those is a bound the page cannot pass. Step 2
    reads each author's messages up to that bound, at most ``limit`` each:
    none at all for the authors whose next message lies past it.
    """

    def read(
        position: Position | None, newer: bool, limit: int
    ) -> list[Message]:
        lateral = db.session.get_bind().dialect.name == "postgresql"
        query = next_of_each(user_id, position, newer, limit, lateral)
        heads = db.session.execute(query).all()
        if not heads:
            return []
        if limit == 1:  # read_page asks if there is more: step 1 knows
            return [db.session.get_one(Message, heads[0].id)]
        # Fewer than ``limit`` authors have messages left: no bound.
        until: Position | None = None
        if len(heads) == limit:
            until = Position(heads[-1].pub_date, heads[-1].id)
        query = newest_of_each(user_id, position, until, newer, limit, lateral)
        return list(db.session.scalars(query))

    return read


@dataclass(frozen=True)
class Author:
    """What a timeline shows of a message's author."""

    username: str
    #: Their page, and their picture (see ``avatars.py``).
    url: str
    avatar: str


def authors_of(messages: list[Message]) -> dict[int, Author]:
    """The name, page and picture of each author on a page, by their id.

    Many messages on a page share an author: each author's two links are
    built once, not once per message (``url_for`` and the avatar's HMAC
    were a third of the time of a page).
    """
    authors: dict[int, Author] = {}
    for message in messages:
        if message.author_id not in authors:
            name = message.author.username
            authors[message.author_id] = Author(
                name,
                url_for("timeline.user_timeline", username=name),
                avatar_url(message.author.email),
            )
    return authors


def render_timeline(kind: str, page: Page, **context: Any) -> str:
    """Show ``page`` of the timeline ``kind``: home, public or user."""
    return render_template(
        "timeline.html",
        kind=kind,
        page=page,
        authors=authors_of(page.messages),
        **context,
    )


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
    return render_timeline("home", page, form=form), status


@bp.get("/public")
def public():
    """Everyone's messages, newest first."""
    page = read_page(public_messages)
    return render_timeline("public", page)


@bp.get("/<username:username>")
def user_timeline(username: str):
    """One person's messages, with a follow or unfollow button."""
    profile = get_user_or_404(username)
    followed = current_user.is_authenticated and is_following(
        current_user, profile
    )
    page = read_page(user_messages(profile.id))
    return render_timeline("user", page, profile=profile, followed=followed)


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

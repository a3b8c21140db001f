"""The timelines, posting a message, following and unfollowing.

``/`` is your own messages and those of the people you follow, ``/public``
everyone's, ``/<username>`` one person's. Each is a page of ``PER_PAGE``
messages, newest first, read with one index range per author (see the
indexes in ``models.py``).

Posting and (un)following change data, so they are POST only, need a
logged-in user with a confirmed address, and carry a CSRF token.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, delete, insert, literal, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from minitwit.extensions import db
from minitwit.forms import MessageForm
from minitwit.models import Message, User, follower
from minitwit.users import get_user_by_name

bp = Blueprint("timeline", __name__)

#: A page number: digits, no sign, no leading zero, not absurdly large.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def get_user_or_404(username: str) -> User:
    """Return the user called ``username``, or answer 404 with the reason."""
    user = get_user_by_name(username)
    if user is None:
        abort(404, description=f"There is no user called {username!r}.")
    return user


def timeline() -> Select[tuple[Message]]:
    """Every message with its author, newest first.

    ``id`` breaks ties between messages of the same instant, so every
    message has one place in the order and no page repeats or skips one.
    """
    return (
        select(Message)
        .options(joinedload(Message.author, innerjoin=True))
        .order_by(Message.pub_date.desc(), Message.id.desc())
    )


def user_messages(user_id: int) -> Select[tuple[Message]]:
    """One user's messages: one range of the (author, date) index."""
    return timeline().where(Message.author_id == user_id)


def home_messages(user_id: int) -> Select[tuple[Message]]:
    """The messages of the user and of everyone they follow."""
    authors = union_all(
        select(literal(user_id)),
        select(follower.c.whom_id).where(follower.c.who_id == user_id),
    )
    return timeline().where(Message.author_id.in_(authors))


def page_number() -> int:
    """Read ``?page=`` from the query string; 404 if it is not a number."""
    raw = request.args.get("page", "1")
    if not PAGE_NUMBER.fullmatch(raw):
        abort(404)
    return int(raw)


def paginate(messages: Select[tuple[Message]]) -> Pagination:
    """One page of ``messages``; 404 past the last page.

    Flask-SQLAlchemy counts the rows (for "Page 2 of 5"), then fetches one
    page with ``LIMIT`` and ``OFFSET``.
    """
    return db.paginate(
        messages,
        page=page_number(),
        per_page=current_app.config["PER_PAGE"],
        error_out=True,
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
    page = paginate(home_messages(current_user.id))
    status = 400 if form.errors else 200
    return render_template(
        "timeline.html", kind="home", page=page, form=form
    ), status


@bp.get("/public")
def public():
    """Everyone's messages, newest first."""
    page = paginate(timeline())
    return render_template("timeline.html", kind="public", page=page)


@bp.get("/<username:username>")
def user_timeline(username: str):
    """One person's messages, with a follow or unfollow button."""
    profile = get_user_or_404(username)
    followed = current_user.is_authenticated and is_following(
        current_user, profile
    )
    page = paginate(user_messages(profile.id))
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

"""The timelines, posting a message, following and unfollowing.

``/`` is your own messages and those of the people you follow, ``/public``
everyone's, ``/<username>`` one person's. Each is a page of ``PER_PAGE``
messages, newest first, read with one index range per author (see the
indexes in ``schema.sql``).

Posting and (un)following change data, so they are POST only, need a
logged-in user with a confirmed address, and carry a CSRF token.
"""

from __future__ import annotations

import sqlite3
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
    url_for,
)
from flask_login import current_user, login_required

from minitwit.forms import MessageForm
from minitwit.users import get_user_by_name
from minitwit.db import get_db
from minitwit.pagination import Page, paginate
from showcase.timefmt import utc_now_iso

bp = Blueprint("timeline", __name__)


def get_user_or_404(username: str) -> sqlite3.Row:
    """Return the user called ``username``, or answer 404 Not Found with a clear reason."""
    user = get_user_by_name(username)
    if user is None:
        abort(404, description=f"There is no user called {username!r}.")
    return user


# [timeline-sql]
#: Each timeline is a COUNT (for the page links) and one page of messages,
#: newest first; message_id breaks ties between messages of the same second.
PUBLIC_COUNT = "SELECT COUNT(*) FROM message"
PUBLIC_PAGE = """
    SELECT message.message_id, message.text, message.pub_date, user.username, user.email
    FROM message JOIN user ON user.user_id = message.author_id
    ORDER BY message.pub_date DESC, message.message_id DESC LIMIT ? OFFSET ?"""

USER_COUNT = "SELECT COUNT(*) FROM message WHERE author_id = ?"
USER_PAGE = """
    SELECT message.message_id, message.text, message.pub_date, user.username, user.email
    FROM message JOIN user ON user.user_id = message.author_id
    WHERE message.author_id = ?
    ORDER BY message.pub_date DESC, message.message_id DESC LIMIT ? OFFSET ?"""

#: The authors of the home timeline: you (the first ?), then everyone you
#: follow (a range of the follower table's primary key).
HOME_COUNT = """
    SELECT COUNT(*) FROM message WHERE author_id IN (
        SELECT ? UNION ALL SELECT whom_id FROM follower WHERE who_id = ?)"""
HOME_PAGE = """
    SELECT message.message_id, message.text, message.pub_date, user.username, user.email
    FROM message JOIN user ON user.user_id = message.author_id
    WHERE message.author_id IN (
        SELECT ? UNION ALL SELECT whom_id FROM follower WHERE who_id = ?)
    ORDER BY message.pub_date DESC, message.message_id DESC LIMIT ? OFFSET ?"""
# [/timeline-sql]


def timeline_page(
    count_sql: str, page_sql: str, args: tuple[Any, ...] = ()
) -> Page:
    """Count the timeline's messages, then fetch the page ``?page=`` asks for."""
    db = get_db()
    count = db.execute(count_sql, args).fetchone()[0]
    return paginate(
        count,
        current_app.config["PER_PAGE"],
        lambda limit, offset: db.execute(
            page_sql, (*args, limit, offset)
        ).fetchall(),
    )


# [confirmed-required]
def confirmed_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator: only a logged-in user with a confirmed address may go on."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.confirmed:
            flash(
                "Confirm your email address first: follow the link we mailed you.",
                "error",
            )
            return redirect(url_for("timeline.home"))
        return view(*args, **kwargs)

    return wrapped


# [/confirmed-required]


# [home]
@bp.get("/")
def home():
    """Your messages and those of the people you follow; the public page if logged out."""
    if not current_user.is_authenticated:
        return redirect(url_for("timeline.public"))
    return render_home(MessageForm())


def render_home(form: MessageForm):
    """Show the home timeline with the message form (and its errors, if any)."""
    page = timeline_page(
        HOME_COUNT, HOME_PAGE, (current_user.id, current_user.id)
    )
    status = 400 if form.errors else 200
    return render_template(
        "timeline.html", kind="home", page=page, form=form
    ), status


# [/home]


@bp.get("/public")
def public():
    """Everyone's messages, newest first."""
    page = timeline_page(PUBLIC_COUNT, PUBLIC_PAGE)
    return render_template("timeline.html", kind="public", page=page)


# [user-timeline]
@bp.get("/<username:username>")
def user_timeline(username: str):
    """One person's messages, with a follow or unfollow button; 404 if unknown."""
    profile = get_user_or_404(username)
    followed = current_user.is_authenticated and (
        get_db()
        .execute(
            "SELECT 1 FROM follower WHERE who_id = ? AND whom_id = ?",
            (current_user.id, profile["user_id"]),
        )
        .fetchone()
        is not None
    )
    page = timeline_page(USER_COUNT, USER_PAGE, (profile["user_id"],))
    return render_template(
        "timeline.html",
        kind="user",
        page=page,
        profile=profile,
        followed=followed,
    )


# [/user-timeline]


# [follow]
@bp.post("/<username:username>/follow")
@confirmed_required
def follow(username: str):
    """Add ``username`` to the people whose messages you see at home."""
    whom = get_user_or_404(username)
    if whom["user_id"] == current_user.id:
        flash("You cannot follow yourself.", "error")
    else:
        # The primary key (who_id, whom_id) keeps one row however often you click.
        get_db().execute(
            "INSERT OR IGNORE INTO follower (who_id, whom_id) VALUES (?, ?)",
            (current_user.id, whom["user_id"]),
        )
        flash(f"You are now following {whom['username']}.", "success")
    return redirect(
        url_for("timeline.user_timeline", username=whom["username"])
    )


@bp.post("/<username:username>/unfollow")
@confirmed_required
def unfollow(username: str):
    """Stop seeing ``username``'s messages at home."""
    whom = get_user_or_404(username)
    get_db().execute(
        "DELETE FROM follower WHERE who_id = ? AND whom_id = ?",
        (current_user.id, whom["user_id"]),
    )
    flash(f"You are no longer following {whom['username']}.", "success")
    return redirect(
        url_for("timeline.user_timeline", username=whom["username"])
    )


# [/follow]


# [add-message]
@bp.post("/add_message")
@confirmed_required
def add_message():
    """Post a message, or show the home page again with what is wrong with it."""
    form = MessageForm()
    if not form.validate_on_submit():
        return render_home(form)
    get_db().execute(
        "INSERT INTO message (author_id, text, pub_date) VALUES (?, ?, ?)",
        (current_user.id, form.text.data, utc_now_iso()),
    )
    flash("Your message was recorded.", "success")
    return redirect(url_for("timeline.home"))


# [/add-message]

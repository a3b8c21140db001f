"""The timelines, posting a message, following and unfollowing.

``/`` shows your messages and those of the people you follow, ``/public``
everyone's, ``/<username>`` one person's: ``PER_PAGE`` messages a page,
newest first. The "Older" and "Newer" links carry the position of the last
or first message shown, so each page is one range of an index however
many messages there are (see the chapter's "Pagination" step).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

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
from sqlalchemy import (
    Select,
    func,
    literal,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.exc import IntegrityError

from minitwit.forms import MessageForm
from minitwit.models import Message, User, db, follower

bp = Blueprint("timeline", __name__)

#: A position as the links write it: a message's date (UTC, to the
#: microsecond), then its id: ``2026-02-01T10:05:00.000000Z.42``.
POSITION = re.compile(r"([0-9-]{10}T[0-9:]{8}\.[0-9]{6})Z\.([1-9][0-9]{0,17})")
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"
NOT_OURS = "That is not a position in this timeline."


@dataclass
class Window:
    """The messages a page shows: the next ones past a position."""

    position: tuple[datetime, int] | None = None  # None: the newest
    newer: bool = False  # the messages newer than the position (?after=)

    @classmethod
    def asked(cls) -> Window:
        """The window ``?before=`` or ``?after=`` asks for; 400 if not ours."""
        args = request.args
        if "before" in args and "after" in args:
            abort(400, "Ask for messages before a position or after it.")
        text = args.get("after", args.get("before"))
        if text is None:
            return cls()
        match = POSITION.fullmatch(text) or abort(400, NOT_OURS)
        try:
            date = datetime.strptime(match[1], DATE_FORMAT)
        except ValueError:  # a day that does not exist: 2026-02-30
            abort(400, NOT_OURS)
        return cls((date, int(match[2])), newer="after" in args)

    def cut(self, query: Select) -> Select:
        """``query`` cut to the window: a page and one more, nearest first."""
        key = tuple_(Message.pub_date, Message.id)
        query = query.where(Message.hidden.is_(None))  # nothing hidden
        if self.position:
            older, newer = key < self.position, key > self.position
            query = query.where(newer if self.newer else older)
        order = [c.asc() if self.newer else c.desc() for c in key.clauses]
        return query.order_by(*order).limit(current_app.config["PER_PAGE"] + 1)


def render_timeline(template: str, window: Window, query: Select, **context):
    """Show the page of ``query`` in ``window``, with Older and Newer links."""
    here = {"endpoint": request.endpoint, **(request.view_args or {})}
    if "page" in request.args:  # a page number, from an older minitwit
        return redirect(url_for(**here), 301)
    messages = list(db.session.scalars(window.cut(query)))
    per_page = current_app.config["PER_PAGE"]
    more, messages = len(messages) > per_page, messages[:per_page]
    if window.newer and not more:  # the newest: the first page has them
        return redirect(url_for(**here))
    if window.newer:
        messages.reverse()
    elif window.position and not messages:
        abort(404, "There are no older messages in this timeline.")
    links = {}
    if more or window.newer:
        links["older"] = url_for(**here, before=position_of(messages[-1]))
    if window.position:
        links["newer"] = url_for(**here, after=position_of(messages[0]))
    return render_template(template, messages=messages, **links, **context)


def position_of(message: Message) -> str:
    """Where ``message`` sits in a timeline, as the links write it."""
    return f"{message.pub_date:{DATE_FORMAT}}Z.{message.id}"


def followed_messages(user: User, window: Window) -> Select:
    """The messages of ``user`` and of those they follow, in ``window``."""
    author = union_all(
        select(literal(user.id).label("id")),
        select(follower.c.whom_id).where(follower.c.who_id == user.id),
    ).cte("author")
    # Each author's messages are one range of the (author, date) index,
    # which ends at the farthest of their next page: no more of theirs can
    # be on this page, however many they wrote.
    theirs = select(Message.pub_date).where(Message.author_id == author.c.id)
    next_page = window.cut(theirs.correlate(author)).subquery().c.pub_date
    farthest = func.max(next_page) if window.newer else func.min(next_page)
    edge, date = select(farthest).scalar_subquery(), Message.pub_date
    in_reach = date <= edge if window.newer else date >= edge
    # The page's ids first, from the index alone; then only their rows.
    ids = select(Message.id).join(author, Message.author_id == author.c.id)
    return select(Message).where(
        Message.id.in_(window.cut(ids.where(in_reach)))
    )


@bp.get("/")
def home():
    """Your messages and those you follow; the public page if logged out."""
    if not current_user.is_authenticated:
        return redirect(url_for("timeline.public"))
    window = Window.asked()
    query = followed_messages(current_user, window)
    return render_timeline("home.html", window, query, form=MessageForm())


@bp.get("/public")
def public():
    """Everyone's messages."""
    return render_timeline("public.html", Window.asked(), select(Message))


@bp.get("/<username:username>")
def user_timeline(username: str):
    """One person's messages, with a button to follow or unfollow them."""
    profile = User.named(username) or abort(404, f"No user {username!r}.")
    query = profile.messages.select()
    return render_timeline(
        "user_timeline.html", Window.asked(), query, profile=profile
    )


def confirmed_required(view):
    """Let only a logged-in user with a confirmed address go on."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.confirmed_at:
            flash(
                "Confirm your address first: open the link we mailed.", "error"
            )
            return redirect(url_for("timeline.home"))
        return view(*args, **kwargs)

    return wrapped


@bp.post("/add_message")
@confirmed_required
def add_message():
    """Post a message, or show the form again with what is wrong."""
    form = MessageForm()
    if not form.validate_on_submit():
        return render_template("add_message.html", form=form), 400
    db.session.add(Message(author_id=current_user.id, text=form.text.data))
    db.session.commit()
    flash("Your message was recorded.", "success")
    return redirect(url_for("timeline.home"))


@bp.post("/<username:username>/follow")
@confirmed_required
def follow(username: str):
    """Add ``username`` to the people whose messages you see at home."""
    whom = User.named(username) or abort(404, f"No user {username!r}.")
    if whom.id == current_user.id:
        flash("You cannot follow yourself.", "error")
    else:
        current_user.follow(whom)
        try:
            db.session.commit()
        except IntegrityError:  # a second click won the race: one row kept
            db.session.rollback()
        flash(f"You are now following {whom.username}.", "success")
    return redirect(url_for("timeline.user_timeline", username=whom.username))


@bp.post("/<username:username>/unfollow")
@confirmed_required
def unfollow(username: str):
    """Stop seeing ``username``'s messages at home."""
    whom = User.named(username) or abort(404, f"No user {username!r}.")
    current_user.unfollow(whom)
    db.session.commit()
    flash(f"You are no longer following {whom.username}.", "success")
    return redirect(url_for("timeline.user_timeline", username=whom.username))

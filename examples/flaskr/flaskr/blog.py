"""The blog: the index of posts, and writing, editing and deleting your own."""

from __future__ import annotations

import re
import sqlite3

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from flaskr.auth import login_required
from flaskr.db import get_db, transaction
from showcase.timefmt import iso_time, utc_now_iso

bp = Blueprint("blog", __name__)

#: A title fits on one line of a page: 1 to 200 characters, trimmed.
TITLE_MAX = 200
#: A body may be empty, as in the tutorial, and at most 10,000 characters.
BODY_MAX = 10_000
#: SQLite's largest integer. /99999999999999999999/update is a valid URL for
#: Flask's int converter, but no post can have that id: 404, not a crash.
SQLITE_MAX_INTEGER = 2**63 - 1


@bp.app_context_processor
def inject_limits() -> dict[str, int]:
    """Give templates the length limits, so forms and checks agree."""
    return {"TITLE_MAX": TITLE_MAX, "BODY_MAX": BODY_MAX}


#: The newest posts, each with its author's name.
FIRST_PAGE = (
    "SELECT p.id, title, body, created, author_id, username"
    " FROM post p JOIN user u ON p.author_id = u.id"
    " ORDER BY created DESC, p.id DESC LIMIT ?"
)
#: The posts just older than a given one: the "Older" link.
OLDER_PAGE = (
    "SELECT p.id, title, body, created, author_id, username"
    " FROM post p JOIN user u ON p.author_id = u.id"
    " WHERE (created, p.id) < (?, ?)"
    " ORDER BY created DESC, p.id DESC LIMIT ?"
)
#: The posts just newer than a given one, oldest first: the "Newer" link.
NEWER_PAGE = (
    "SELECT p.id, title, body, created, author_id, username"
    " FROM post p JOIN user u ON p.author_id = u.id"
    " WHERE (created, p.id) > (?, ?)"
    " ORDER BY created, p.id LIMIT ?"
)
#: Is there any post older, or newer, than a given one? One index lookup.
ANY_OLDER = "SELECT 1 FROM post WHERE (created, id) < (?, ?) LIMIT 1"
ANY_NEWER = "SELECT 1 FROM post WHERE (created, id) > (?, ?) LIMIT 1"

#: A position in the list: a post's time and id, ``2026-11-22T10:05:00Z.42``.
POSITION = re.compile(r"(?P<created>[^.]+)\.(?P<id>[0-9]{1,19})")


def position_of(post: sqlite3.Row) -> str:
    """Write where ``post`` sits in the list, for an Older or Newer link."""
    return f"{post['created']}.{post['id']}"


def read_position(value: str) -> tuple[str, int]:
    """Read a position from the URL; 400 unless ``position_of`` wrote it."""
    match = POSITION.fullmatch(value)
    if match is None:
        abort(400, "That is not a position in the list of posts.")
    created, id = match["created"], int(match["id"])
    try:
        # Exactly the one format posts are stored in, or no match at all.
        valid = iso_time(created) == created and id <= SQLITE_MAX_INTEGER
    except (ValueError, OverflowError):
        valid = False
    if not valid:
        abort(400, "That is not a position in the list of posts.")
    return created, id


@bp.route("/")
def index():
    """Show the newest posts, or those before or after a position."""
    if "page" in request.args:
        # A link from before keyset pagination: start at the newest posts.
        return redirect(url_for("blog.index"), 301)
    if "before" in request.args and "after" in request.args:
        abort(400, "Ask for posts before a position or after it, not both.")
    db = get_db()
    per_page = current_app.config["POSTS_PER_PAGE"]
    # Each query asks for one row more than a page: if it comes back, there
    # are more posts past this page.
    if "before" in request.args:
        position = read_position(request.args["before"])
        posts = db.execute(OLDER_PAGE, (*position, per_page + 1)).fetchall()
        if not posts:
            abort(404, "There are no posts older than this.")
        has_older = len(posts) > per_page
        posts = posts[:per_page]
        first = (posts[0]["created"], posts[0]["id"])
        has_newer = db.execute(ANY_NEWER, first).fetchone() is not None
    elif "after" in request.args:
        position = read_position(request.args["after"])
        posts = db.execute(NEWER_PAGE, (*position, per_page + 1)).fetchall()
        if len(posts) <= per_page:
            # These are the newest posts: the first page shows them.
            return redirect(url_for("blog.index"))
        posts = posts[:per_page][::-1]  # back to newest first
        has_newer = True
        last = (posts[-1]["created"], posts[-1]["id"])
        has_older = db.execute(ANY_OLDER, last).fetchone() is not None
    else:
        posts = db.execute(FIRST_PAGE, (per_page + 1,)).fetchall()
        has_older = len(posts) > per_page
        posts = posts[:per_page]
        has_newer = False
    return render_template(
        "blog/index.html",
        posts=posts,
        older=position_of(posts[-1]) if has_older else None,
        newer=position_of(posts[0]) if has_newer else None,
    )


def read_post_form() -> tuple[dict[str, str], dict[str, str]]:
    """Read the title and body that were sent, and say what is wrong."""
    form = {
        "title": request.form.get("title", "").strip(),
        # Browsers send a textarea's line breaks as \r\n; count them as one.
        "body": request.form.get("body", "").replace("\r\n", "\n"),
    }
    errors = {}
    if not form["title"]:
        errors["title"] = "Title is required."
    elif len(form["title"]) > TITLE_MAX:
        errors["title"] = f"Title must be at most {TITLE_MAX} characters."
    if len(form["body"]) > BODY_MAX:
        errors["body"] = f"Body must be at most {BODY_MAX:,} characters."
    return form, errors


def get_post(id: int) -> sqlite3.Row:
    """Get a post to change: 404 if it does not exist, 403 if not yours."""
    if id > SQLITE_MAX_INTEGER:
        abort(404, f"Post id {id} doesn't exist.")
    post = (
        get_db()
        .execute(
            "SELECT p.id, title, body, created, author_id, username"
            " FROM post p JOIN user u ON p.author_id = u.id"
            " WHERE p.id = ?",
            (id,),
        )
        .fetchone()
    )
    if post is None:
        abort(404, f"Post id {id} doesn't exist.")
    if post["author_id"] != g.user["id"]:
        abort(403, "You can only change your own posts.")
    return post


@bp.route("/create", methods=("GET", "POST"))
@login_required
def create():
    """Write a new post."""
    form = {"title": "", "body": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form, errors = read_post_form()
        if not errors:
            get_db().execute(
                "INSERT INTO post (title, body, author_id, created)"
                " VALUES (?, ?, ?, ?)",
                (form["title"], form["body"], g.user["id"], utc_now_iso()),
            )
            flash("Post published.", "success")
            return redirect(url_for("blog.index"))

    status = 400 if errors else 200
    return render_template(
        "blog/create.html", form=form, errors=errors
    ), status


@bp.route("/<int:id>/update", methods=("GET", "POST"))
@login_required
def update(id: int):
    """Edit one of your posts."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        form, errors = read_post_form()
        if not errors:
            # The check and the change happen under one write lock: the post
            # cannot be deleted between them, and a 403 or 404 changes
            # nothing.
            with transaction(get_db()) as db:
                get_post(id)
                db.execute(
                    "UPDATE post SET title = ?, body = ? WHERE id = ?",
                    (form["title"], form["body"], id),
                )
            flash("Post updated.", "success")
            return redirect(url_for("blog.index"))

    post = get_post(id)
    if not errors:
        form = {"title": post["title"], "body": post["body"]}
    status = 400 if errors else 200
    return render_template(
        "blog/update.html", post=post, form=form, errors=errors
    ), status


@bp.post("/<int:id>/delete")
@login_required
def delete(id: int):
    """Delete one of your posts. Only a POST can: a link or image cannot."""
    with transaction(get_db()) as db:
        get_post(id)
        db.execute("DELETE FROM post WHERE id = ?", (id,))
    flash("Post deleted.", "success")
    return redirect(url_for("blog.index"))

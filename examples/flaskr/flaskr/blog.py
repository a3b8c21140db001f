"""The blog: the index of posts, and writing, editing and deleting your own."""

from __future__ import annotations

import re
from datetime import datetime

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
from flaskr.db import get_db

bp = Blueprint("blog", __name__)

#: How posts store their time (schema.sql): 2026-11-22T10:05:00Z, UTC.
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
#: A post's time and id, 2026-11-22T10:05:00Z.42: where a page starts.
POSITION = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\.(\d{1,19})", re.A)
#: Above every post: the first page starts here.
TOP = ("9999-12-31T23:59:59Z", 2**63 - 1)


@bp.route("/")
def index():
    """Show a page of posts, newest first, with Older and Newer links."""
    if "page" in request.args:  # an old ?page=N link: start at the top
        return redirect(url_for("blog.index"), 301)
    if "before" in request.args and "after" in request.args:
        abort(400, "Ask for posts before a position or after it, not both.")
    per_page = current_app.config["POSTS_PER_PAGE"]
    db = get_db()
    start = TOP
    if "before" in request.args:
        start = read_position(request.args["before"])
    elif "after" in request.args:
        # The Newer page starts just under the post a page above the position.
        newer = db.execute(
            "SELECT created, id FROM post WHERE (created, id) > (?, ?)"
            " ORDER BY created, id LIMIT ?",
            (*read_position(request.args["after"]), per_page + 1),
        ).fetchall()
        if len(newer) <= per_page:  # the newest posts: the first page
            return redirect(url_for("blog.index"))
        start = tuple(newer[-1])
    # One row more than a page: if it comes, there are older posts.
    posts = db.execute(
        "SELECT p.id, title, body, created, author_id, username,"
        " created || '.' || p.id AS position"
        " FROM post p JOIN user u ON p.author_id = u.id"
        " WHERE (created, p.id) < (?, ?)"
        " ORDER BY created DESC, p.id DESC LIMIT ?",
        (*start, per_page + 1),
    ).fetchall()
    if start != TOP and not posts:
        abort(404, "There are no posts older than this.")
    return render_template(
        "blog/index.html",
        posts=posts[:per_page],
        newer=start != TOP and posts[0]["position"],
        older=len(posts) > per_page and posts[per_page - 1]["position"],
    )


def read_position(text: str) -> tuple[str, int]:
    """Read a post's time and id from an Older or Newer link (400 if bad)."""
    match = POSITION.fullmatch(text)
    if match and int(match[2]) < 2**63:  # SQLite's integers end there
        try:
            datetime.strptime(match[1], TIME_FORMAT)  # no 13th month
        except ValueError:
            pass
        else:
            return match[1], int(match[2])
    abort(400, "That is not a position in the list of posts.")


@bp.app_template_filter()
def readable_time(created: str) -> str:
    """Show a post's time for people: 22 Nov 2026, 10:05 UTC."""
    when = datetime.strptime(created, TIME_FORMAT)
    return when.strftime("%d %b %Y, %H:%M UTC").lstrip("0")


def read_post_form() -> tuple[str, str, dict[str, str]]:
    """Read the title and body that were sent, and say what is wrong."""
    title = request.form.get("title", "").strip()
    # Browsers send a textarea's line breaks as \r\n: count them as one.
    body = request.form.get("body", "").replace("\r\n", "\n")
    errors = {}
    if not title:
        errors["title"] = "Title is required."
    elif len(title) > 200:
        errors["title"] = "Title must be at most 200 characters."
    if len(body) > 10_000:
        errors["body"] = "Body must be at most 10,000 characters."
    return title, body, errors


@bp.route("/create", methods=("GET", "POST"))
@login_required
def create():
    """Write a new post."""
    errors = {}
    if request.method == "POST":
        title, body, errors = read_post_form()
        if not errors:
            db = get_db()
            db.execute(
                "INSERT INTO post (title, body, author_id) VALUES (?, ?, ?)",
                (title, body, g.user["id"]),
            )
            db.commit()
            flash("Post published.", "success")
            return redirect(url_for("blog.index"))
    status = 400 if errors else 200
    return render_template(
        "blog/create.html", form=request.form, errors=errors
    ), status


def get_post(id: int):
    """Get a post to change: 404 if it does not exist, 403 if not yours."""
    post = None
    if id < 2**63:  # a larger id is a valid URL, but not an SQLite integer
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


@bp.route("/<int:id>/update", methods=("GET", "POST"))
@login_required
def update(id: int):
    """Edit one of your posts."""
    post = get_post(id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        title, body, errors = read_post_form()
        if not errors:
            db = get_db()
            db.execute(
                "UPDATE post SET title = ?, body = ? WHERE id = ?",
                (title, body, id),
            )
            db.commit()
            flash("Post updated.", "success")
            return redirect(url_for("blog.index"))
    status = 400 if errors else 200
    return render_template(
        "blog/update.html", post=post, form=request.form or post, errors=errors
    ), status


@bp.post("/<int:id>/delete")
@login_required
def delete(id: int):
    """Delete one of your posts. Only a POST can: a link or image cannot."""
    get_post(id)
    db = get_db()
    db.execute("DELETE FROM post WHERE id = ?", (id,))
    db.commit()
    flash("Post deleted.", "success")
    return redirect(url_for("blog.index"))

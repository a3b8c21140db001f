"""The blog: the index of posts, and writing, editing and deleting your own."""

from __future__ import annotations

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
from flaskr.db import get_db
from showcase.db import transaction
from showcase.pagination import paginate
from showcase.timefmt import utc_now_iso

bp = Blueprint("blog", __name__)

#: A title fits on one line of a page: 1 to 200 characters, trimmed.
TITLE_MAX = 200
#: A body may be empty, as in the tutorial, and at most 10,000 characters.
BODY_MAX = 10_000
#: SQLite's largest integer. /99999999999999999999/update is a valid URL for
#: Flask's int converter, but no post can have that id: 404, not a crash.
SQLITE_MAX_INTEGER = 2**63 - 1

#: One page of posts, newest first, with each author's name. The index
#: post_created hands the rows over already in this order (see schema.sql).
INDEX_QUERY = (
    "SELECT p.id, title, body, created, author_id, username"
    " FROM post p JOIN user u ON p.author_id = u.id"
    " ORDER BY created DESC, p.id DESC"
    " LIMIT ? OFFSET ?"
)


@bp.route("/")
def index():
    """Show the posts, newest first, one page (``?page=N``) at a time."""
    db = get_db()
    count = db.execute("SELECT COUNT(*) FROM post").fetchone()[0]

    def fetch(limit: int, offset: int) -> list[sqlite3.Row]:
        return db.execute(INDEX_QUERY, (limit, offset)).fetchall()

    # ?page=0, ?page=abc or a page past the last one: 404 Not Found.
    page = paginate(count, current_app.config["POSTS_PER_PAGE"], fetch)
    return render_template("blog/index.html", posts=page.items, page=page)


def read_post_form() -> tuple[dict[str, str], dict[str, str]]:
    """Read the title and body that were sent, and say what is wrong with them."""
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
    """Get a post to change: 404 if it does not exist, 403 if it is not yours."""
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
                "INSERT INTO post (title, body, author_id, created) VALUES (?, ?, ?, ?)",
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
            # cannot be deleted between them, and a 403 or 404 changes nothing.
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
    """Delete one of your posts. Only a POST can, so a link or an image cannot."""
    with transaction(get_db()) as db:
        get_post(id)
        db.execute("DELETE FROM post WHERE id = ?", (id,))
    flash("Post deleted.", "success")
    return redirect(url_for("blog.index"))

"""Registering, logging in and out, and ``login_required``, by hand."""

# ruff: noqa: S105 (messages about a password are not passwords)

from __future__ import annotations

import functools
import re
import time

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.security import check_password_hash, generate_password_hash

from flaskr.db import get_db
from flaskr.throttle import (
    account_key,
    failed,
    limiter,
    login_limit,
    register_limit,
)

bp = Blueprint("auth", __name__, url_prefix="/auth")

#: ASCII letters, digits, "_", "." and "-" only, so that no two usernames
#: look alike (no letters of other scripts, no invisible spaces).
USERNAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
USERNAME_RULE = "Use letters, digits, '_', '.' and '-', not first '.' or '-'."
#: Where ``?next=`` may lead: a path on this site, such as /create; never
#: "//evil.example", "/\evil.example" or "/\t/evil.example" (another site).
SAFE_NEXT = re.compile(r"/(?![/\\])[^\\\x00-\x20\x7f]*")


@bp.route("/register", methods=("GET", "POST"))
@limiter.limit(register_limit, methods=["POST"])
@limiter.limit(register_limit, methods=["POST"], key_func=account_key)
def register():
    """Create an account from a new username and a password."""
    errors = {}
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        if not username:
            errors["username"] = "Username is required."
        elif len(username) > 80:
            errors["username"] = "Username must be at most 80 characters."
        elif not USERNAME.fullmatch(username):
            errors["username"] = USERNAME_RULE
        if not password:
            errors["password"] = "Password is required."
        elif len(password) < 8:
            errors["password"] = "Password must be at least 8 characters."
        elif len(password) > 256:
            errors["password"] = "Password must be at most 256 characters."
        if not errors:
            method = current_app.config["PASSWORD_HASH_METHOD"]
            db = get_db()
            try:
                db.execute(
                    "INSERT INTO user (username, password) VALUES (?, ?)",
                    (username, generate_password_hash(password, method)),
                )
                db.commit()
            except db.IntegrityError:
                # UNIQUE decides: of two people registering a name, one wins.
                errors["username"] = f"User {username} is already registered."
            else:
                flash("Registered. You can log in now.", "success")
                return redirect(url_for("auth.login"))
    status = 400 if errors else 200
    return render_template("auth/register.html", errors=errors), status


@bp.route("/login", methods=("GET", "POST"))
@limiter.limit(login_limit, methods=["POST"], deduct_when=failed)
def login():
    """Log a user in: check the password, then remember them in the session."""
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        db = get_db()
        user = db.execute(
            "SELECT * FROM user WHERE username = ?", (username,)
        ).fetchone()
        # An unknown user costs a hash check too, and gets the same message:
        # neither the time nor the words tell which one was wrong.
        method = current_app.config["PASSWORD_HASH_METHOD"]
        stored = user["password"] if user else dummy_password_hash(method)
        if check_password_hash(stored, password) and user:
            # A fresh session: nothing set before logging in survives it.
            session.clear()
            session["user_id"] = user["id"]
            session["session_version"] = user["session_version"]
            session["login_time"] = time.time()
            target = request.args.get("next", "")
            if not SAFE_NEXT.fullmatch(target):
                target = url_for("index")
            return redirect(target)
        flash("Incorrect username or password.", "error")
        return render_template("auth/login.html"), 400

    return render_template("auth/login.html")


@functools.cache
def dummy_password_hash(method: str) -> str:
    """Hash no one's password, once, to check when a username is unknown."""
    return generate_password_hash("no one's password", method)


@bp.before_app_request
def load_logged_in_user() -> None:
    """Put the logged-in user, if any, in ``g.user`` before every view."""
    user_id = session.get("user_id")
    # A login lasts LOGIN_MAX_AGE seconds, however active the user is.
    age = time.time() - session.get("login_time", 0)
    if user_id is None or age > current_app.config["LOGIN_MAX_AGE"]:
        g.user = None
    else:
        # Only while the versions match: logging out changes the user's.
        db = get_db()
        g.user = db.execute(
            "SELECT id, username FROM user"
            " WHERE id = ? AND session_version = ?",
            (user_id, session.get("session_version")),
        ).fetchone()


def login_required(view):
    """Send visitors who are not logged in to the login page, then back."""

    @functools.wraps(view)
    def wrapped_view(**kwargs):
        if g.user is None:
            # Back here after logging in; after a form sent by POST, which
            # a redirect cannot send again, to the index.
            here = "/" + request.url.removeprefix(request.host_url)
            back = here if request.method == "GET" else url_for("index")
            return redirect(url_for("auth.login", next=back))
        return view(**kwargs)

    return wrapped_view


@bp.post("/logout")
@login_required
def logout():
    """Log out, here and in every copy of the session cookie."""
    db = get_db()
    db.execute(
        "UPDATE user SET session_version = session_version + 1 WHERE id = ?",
        (g.user["id"],),
    )
    db.commit()
    session.clear()
    flash("You have been logged out.", "success")
    return redirect(url_for("index"))

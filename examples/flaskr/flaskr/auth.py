"""Registering, logging in and out, and ``login_required``: by hand, with Flask's session.

Flask's ``session`` is a cookie signed with ``SECRET_KEY``: the browser can
read it but not change it. Logging in puts the user's id in it; every request
then loads that user into ``g.user`` before the view runs.
"""

from __future__ import annotations

import functools
import sqlite3
import unicodedata
from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
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
from showcase.security import is_safe_redirect_target

bp = Blueprint("auth", __name__, url_prefix="/auth")

#: Usernames are trimmed, then must be 1 to 80 characters: enough for any
#: real name or handle, short enough to show in a page header.
USERNAME_MAX = 80
#: At least 8 characters (NIST SP 800-63B's minimum). At most 256: long
#: enough for any passphrase or password manager, and a bound on the work of
#: hashing what a stranger sends.
PASSWORD_MIN = 8
PASSWORD_MAX = 256

#: Checked when the username does not exist, so that a failed login takes
#: as long for an unknown user as for a wrong password: the time taken does
#: not tell an attacker which usernames exist. Made once, when flaskr starts.
DUMMY_PASSWORD_HASH = generate_password_hash("not the password of anyone")


def clean_username(raw: str) -> str:
    """Trim spaces around the username and use one form of each accented letter."""
    return unicodedata.normalize("NFC", raw.strip())


def username_error(username: str) -> str | None:
    """Say what is wrong with a username someone wants to register, if anything."""
    if not username:
        return "Username is required."
    if len(username) > USERNAME_MAX:
        return f"Username must be at most {USERNAME_MAX} characters."
    # Category C: control, format (invisible), private-use and unassigned
    # characters, which would let two different names look the same.
    if any(unicodedata.category(char).startswith("C") for char in username):
        return "Username cannot contain control or invisible characters."
    return None


def password_error(password: str) -> str | None:
    """Say what is wrong with a new password, if anything."""
    if not password:
        return "Password is required."
    if len(password) < PASSWORD_MIN:
        return f"Password must be at least {PASSWORD_MIN} characters."
    if len(password) > PASSWORD_MAX:
        return f"Password must be at most {PASSWORD_MAX} characters."
    return None


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send visitors who are not logged in to the login page, then back here."""

    @functools.wraps(view)
    def wrapped_view(**kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.login", next=return_path()))
        return view(**kwargs)

    return wrapped_view


def return_path() -> str:
    """The page to come back to after logging in.

    For a GET, the page that was asked for. A form sent while logged out
    (a POST) cannot be sent again by a redirect, so it comes back to the index.
    """
    if request.method != "GET":
        return url_for("index")
    query = request.query_string.decode()
    return request.script_root + request.path + (f"?{query}" if query else "")


@bp.before_app_request
def load_logged_in_user() -> None:
    """Load the logged-in user, if any, into ``g.user`` before every view."""
    user_id = session.get("user_id")
    if user_id is None:
        g.user = None
    else:
        # Never the password hash: g.user reaches every template.
        g.user = (
            get_db()
            .execute("SELECT id, username FROM user WHERE id = ?", (user_id,))
            .fetchone()
        )


@bp.route("/register", methods=("GET", "POST"))
def register():
    """Create an account from a new username and a password."""
    username = ""
    errors: dict[str, str] = {}
    if request.method == "POST":
        username = clean_username(request.form.get("username", ""))
        password = request.form.get("password", "")
        for field, error in (
            ("username", username_error(username)),
            ("password", password_error(password)),
        ):
            if error:
                errors[field] = error

        if not errors:
            try:
                get_db().execute(
                    "INSERT INTO user (username, password) VALUES (?, ?)",
                    (username, generate_password_hash(password)),
                )
            except sqlite3.IntegrityError:
                # The UNIQUE constraint decides, not an earlier SELECT: when two
                # people register one name at the same moment, one INSERT wins.
                errors["username"] = f"User {username} is already registered."
            else:
                flash("Registered. You can log in now.", "success")
                return redirect(url_for("auth.login"))

    status = 400 if errors else 200
    return render_template(
        "auth/register.html", username=username, errors=errors
    ), status


@bp.route("/login", methods=("GET", "POST"))
def login():
    """Log a user in: check the password, then remember the user in the session."""
    username = ""
    if request.method == "POST":
        username = clean_username(request.form.get("username", ""))
        password = request.form.get("password", "")
        user = (
            get_db()
            .execute(
                "SELECT id, password FROM user WHERE username = ?", (username,)
            )
            .fetchone()
        )
        # Check a hash even when there is no such user, so both failures take
        # the same time; and give one message, so neither tells which was wrong.
        password_hash = (
            user["password"] if user is not None else DUMMY_PASSWORD_HASH
        )
        if check_password_hash(password_hash, password) and user is not None:
            # A fresh session: nothing set before logging in survives it.
            session.clear()
            session["user_id"] = user["id"]
            return redirect(redirect_target())
        flash("Incorrect username or password.", "error")
        return render_template("auth/login.html", username=username), 400

    return render_template("auth/login.html", username=username)


def redirect_target() -> str:
    """Where to go after logging in: ``?next=`` if it is a page of this site, else the index."""
    target = request.args.get("next")
    return target if is_safe_redirect_target(target) else url_for("index")


@bp.post("/logout")
@login_required
def logout():
    """Log out by clearing the session. Only a POST (a form with a CSRF token) can."""
    session.clear()
    flash("You have been logged out.", "success")
    return redirect(url_for("index"))

"""Registering, logging in and out, and ``login_required``, by hand.

Flask's ``session`` is a cookie signed with ``SECRET_KEY``: the browser can
read it but not change it. Logging in puts the user's id in it; every
request then loads that user into ``g.user`` before the view runs.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from typing import Any

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
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.security import check_password_hash, generate_password_hash

from flaskr.db import get_db
from showcase.security import is_safe_redirect_target
from showcase.usernames import username_problem

bp = Blueprint("auth", __name__, url_prefix="/auth")

#: Counts attempts per client address, and per account (see below).
limiter = Limiter(get_remote_address)

#: Usernames are trimmed, then must be 1 to 80 characters: enough for any
#: handle, short enough to show in a page header.
USERNAME_MAX = 80
#: At least 8 characters (NIST SP 800-63B's minimum). At most 256: long
#: enough for any passphrase or password manager, and a bound on the work of
#: hashing what a stranger sends.
PASSWORD_MIN = 8
PASSWORD_MAX = 256

#: The page a throttled visitor sees (429), with a Retry-After header.
TOO_MANY_ATTEMPTS = "Too many attempts. Wait a while, then try again."


@bp.app_context_processor
def inject_limits() -> dict[str, int]:
    """Give templates the length limits, so forms and checks agree."""
    return {
        "USERNAME_MAX": USERNAME_MAX,
        "PASSWORD_MIN": PASSWORD_MIN,
        "PASSWORD_MAX": PASSWORD_MAX,
    }


def clean_username(raw: str) -> str:
    """Trim the spaces a paste adds around a username."""
    return raw.strip()


def username_error(username: str) -> str | None:
    """Say what is wrong with a username someone wants to register."""
    if not username:
        return "Username is required."
    if len(username) > USERNAME_MAX:
        return f"Username must be at most {USERNAME_MAX} characters."
    # Plain ASCII letters and digits only: no look-alike or invisible
    # characters that would make two names look the same.
    return username_problem(username)


def password_error(password: str) -> str | None:
    """Say what is wrong with a new password, if anything."""
    if not password:
        return "Password is required."
    if len(password) < PASSWORD_MIN:
        return f"Password must be at least {PASSWORD_MIN} characters."
    if len(password) > PASSWORD_MAX:
        return f"Password must be at most {PASSWORD_MAX} characters."
    return None


def hash_password(password: str) -> str:
    """Hash a new password with the configured method (scrypt by default)."""
    return generate_password_hash(
        password, current_app.config["PASSWORD_HASH_METHOD"]
    )


@functools.cache
def dummy_password_hash(method: str) -> str:
    """A hash of nobody's password, made once per method when first needed.

    Checked when the username does not exist, so that a failed login takes
    as long for an unknown user as for a wrong password.
    """
    return generate_password_hash("not the password of anyone", method)


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send visitors who are not logged in to the login page, then back."""

    @functools.wraps(view)
    def wrapped_view(**kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.login", next=return_path()))
        return view(**kwargs)

    return wrapped_view


def return_path() -> str:
    """The page to come back to after logging in.

    For a GET, the page that was asked for. A form sent while logged out
    (a POST) cannot be sent again by a redirect: it comes back to the index.
    """
    if request.method != "GET":
        return url_for("index")
    query = request.query_string.decode()
    return request.script_root + request.path + (f"?{query}" if query else "")


@bp.before_app_request
def load_logged_in_user() -> None:
    """Load the logged-in user, if any, into ``g.user`` before every view.

    The session counts only while its ``session_version`` matches the
    user's row: logging out changes the row, so a copy of the cookie taken
    before stops working at once.
    """
    user_id = session.get("user_id")
    if user_id is None:
        g.user = None
    else:
        # Never the password hash: g.user reaches every template.
        g.user = (
            get_db()
            .execute(
                "SELECT id, username FROM user"
                " WHERE id = ? AND session_version = ?",
                (user_id, session.get("session_version")),
            )
            .fetchone()
        )


def account_key() -> str:
    """The account a login or registration is for, as Flask-Limiter's key."""
    username = clean_username(request.form.get("username", ""))
    # "account:" keeps a username such as "127.0.0.1" apart from addresses.
    return f"account:{username.lower()}"


def limit(config_key: str) -> Callable[..., Any]:
    """Limit POSTs to a view per client address and per account.

    The limit itself, such as ``"50 per hour"``, is read from the config
    at each request.
    """

    def limit_value() -> str:
        """Read the limit from the config, at each request."""
        return current_app.config[config_key]

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap ``view`` in both limits."""
        for key_func in (get_remote_address, account_key):
            view = limiter.limit(
                limit_value,
                key_func=key_func,
                methods=["POST"],
                error_message=TOO_MANY_ATTEMPTS,
            )(view)
        return view

    return decorator


@bp.route("/register", methods=("GET", "POST"))
@limit("REGISTER_LIMIT")
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
                    (username, hash_password(password)),
                )
            except sqlite3.IntegrityError:
                # The UNIQUE constraint decides, not an earlier SELECT: when
                # two people register one name at once, one INSERT wins.
                errors["username"] = f"User {username} is already registered."
            else:
                flash("Registered. You can log in now.", "success")
                return redirect(url_for("auth.login"))

    status = 400 if errors else 200
    return render_template(
        "auth/register.html", username=username, errors=errors
    ), status


@bp.route("/login", methods=("GET", "POST"))
@limit("LOGIN_LIMIT")
def login():
    """Log a user in: check the password, then remember them in the session."""
    username = ""
    if request.method == "POST":
        username = clean_username(request.form.get("username", ""))
        password = request.form.get("password", "")
        user = (
            get_db()
            .execute(
                "SELECT id, password, session_version FROM user"
                " WHERE username = ?",
                (username,),
            )
            .fetchone()
        )
        # Check a hash even when there is no such user, so both failures
        # take the same time; and give one message, so neither tells which
        # was wrong.
        if user is None:
            password_hash = dummy_password_hash(
                current_app.config["PASSWORD_HASH_METHOD"]
            )
        else:
            password_hash = user["password"]
        if check_password_hash(password_hash, password) and user is not None:
            # A fresh session: nothing set before logging in survives it,
            # not even the CSRF secret a token was made from.
            session.clear()
            session["user_id"] = user["id"]
            session["session_version"] = user["session_version"]
            return redirect(redirect_target())
        flash("Incorrect username or password.", "error")
        return render_template("auth/login.html", username=username), 400

    return render_template("auth/login.html", username=username)


def redirect_target() -> str:
    """Where to go after logging in: ``?next=`` if it is on this site."""
    target = request.args.get("next")
    if target is not None and is_safe_redirect_target(target):
        return target
    return url_for("index")


@bp.post("/logout")
@login_required
def logout():
    """Log out, here and in every copy of the session cookie.

    Adding one to ``session_version`` makes every session issued before
    this moment invalid; clearing the session forgets it in this browser.
    """
    get_db().execute(
        "UPDATE user SET session_version = session_version + 1 WHERE id = ?",
        (g.user["id"],),
    )
    session.clear()
    flash("You have been logged out.", "success")
    return redirect(url_for("index"))

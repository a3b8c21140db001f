"""Throttling: a few failed logins and registrations an hour, then 429.

Flask-Limiter counts failed logins per client address: a guesser's own
address is stopped, and the owner of the account, elsewhere, never is.
Registrations count per address and per username.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import TooManyRequests

from showcase.errors import render_error_page

#: Counts attempts per client address, unless a limit names another key.
limiter = Limiter(get_remote_address)


def login_limit() -> str:
    """How many failed logins an address gets."""
    return current_app.config["LOGIN_LIMIT"]


def register_limit() -> str:
    """How many registrations an address or a username gets."""
    return current_app.config["REGISTER_LIMIT"]


def account_key() -> str:
    """Count attempts per username too, whatever the case or spaces."""
    # "account:" keeps a username such as "127.0.0.1" apart from addresses.
    return "account:" + request.form.get("username", "").strip().lower()


def failed(response: Response) -> bool:
    """Count a login only if it failed: the form came back with 400."""
    return response.status_code == 400


def too_many_attempts(error: TooManyRequests):
    """Ask a throttled visitor to wait (429, with a Retry-After header)."""
    error.description = "Too many attempts. Wait a while, then try again."
    return render_error_page(error)


def init_app(app: Flask) -> None:
    """Count attempts in ``app``, and say in words what a 429 means."""
    limiter.init_app(app)
    app.register_error_handler(429, too_many_attempts)

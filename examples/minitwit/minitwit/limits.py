"""Throttling with Flask-Limiter: how often a form can be sent.

Logging in, signing up, asking for a reset link and asking for the
confirmation mail again are each limited twice: per client address (one
machine trying many accounts) and per account (many machines trying one
account, or flooding one inbox). Past the limit the answer is a 429 page
with a ``Retry-After`` header, and the view does not run at all.

The limits are config keys (``LOGIN_LIMIT`` and friends), read at each
request. Flask-Limiter counts in ``RATELIMIT_STORAGE_URI``: this process's
memory by default, Redis once several server processes must share counts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from minitwit.extensions import limiter

#: The message of the 429 page.
TOO_MANY_ATTEMPTS = "Too many attempts. Wait a while, then try again."


def form_value_key(field: str) -> Callable[[], str]:
    """A Flask-Limiter key: the form's ``field``, in lower case."""

    def key() -> str:
        """The account this POST is for, as Flask-Limiter's key."""
        value = request.form.get(field, "").strip().lower()
        # The field's name keeps "127.0.0.1" as a username apart from
        # the address 127.0.0.1.
        return f"{field}:{value}"

    return key


def current_user_key() -> str:
    """A Flask-Limiter key: the logged-in account."""
    return f"user:{current_user.id}"


def limit(
    config_key: str, account_key: Callable[[], str]
) -> Callable[..., Any]:
    """Limit POSTs to a view per client address and per account.

    The limit itself, such as ``"50 per hour"``, is the config value of
    ``config_key``.
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

"""Secure defaults every example gets: cookie flags, size limit, headers, redirects.

The Content-Security-Policy allows scripts, styles and images only from the
app itself, so no inline ``<script>`` or ``style=""`` runs and nothing is
loaded from another site. An example that needs more sets
``CONTENT_SECURITY_POLICY`` in its config.
"""

from __future__ import annotations

import secrets
import unicodedata
from urllib.parse import urlsplit

import click
from flask import Flask, Response, current_app
from flask.cli import ScriptInfo

#: The well-known key for ``flask run --debug``. Anyone can read it here, so
#: anyone could forge a session signed with it: refused everywhere else.
DEV_SECRET_KEY = "dev"  # noqa: S105 (public on purpose)

#: Shorter keys are too easy to guess to sign sessions with.
MIN_SECRET_KEY_LENGTH = 16


class InsecureConfigError(RuntimeError):
    """Raised when an app would start with a secret key anyone can forge."""


#: Config defaults that :func:`showcase.init_app` sets unless already set.
SECURE_DEFAULTS = {
    # JavaScript cannot read the session cookie, and other sites' forms do not send it.
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Requests bigger than this get "413 Content Too Large" before a view runs.
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "CONTENT_SECURITY_POLICY": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "REFERRER_POLICY": "same-origin",
}


def set_security_headers(response: Response) -> Response:
    """Add the security headers to a response, keeping any a view set itself."""
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy",
        current_app.config["CONTENT_SECURITY_POLICY"],
    )
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault(
        "Referrer-Policy", current_app.config["REFERRER_POLICY"]
    )
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def has_real_secret_key(app: Flask) -> bool:
    """Tell whether ``SECRET_KEY`` is long enough and not the dev key."""
    key = app.config.get("SECRET_KEY") or ""
    return key != DEV_SECRET_KEY and len(key) >= MIN_SECRET_KEY_LENGTH


def check_secret_key(app: Flask) -> None:
    """Refuse to start an app whose sessions anyone could forge.

    - a real key (16+ characters, not ``"dev"``) is always accepted;
    - ``flask run --debug`` may use the development key;
    - the ``flask`` command without ``--debug`` (``flask run``,
      ``flask init-db``) gets a random key for this process: sessions are
      safe but do not survive a restart;
    - anything else (a WSGI server such as gunicorn or waitress, a test) must
      be given a real key, or :class:`InsecureConfigError` stops it.
    """
    if has_real_secret_key(app):
        return
    if _running_under_flask_command():
        if not app.debug:
            app.config["SECRET_KEY"] = secrets.token_hex(32)
        return
    raise InsecureConfigError(
        f"{app.name}: refusing to start without a real SECRET_KEY (at least "
        f"{MIN_SECRET_KEY_LENGTH} characters, not {DEV_SECRET_KEY!r}). "
        "Generate one with: "
        'python -c "import secrets; print(secrets.token_hex())" '
        "and set it as FLASK_SECRET_KEY in the environment, or as SECRET_KEY "
        "in the instance folder's config.py. Tests pass one in test_config."
    )


def _running_under_flask_command() -> bool:
    """Tell whether the app is being loaded by the ``flask`` command line."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.find_object(ScriptInfo) is not None


def init_app(app: Flask) -> None:
    """Secure defaults, a real secret key, security headers on responses."""
    for key, value in SECURE_DEFAULTS.items():
        # Flask's own defaults (SameSite None, no size limit) count as unset.
        if app.config.get(key) == app.default_config.get(key):
            app.config[key] = value
    check_secret_key(app)
    app.after_request(set_security_headers)


def is_safe_redirect_target(target: str | None) -> bool:
    """Tell whether ``target`` is a path on this site, safe to redirect to.

    Only a plain absolute path such as ``/blog/2?page=3`` is accepted. Anything a
    browser could read as another site is refused: ``//evil``, ``/\\evil``,
    ``http:///evil``, ``javascript:...``, and any URL holding a backslash,
    a space or a control character (browsers drop tabs and newlines, turning
    ``/\\t/evil`` into ``//evil``).
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if any(char == "\\" or _is_control_or_space(char) for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def _is_control_or_space(char: str) -> bool:
    """Tell whether ``char`` is a control, format or space character."""
    return unicodedata.category(char) in {"Cc", "Cf", "Zs", "Zl", "Zp"}

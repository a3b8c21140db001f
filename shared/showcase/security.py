"""Secure defaults every example gets: cookie flags, size limit, headers, redirects.

The Content-Security-Policy allows scripts, styles and images only from the
app itself, so no inline ``<script>`` or ``style=""`` runs and nothing is
loaded from another site. An example that needs more sets
``CONTENT_SECURITY_POLICY`` in its config.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import Flask, Response, current_app

#: Config defaults that :func:`showcase.config.load_config` applies first.
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


def init_app(app: Flask) -> None:
    """Send the security headers on every response of ``app``."""
    for key, value in SECURE_DEFAULTS.items():
        app.config.setdefault(key, value)
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

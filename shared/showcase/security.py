"""Security every example gets: safe config, a real key, headers."""

from __future__ import annotations

import os

import click
from flask import Flask, Response, current_app, request
from flask.cli import ScriptInfo

DEV_SECRET_KEY = "dev"  # noqa: S105 (public: for the flask command only)
MIN_SECRET_KEY_LENGTH = 16

#: Config every app gets, unless its config changed Flask's default.
SECURE_DEFAULTS = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "CONTENT_SECURITY_POLICY": (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "REFERRER_POLICY": "same-origin",
}
#: Werkzeug 3.1 cannot match an IPv6 address such as [::1] in TRUSTED_HOSTS
#: (it cuts each entry at its first colon), so none is listed.
LOOPBACK_HOSTS = ["localhost", "127.0.0.1"]
HSTS = "max-age=31536000; includeSubDomains"


class InsecureConfigError(RuntimeError):
    """Raised when an app would start in a way anyone could abuse."""


def init_app(app: Flask) -> None:
    """Complete the config safely, check it, send the security headers."""
    production = is_production(app)
    for name in ("FLASK_DEBUG", "FLASK_TESTING") if production else ():
        if os.environ.get(name, "").lower() not in ("", "0", "false", "no"):
            raise InsecureConfigError(
                f"{app.name}: a production server must not run with "
                f"{name} in its environment: remove it."
            )
    https = app.config.setdefault("HTTPS", production)
    defaults = {
        **SECURE_DEFAULTS,
        "SESSION_COOKIE_SECURE": https,
        "HSTS": https,
        "TRUSTED_HOSTS": LOOPBACK_HOSTS if production else None,
    }
    for key, value in defaults.items():
        if app.config.get(key) == app.default_config.get(key):
            app.config[key] = value
    # Flask-Login's remember-me cookie: Secure whenever the session's is.
    secure = app.config["SESSION_COOKIE_SECURE"]
    app.config.setdefault("REMEMBER_COOKIE_SECURE", secure)
    check_secret_key(app)
    app.after_request(set_security_headers)


def is_production(app: Flask) -> bool:
    """Tell whether a real server runs ``app``: not flask, not a test."""
    testing = app.testing and "FLASK_TESTING" not in os.environ
    return not (testing or running_under_flask_command())


def running_under_flask_command() -> bool:
    """Tell whether the app is being loaded by the ``flask`` command."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.find_object(ScriptInfo) is not None


def check_secret_key(app: Flask) -> None:
    """Refuse, outside the ``flask`` command, a key anyone could forge."""
    key = app.config.get("SECRET_KEY") or ""
    if running_under_flask_command() or (
        key != DEV_SECRET_KEY and len(key) >= MIN_SECRET_KEY_LENGTH
    ):
        return
    raise InsecureConfigError(
        f"{app.name}: refusing to start without a real SECRET_KEY (16+ "
        'characters, not "dev"). Set FLASK_SECRET_KEY to the output of: '
        'python -c "import secrets; print(secrets.token_hex())"'
    )


def set_security_headers(response: Response) -> Response:
    """Add the security headers, keeping any that a view set itself."""
    config, headers = current_app.config, response.headers
    headers.setdefault(
        "Content-Security-Policy", config["CONTENT_SECURITY_POLICY"]
    )
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", config["REFERRER_POLICY"])
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if config["HSTS"] and request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response

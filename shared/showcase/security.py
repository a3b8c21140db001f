"""Security every example gets: safe config, a real key, headers."""

from __future__ import annotations

import os
import sys
from typing import Any

import click
from flask import Flask, Response, current_app, request
from flask.cli import ScriptInfo
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

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
    # How many proxies (nginx...) stand between the visitors and the app:
    # 0 reads no X-Forwarded-* header at all, which a visitor could forge.
    "PROXY_COUNT": 0,
}
#: Werkzeug 3.1 cannot match an IPv6 address such as [::1] in TRUSTED_HOSTS
#: (it cuts each entry at its first colon), so none is listed.
LOOPBACK_HOSTS = ["localhost", "127.0.0.1"]
HSTS = "max-age=31536000; includeSubDomains"
OFF = ("", "0", "false", "no")
#: The WSGI servers of the deploy pages: imported when they serve the app.
SERVERS = {"gunicorn", "waitress", "uwsgi", "mod_wsgi"}


class InsecureConfigError(RuntimeError):
    """Raised when an app would start in a way anyone could abuse."""


def init_app(app: Flask) -> None:
    """Complete the config safely, check it, send the security headers."""
    production = is_production(app)
    testing = os.environ.get("FLASK_TESTING", "").lower() not in OFF
    served = not SERVERS.isdisjoint(sys.modules)
    if production and (app.debug or testing or (app.testing and served)):
        raise InsecureConfigError(
            f"{app.name}: a production server must not run with TESTING or "
            "DEBUG (or FLASK_TESTING, FLASK_DEBUG): remove them."
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
    if secure:
        name_cookies_for_https(app)
    check_secret_key(app)
    if app.config["PROXY_COUNT"]:
        proxies = app.config["PROXY_COUNT"]
        fixed = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
        app.wsgi_app = fixed  # type: ignore[method-assign]
    app.after_request(set_security_headers)
    app.session_interface = PrivateSessionInterface()


class PrivateSessionInterface(SecureCookieSessionInterface):
    """Flask's session cookie; a page that read it is for one visitor."""

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        """Keep the page out of every cache, then save the session."""
        if session.accessed:
            response.headers.setdefault("Cache-Control", "no-store")
        super().save_session(app, session, response)


def name_cookies_for_https(app: Flask) -> None:
    """Prefix the cookies' names, so browsers keep them to HTTPS (and
    ``__Host-`` to this host: a cookie of one path can be ``__Secure-``)."""
    config = app.config
    for kind, name in (("SESSION", "session"), ("REMEMBER", "remember_token")):
        name = config.get(f"{kind}_COOKIE_NAME") or name
        path = config.get(f"{kind}_COOKIE_PATH") or config["APPLICATION_ROOT"]
        whole = path == "/" and not config.get(f"{kind}_COOKIE_DOMAIN")
        if not name.startswith("__"):
            prefix = "__Host-" if whole else "__Secure-"
            config[f"{kind}_COOKIE_NAME"] = prefix + name


def is_production(app: Flask) -> bool:
    """Tell whether a real server runs ``app``: not flask, not pytest."""
    testing = app.testing and "PYTEST_VERSION" in os.environ
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
    csp = config["CONTENT_SECURITY_POLICY"]
    headers.setdefault("Content-Security-Policy", csp)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", config["REFERRER_POLICY"])
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if config["HSTS"] and request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response

"""minitwit: a twitter clone with accounts, mail and followers, by extensions.

The classic Flask example rebuilt the way a real app is built: Flask-Login
keeps people logged in, Flask-WTF form classes validate input and stop
cross-site request forgery, Flask-Mail sends the confirmation and
password-reset mails, itsdangerous signs the links in them, and
Flask-SQLAlchemy with
Flask-Migrate keeps the data, in SQLite or PostgreSQL.

Start reading at :func:`create_app`, then follow one request: ``timeline.py``
for the pages, ``auth.py`` for accounts, ``models.py`` for the tables,
``forms.py``, ``users.py``, ``tokens.py`` and ``mail.py`` for what they call.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import Flask

import showcase
from minitwit import auth, avatars, cli, database, mail, timeline
from minitwit.extensions import csrf, limiter, login_manager
from minitwit.routing import UsernameConverter


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the minitwit app: settings, database, extensions, then pages."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        # Public, so fine only while you develop: showcase.init_app
        # refuses it in production.
        SECRET_KEY="dev",  # noqa: S106 (public on purpose)
        # The SQLite file, used unless DATABASE_URL names another database.
        DATABASE=os.path.join(app.instance_path, "minitwit.sqlite"),
        DATABASE_URL=None,
        # Test each pooled connection before use: a database that restarted
        # gives a fresh connection, not an error page.
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        PER_PAGE=30,
        # Flask-Login's remember-me cookie: script cannot read it, other
        # sites' forms do not send it, and it expires.
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_DURATION=timedelta(days=14),
        # How long the links in the mails work, in seconds.
        CONFIRM_TOKEN_MAX_AGE=2 * 24 * 3600,
        RESET_TOKEN_MAX_AGE=3600,
        # No MAIL_SERVER: mails are printed to the terminal, not sent.
        MAIL_SERVER=None,
        MAIL_DEFAULT_SENDER="minitwit <noreply@minitwit.localhost>",
        # Where the links in mails point. Never taken from the request's
        # Host header, which anyone can forge.
        MAIL_LINK_BASE="http://127.0.0.1:5000",
        # "local" draws avatars here; "gravatar" loads them from gravatar.com.
        AVATARS="local",
        PASSWORD_HASH_METHOD="scrypt",  # noqa: S106 (a method, not a secret)
        # How often each account form may be sent, per client address and
        # per account (see limits.py).
        LOGIN_LIMIT="50 per hour",
        REGISTER_LIMIT="20 per hour",
        RESET_LIMIT="5 per hour",
        RESEND_LIMIT="5 per hour",
        # Flask-Limiter counts in this process's memory. Several server
        # processes share counts through Redis: "redis://host:6379".
        RATELIMIT_STORAGE_URI="memory://",
        # Send Retry-After (and the X-RateLimit-* headers) with a 429.
        RATELIMIT_HEADERS_ENABLED=True,
    )
    if test_config is None:
        # instance/config.py, then FLASK_* environment variables.
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env()
        # Hosting services set DATABASE_URL, without the FLASK_ prefix.
        if "DATABASE_URL" in os.environ:
            app.config["DATABASE_URL"] = os.environ["DATABASE_URL"]
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    showcase.init_app(app)

    # Mail first: its end-of-request step (handing mails to the sending
    # thread) then runs last, once the database session is closed.
    mail.init_app(app)
    database.init_app(app)
    app.cli.add_command(cli.seed_command)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    avatars.init_app(app)

    app.url_map.converters["username"] = UsernameConverter
    app.register_blueprint(auth.bp)
    app.register_blueprint(timeline.bp)
    return app

"""minitwit: a twitter clone with accounts, mail and followers, by extensions.

The classic Flask example rebuilt the way a real app is built: Flask-Login
keeps people logged in, Flask-WTF forms validate input and stop cross-site
request forgery, Flask-Mail sends the confirmation and reset mails, and
Flask-SQLAlchemy with Flask-Migrate keeps the data, in SQLite or PostgreSQL.

Start reading at :func:`create_app`, then follow a request: ``timeline.py``
for the pages, ``auth.py`` for accounts, ``models.py`` for the data,
``forms.py`` for the forms, ``mail.py`` for the mail, ``pictures.py`` for
the pictures people upload, ``roles.py`` and ``moderation.py`` for the
moderators.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.sansio.utils import host_is_trusted

import showcase
from minitwit import (
    admin,
    api,
    auth,
    avatars,
    cli,
    database,
    moderation,
    outbox,
    pictures,
    recaptcha,
    roles,
    timeline,
)
from minitwit.forms import UsernameConverter
from minitwit.mail import mail
from minitwit.models import login_manager
from showcase.security import InsecureConfigError, is_production


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the minitwit app: settings, database, extensions, then pages."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        # Public, so fine only while you develop: under a real server,
        # showcase.init_app refuses to start with it.
        SECRET_KEY="dev",  # noqa: S106 (public on purpose)
        # The SQLite file, used unless DATABASE_URL names another database.
        DATABASE=os.path.join(app.instance_path, "minitwit.sqlite"),
        DATABASE_URL=None,
        # Test each pooled connection before use: a database that restarted
        # gives a fresh connection, not an error page.
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        PER_PAGE=30,
        # Flask-Login's remember-me cookie: script cannot read it, other
        # sites' forms do not send it, and it expires (in seconds).
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_DURATION=14 * 24 * 3600,
        # How long the links in the mails work, in seconds.
        CONFIRM_TOKEN_MAX_AGE=2 * 24 * 3600,
        RESET_TOKEN_MAX_AGE=3600,
        # How long a token of the JSON API works, in seconds (tokens.py).
        API_TOKEN_MAX_AGE=24 * 3600,
        # No MAIL_SERVER: mails are printed in the terminal, not sent.
        MAIL_SERVER=None,
        # Flask-Mail would not send while TESTING; MAIL_SERVER decides here.
        MAIL_SUPPRESS_SEND=False,
        MAIL_DEFAULT_SENDER="minitwit <noreply@minitwit.localhost>",
        # Where the links in mails point. Never taken from the request's
        # Host header, which anyone can forge.
        MAIL_LINK_BASE="http://127.0.0.1:5000",
        # A sender killed while sending leaves its mail claimed this long
        # (in seconds), then another sends it: longer than one mail takes.
        MAIL_CLAIM_SECONDS=60,
        # "local" draws avatars here; "gravatar" loads them from gravatar.com.
        AVATARS="local",
        # Where the pictures people upload are kept: not in the package.
        AVATAR_FOLDER=os.path.join(app.instance_path, "avatars"),
        PASSWORD_HASH_METHOD="scrypt",  # noqa: S106 (a method, not a secret)
        # How often each account form may be sent, per client address
        # (Flask-Limiter, in auth.py). LOGIN_LIMIT counts wrong passwords,
        # of every form that asks for one; RESET_LIMIT also caps the mails
        # one inbox gets.
        LOGIN_LIMIT="50 per hour",
        REGISTER_LIMIT="20 per hour",
        RESET_LIMIT="5 per hour",
        RESEND_LIMIT="5 per hour",
        # How many messages one account may report (moderation.py).
        REPORT_LIMIT="30 per hour",
        # The JSON API (api.py): new tokens per address; messages posted
        # per token, and from all tokens per address.
        API_TOKEN_LIMIT="20 per hour",  # noqa: S106 (a limit, not a secret)
        API_MESSAGE_LIMIT="60 per hour",
        API_MESSAGE_ADDRESS_LIMIT="300 per hour",
        # Flask-Limiter counts in this process's memory. Several server
        # processes share counts through Redis: "redis://host:6379".
        RATELIMIT_STORAGE_URI="memory://",
        # Send Retry-After (and the X-RateLimit-* headers) with a 429.
        RATELIMIT_HEADERS_ENABLED=True,
        # How many proxies (nginx...) stand in front: 1 reads the visitor's
        # address from the X-Forwarded-For header the proxy sets. 0 reads
        # no such header: a visitor could write it.
        PROXY_COUNT=0,
        # Google's reCAPTCHA on the sign-up form: off unless both keys
        # (from Google's reCAPTCHA admin console) are set (recaptcha.py).
        RECAPTCHA_PUBLIC_KEY=None,
        RECAPTCHA_PRIVATE_KEY=None,
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
    check_mail_config(app)

    database.init_app(app)
    CSRFProtect(app)
    mail.init_app(app)
    outbox.init_app(app)
    login_manager.init_app(app)
    # Where @login_required sends visitors, with ?next= the page they wanted.
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to see this page."
    # A session cookie seen from another network is kept but marked "not
    # fresh": "strong" would log out a phone each time it changes networks.
    login_manager.session_protection = "basic"
    auth.limiter.init_app(app)
    recaptcha.init_app(app)
    roles.init_app(app)

    app.cli.add_command(cli.seed_command)
    app.cli.add_command(cli.expire_signups_command)
    # Under flask run, the login page lists the demo logins: never on a
    # real server, never in the tests.
    if not (app.testing or is_production(app)):
        app.add_template_global(cli.demo_logins)
    app.url_map.converters["username"] = UsernameConverter
    avatars.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(timeline.bp)
    app.register_blueprint(pictures.bp)
    app.register_blueprint(moderation.bp)
    api.init_app(app)
    admin.init_app(app)
    return app


def check_mail_config(app: Flask) -> None:
    """Under a real server, refuse mail settings that leak or lose mail."""
    # flask run and the tests print the mails; a server refuses TESTING.
    if app.testing or not is_production(app):
        return
    config = app.config
    if not config["MAIL_SERVER"]:
        raise InsecureConfigError(
            "minitwit: set MAIL_SERVER (and MAIL_PORT, MAIL_USERNAME, ...): "
            "without it, every mail and its link is printed to the log."
        )
    link = urlsplit(config["MAIL_LINK_BASE"])
    # https, unless the site is plain HTTP on purpose (HTTPS = False).
    scheme = link.scheme == "https" or (
        link.scheme == "http" and not config["HTTPS"]
    )
    if not (scheme and host_is_trusted(link.netloc, config["TRUSTED_HOSTS"])):
        raise InsecureConfigError(
            "minitwit: set MAIL_LINK_BASE to this site's https:// address, "
            f"on a host of TRUSTED_HOSTS {config['TRUSTED_HOSTS']}, not "
            f"{config['MAIL_LINK_BASE']!r}: the links in mails lead there."
        )

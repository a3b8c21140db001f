"""flaskr: the Flask tutorial's blog, by hand with sqlite3 and the session.

The same app as the official Flask tutorial, with the same URLs and form
fields: plain ``sqlite3``, Flask's own ``session`` and a hand-written
``login_required``. It adds what a real app needs: CSRF tokens, a logout
that ends the session on the server, throttled logins, pages of posts
that cost the same at any size, and SQLite set up for several writers.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

import showcase
from flaskr import auth, blog, db, demo, throttle

#: Checks the hidden ``csrf_token`` field of every POST form (Flask-WTF).
csrf = CSRFProtect()


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure an instance of the flaskr application."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        # Only for the flask command: showcase.init_app refuses it under a
        # production server. Production sets a real key (the deploy page).
        SECRET_KEY="dev",  # noqa: S106 (public on purpose)
        # The database file lives in the instance folder.
        DATABASE=os.path.join(app.instance_path, "flaskr.sqlite"),
        # How many posts the index page shows at once.
        POSTS_PER_PAGE=10,
        # werkzeug's default, scrypt. Tests set a cheap one to run fast.
        PASSWORD_HASH_METHOD="scrypt",  # noqa: S106 (not a password)
        # Failed logins allowed to each client address, and registrations
        # to each address and to each username.
        LOGIN_LIMIT="50 per hour",
        REGISTER_LIMIT="20 per hour",
        # Flask-Limiter counts in this process's memory. Several server
        # processes need one shared store, such as "redis://localhost".
        RATELIMIT_STORAGE_URI="memory://",
        # Send Retry-After (and the X-RateLimit-* headers) with a 429.
        RATELIMIT_HEADERS_ENABLED=True,
        # How many proxies (nginx, a load balancer) stand in front of flaskr.
        PROXY_COUNT=0,
        # Seconds a login lasts, however active the user: then log in again.
        LOGIN_MAX_AGE=24 * 60 * 60,
    )

    if test_config is None:
        # The instance config, if it exists, when not testing.
        app.config.from_pyfile("config.py", silent=True)
        # Then FLASK_* environment variables: FLASK_SECRET_KEY=...
        app.config.from_prefixed_env()
    else:
        # The test config, if passed in.
        app.config.from_mapping(test_config)

    # The instance folder holds the database: make sure it exists.
    os.makedirs(app.instance_path, exist_ok=True)

    # Secure defaults, the secret key check, security headers, error pages
    # and the shared look. Here, so it sees the whole config.
    showcase.init_app(app)

    db.init_app(app)
    demo.init_app(app)

    app.register_blueprint(auth.bp)
    app.register_blueprint(blog.bp)
    # The blog is the main page: url_for("index") and url_for("blog.index")
    # are both "/".
    app.add_url_rule("/", endpoint="index")

    # After the blueprints, so g.user is loaded before a bad token is refused
    # and the "400 Bad Request" page still shows who is logged in.
    csrf.init_app(app)
    throttle.init_app(app)
    return app

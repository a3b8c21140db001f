"""flaskr: the Flask tutorial's blog, by hand with sqlite3 and Flask's session, made secure.

The same app as the official Flask tutorial, with the same URLs and form
fields, so the two can be compared line by line: plain ``sqlite3``, Flask's
own ``session`` and a hand-written ``login_required``. It adds what a real app
needs: CSRF tokens, a logout that only a POST can trigger, one message for any
failed login, pagination, safe ``next`` redirects and SQLite set up for
several writers at once.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

import showcase
from flaskr import auth, blog, db
from showcase.config import load_config
from showcase.db import database_setup_page

#: Checks the hidden ``csrf_token`` field of every POST form (Flask-WTF).
csrf = CSRFProtect()


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure an instance of the flaskr application."""
    app = Flask(__name__, instance_relative_config=True)
    load_config(
        app,
        test_config,
        defaults={
            # The database file lives in the instance folder, next to config.py.
            "DATABASE": os.path.join(app.instance_path, "flaskr.sqlite"),
            # How many posts the index page shows at once.
            "POSTS_PER_PAGE": 10,
        },
    )
    showcase.init_app(app)

    db.init_app(app)
    # A missing or empty database shows the command that creates it (503).
    app.register_error_handler(sqlite3.OperationalError, database_setup_page)

    app.register_blueprint(auth.bp)
    app.register_blueprint(blog.bp)
    # The blog is the main page: url_for("index") and url_for("blog.index") are both "/".
    app.add_url_rule("/", endpoint="index")

    # After the blueprints, so g.user is loaded before a bad token is refused
    # and the "400 Bad Request" page still shows who is logged in.
    csrf.init_app(app)
    return app

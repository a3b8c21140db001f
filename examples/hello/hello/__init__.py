"""Hello, Flask: routes, templates, forms, cookies, sessions, errors and uploads, one page each.

This is the first example of the showcase: the Flask quickstart as a small,
tested app. ``create_app()`` below is the application factory; each lesson
lives in its own small module with its own blueprint, in the order the docs
teach them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, render_template
from flask_wtf.csrf import CSRFProtect

import showcase
from hello import (
    cookies,
    debugger,
    errors,
    flashing,
    greeting,
    methods,
    redirects,
    request_data,
    routes,
    sessions,
    static_files,
    uploads,
    urls,
)
from showcase.config import load_config

#: Checks a hidden token on every POST, so other sites cannot post forms as you.
csrf = CSRFProtect()


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure the hello app.

    ``test_config`` replaces the instance folder's ``config.py`` and the
    ``FLASK_*`` environment variables, so tests get exactly the settings they ask for.
    """
    app = Flask(__name__, instance_relative_config=True)
    load_config(
        app,
        test_config,
        defaults={
            # Uploads are kept out of the package, in the instance folder.
            "UPLOAD_FOLDER": os.path.join(app.instance_path, "uploads"),
            # A bigger request gets "413 Content Too Large" before any view runs.
            "MAX_CONTENT_LENGTH": 1024 * 1024,
        },
    )
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)
    showcase.init_app(app)
    csrf.init_app(app)
    errors.init_app(app)

    # [start index]
    @app.route("/")
    def index() -> str:
        """Say hello, and link to every lesson of this example."""
        return render_template("index.html")

    # [end index]

    # [start blueprints]
    for lesson in (
        routes,
        debugger,
        urls,
        methods,
        greeting,
        static_files,
        request_data,
        cookies,
        sessions,
        redirects,
        flashing,
        uploads,
    ):
        app.register_blueprint(lesson.bp)
    # [end blueprints]
    return app

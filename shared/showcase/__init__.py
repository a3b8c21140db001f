"""Plumbing shared by the Flask showcase examples.

An example calls :func:`showcase.config.load_config` in its app factory to get
its settings, then :func:`init_app` to get the secure defaults, the error pages
and the shared look. Everything an example *teaches* stays in its own package.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from showcase import errors, security, timefmt

__all__ = ["init_app"]

#: Serves the shared layout, macros and stylesheet at ``/_showcase/static/``.
blueprint = Blueprint(
    "showcase",
    __name__,
    template_folder="templates",
    static_folder="static",
    url_prefix="/_showcase",
)


def init_app(app: Flask) -> None:
    """Give ``app`` the security headers, error pages, templates and stylesheet."""
    app.register_blueprint(blueprint)
    security.init_app(app)
    errors.init_app(app)
    timefmt.init_app(app)

"""Plumbing the showcase examples share; no lesson lives here."""

from __future__ import annotations

from flask import Blueprint, Flask

from showcase import errors, security
from showcase.security import InsecureConfigError

__all__ = ["InsecureConfigError", "init_app"]

#: Serves the shared layout, error page and stylesheet at ``/_showcase/``.
blueprint = Blueprint(
    "showcase",
    __name__,
    template_folder="templates",
    static_folder="static",
    url_prefix="/_showcase",
)


def init_app(app: Flask) -> None:
    """Secure ``app`` (once its config is loaded), add the error page and
    the shared look."""
    security.init_app(app)
    app.register_blueprint(blueprint)
    errors.init_app(app)

"""Plumbing shared by the Flask showcase examples.

An example loads its own config, then calls :func:`init_app` once: secure
defaults, a real secret key, security headers, the error pages, the time
filters and the shared look. Everything an example *teaches* stays in its
own package.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from showcase import errors, security, timefmt
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
    """Secure ``app``, then give it the error pages and the shared look.

    Call it once, after the config is loaded: it refuses a secret key that
    anyone could forge (see :func:`showcase.security.check_secret_key`).
    """
    security.init_app(app)
    app.register_blueprint(blueprint)
    errors.init_app(app)
    timefmt.init_app(app)

"""One friendly page for every HTTP error, in the example's own layout.

``abort(404)``, a missing CSRF token (400), an upload over ``MAX_CONTENT_LENGTH``
(413), a bug (500)... all render ``showcase/error.html`` with the right status
code and headers, never a traceback. An example can still register its own
handler for one code (hello does, for 404 and 500, to teach how).
"""

from __future__ import annotations

from flask import Flask, Response, current_app, make_response, render_template
from jinja2 import Template
from werkzeug.exceptions import HTTPException


def example_layout() -> Template:
    """Return the example's ``base.html``, or the shared layout for an app without one."""
    return current_app.jinja_env.select_template(
        ["base.html", "showcase/layout.html"]
    )


def render_error_page(error: HTTPException) -> Response:
    """Render the error page for ``error``, keeping headers such as ``Allow``.

    Flask never passes redirects here: routing redirects such as ``/folder`` →
    ``/folder/`` are returned before error handlers are looked up.
    """
    response = make_response(
        render_template(
            "showcase/error.html", error=error, layout=example_layout()
        ),
        error.code,
    )
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    """Render every HTTP error of ``app`` with the shared error page."""
    app.register_error_handler(HTTPException, render_error_page)

"""One page for every HTTP error, in the example's own layout."""

from __future__ import annotations

from flask import Flask, Response, current_app, make_response, render_template
from werkzeug.exceptions import HTTPException, SecurityError


def render_error_page(error: HTTPException) -> Response:
    """Render the page for ``error``, keeping headers such as ``Allow``."""
    if isinstance(error, SecurityError):
        # An untrusted Host: no URL can be built, so no layout either.
        text = f"{error.code} {error.name}: {error.description}"
        return Response(text, error.code, mimetype="text/plain")
    # The example's own layout (base.html), else the shared one.
    layouts = ["base.html", "showcase/layout.html"]
    layout = current_app.jinja_env.select_template(layouts)
    page = render_template("showcase/error.html", error=error, layout=layout)
    response = make_response(page, error.code)
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    """Render every HTTP error of ``app`` with the shared error page."""
    app.register_error_handler(HTTPException, render_error_page)

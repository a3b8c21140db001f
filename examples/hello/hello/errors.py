"""Hello's own error pages: 404 and 500 in its layout, and a 413 that states the limit.

Every other HTTP error (400, 403, 405...) gets the shared error page that
``showcase.init_app`` registered.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, render_template, request
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    NotFound,
    RequestEntityTooLarge,
)

from hello.uploads import format_size
from showcase.errors import render_error_page


def page_not_found(error: NotFound) -> tuple[str, int]:
    """Show hello's "page not found" page, with the reason, and status 404."""
    return render_template("404.html", error=error), 404


def internal_server_error(error: InternalServerError) -> tuple[str, int]:
    """Show hello's "something went wrong" page with status 500: never a traceback."""
    return render_template("500.html"), 500


def request_too_large(
    error: RequestEntityTooLarge,
) -> Response | HTTPException:
    """Say how big an upload may be, on the shared error page, with status 413.

    A request over ``MAX_CONTENT_LENGTH`` is told the limit; anything else too
    large (such as one huge text field) keeps Werkzeug's own description.
    """
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        error = RequestEntityTooLarge(
            f"That was too large: this site accepts uploads of at most {format_size(limit)}."
        )
    return render_error_page(error)


def init_app(app: Flask) -> None:
    """Register hello's handlers; they win over the shared one for these codes."""
    app.register_error_handler(404, page_not_found)
    app.register_error_handler(500, internal_server_error)
    app.register_error_handler(413, request_too_large)

"""Hello's own error pages: 404 and 500 in its layout, and a 413 that states the limit.

Every other HTTP error (400, 403, 405...) gets the shared error page that
``showcase.init_app`` registered.
"""

from __future__ import annotations

from flask import Flask, current_app, render_template
from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge

from hello.uploads import format_size
from showcase.errors import render_error_page


def page_not_found(error: NotFound) -> tuple[str, int]:
    """Show hello's "page not found" page, with the reason, and status 404."""
    return render_template("404.html", error=error), 404


def internal_server_error(error: HTTPException) -> tuple[str, int]:
    """Show hello's "something went wrong" page with status 500: never a traceback."""
    return render_template("500.html"), 500


def request_too_large(error: RequestEntityTooLarge) -> object:
    """Say how big a request may be, on the shared error page, with status 413."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit:
        error = RequestEntityTooLarge(
            f"That was too large: this site accepts uploads of at most {format_size(limit)}."
        )
    return render_error_page(error)


def init_app(app: Flask) -> None:
    """Register hello's handlers; they win over the shared one for these codes."""
    app.register_error_handler(404, page_not_found)
    app.register_error_handler(500, internal_server_error)
    app.register_error_handler(413, request_too_large)

"""Hello's own error pages: 404 and 500, in hello's layout.

Every other HTTP error (400, 403, 405...) gets the shared error page that
``showcase.init_app`` registered.
"""

from flask import render_template
from werkzeug.exceptions import InternalServerError, NotFound

from hello import app


@app.errorhandler(404)
def page_not_found(error: NotFound) -> tuple[str, int]:
    """Show hello's "page not found" page, with the reason, and status 404."""
    return render_template("404.html", error=error), 404


@app.errorhandler(500)
def internal_server_error(error: InternalServerError) -> tuple[str, int]:
    """Show hello's "something went wrong" page: never a traceback."""
    return render_template("500.html"), 500

"""Static files: the stylesheet and picture in ``hello/static/``, served by Flask."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("static_files", __name__)


@bp.route("/static-files")
def show() -> str:
    """Show a picture from the static folder and explain where it comes from."""
    return render_template("static_files.html")

"""Message flashing: a message saved for the next page, then shown once."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

bp = Blueprint("flashing", __name__)


@bp.get("/flashing")
def form() -> str:
    """Show a form to leave your name."""
    return render_template("flashing.html")


@bp.post("/flashing")
def submit() -> Response:
    """Thank you (or ask for a name) in a flashed message, then go back to the form.

    Redirecting after a POST means reloading the page does not send the form again.
    """
    name = request.form.get("name", "").strip()
    if name:
        flash(f"Thank you, {name}: your name was received.", "success")
    else:
        flash("Please type your name before sending.", "error")
    return redirect(url_for("flashing.form"))

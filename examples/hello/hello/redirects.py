"""Redirects and errors: send the browser elsewhere, or stop with ``abort``."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from werkzeug.wrappers import Response

bp = Blueprint("redirects", __name__)

#: A few notes, numbered, standing in for rows of a database table.
NOTES = {
    1: "A route maps a URL to a view function.",
    2: "url_for builds a URL from a view's endpoint name.",
    3: "abort stops a request with an HTTP error.",
}


@bp.route("/redirects")
def overview() -> str:
    """List the notes and the links that redirect or fail."""
    return render_template("redirects.html", notes=NOTES)


@bp.route("/old-about")
def old_about() -> Response:
    """An address that moved: send the browser to the about page, for good (301)."""
    return redirect(url_for("routes.about"), code=301)


@bp.route("/notes/<int:note_id>")
def note(note_id: int) -> str:
    """Show one note, or the 404 page if there is no note with that number."""
    if note_id not in NOTES:
        abort(404, description=f"There is no note number {note_id}.")
    return render_template("note.html", note_id=note_id, text=NOTES[note_id])


@bp.route("/staff-only")
def staff_only() -> str:
    """A page nobody may see: ``abort(403)`` shows the shared error page."""
    abort(403, description="This page is for staff only.")
